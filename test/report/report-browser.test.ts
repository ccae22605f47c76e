/**
 * The report in a real browser: a small real search, its report, then headless Chromium (Debian's, driven by
 * playwright-core) opens index.html from disk. It must load without console errors or network requests,
 * every image must decode, the leaderboard must hold the expected rows with the ledger's numbers, and the
 * formula must be KaTeX markup. A full-page screenshot is saved in the test's temp folder.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { writeReport, type ReportOutcome } from "../../src/report/build.ts";
import { ledgerEntries, tinyRun, type TinyRun } from "./report-fixture.ts";

const CHROMIUM = "/usr/bin/chromium";
const skip = fs.existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is absent (CI installs Debian's chromium with apt)`;

type Entry = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The few DOM shapes read inside the page (the project compiles without the DOM library). */
interface PageFonts extends Iterable<{ family: string; status: string }> {
  ready: Promise<unknown>;
}
type PageGlobal = { document: { fonts: PageFonts } };
type PageImage = { naturalWidth: number; complete: boolean };

describe("the report in headless Chromium", { skip }, () => {
  let tiny: TinyRun;
  let report: ReportOutcome;
  let browser: Browser;

  before(async () => {
    tiny = await tinyRun();
    report = await writeReport(tiny.runDir, { out: path.join(tiny.dir, "site") });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });

  after(async () => {
    await browser?.close();
  });

  it("loads from disk with every section, image and number in place", async (t) => {
    // A fresh context is a fresh profile (playwright gives each launch its own temporary user-data dir).
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    const network: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) =>
      problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`),
    );
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
      network.push(url);
      return route.abort();
    });

    await page.goto(pathToFileURL(report.indexPath).href, { waitUntil: "load" });
    await page.evaluate(() => (globalThis as unknown as PageGlobal).document.fonts.ready);

    assert.deepEqual(problems, [], "console errors");
    assert.deepEqual(network, [], "network requests");

    const images = await page.$$eval("img", (xs) =>
      xs.map((x) => ({
        src: x.getAttribute("src"),
        w: (x as unknown as PageImage).naturalWidth,
        done: (x as unknown as PageImage).complete,
      })),
    );
    assert.ok(images.length >= 9, `${images.length} images`);
    for (const im of images) assert.ok(im.done && im.w > 0, `${im.src} did not load`);

    const ids = await page.$$eval("main > section", (xs) => xs.map((x) => x.id));
    assert.deepEqual(ids, [
      "overview",
      "frame",
      "leaderboard",
      "regions",
      "maps",
      "cycles",
      "shapley",
      "trajectory",
      "audit",
      "formula",
    ]);

    // The leaderboard: the expected rows, and its numbers equal to the ledger's.
    const entries: Entry[] = ledgerEntries(tiny.runDir);
    const end = entries.findLast((e) => e.kind === "run-end")!;
    const holdout = entries.find((e) => e.kind === "holdout")!;
    const cands = entries.filter((e) => e.kind === "candidate");
    const prune = entries.find((e) => e.kind === "prune" && e.candidateId === end.winnerId);
    const winner = cands.find((c) => c.id === end.winnerId)!;
    const expected: [string, string][] = [[end.winnerId, "winner"]];
    if (winner.origin === "pruned" && winner.parentId) expected.push([winner.parentId, "parent"]);
    if (prune?.reducedId) expected.push([prune.reducedId, "pruned"]);
    if (end.accuracyId && !expected.some(([k]) => k === end.accuracyId))
      expected.push([end.accuracyId, "accuracy"]);
    for (const c of cands.filter((c) => c.origin === "baseline")) expected.push([c.id, "baseline"]);
    for (const c of cands.filter((c) => c.origin === "truth")) expected.push([c.id, "truth"]);
    expected.push(["truth-own", "truth-own"]);

    const rows = await page.$$eval("#leaderboard-table tbody tr", (trs) =>
      trs.map((tr) => ({
        key: tr.getAttribute("data-key"),
        role: tr.getAttribute("data-role"),
        cells: Object.fromEntries(
          [...tr.querySelectorAll("td[data-split]")].map((td) => [
            `${td.getAttribute("data-split")}/${td.getAttribute("data-metric")}`,
            td.textContent?.trim(),
          ]),
        ),
      })),
    );
    assert.deepEqual(
      rows.map((r) => [r.key, r.role]),
      expected,
    );
    const f4 = (x: number | null | undefined) => (x === null || x === undefined ? "–" : x.toFixed(4));
    const f3 = (x: number | null | undefined) => (x === null || x === undefined ? "–" : x.toFixed(3));
    for (const r of rows) {
      if (r.key === "truth-own") continue;
      const c = cands.find((x) => x.id === r.key)!;
      const h = holdout.scores.find((s: Entry) => s.id === r.key)?.holdout ?? null;
      const region = c.validation.region;
      assert.equal(r.cells["validation/overall"], f4(c.validation.overall), `${r.key} validation Overall`);
      assert.equal(r.cells["train/overall"], f4(c.train.overall), `${r.key} train Overall`);
      assert.equal(r.cells["holdout/overall"], f4(h?.overall), `${r.key} holdout Overall`);
      for (const k of ["bias", "rmse", "seasonal", "spatial"]) {
        assert.equal(
          r.cells[`validation/${k}`],
          f3(c.validation.regions[region][k]),
          `${r.key} validation ${k}`,
        );
        assert.equal(r.cells[`holdout/${k}`], f3(h?.regions[region][k]), `${r.key} holdout ${k}`);
      }
    }
    // The winner's holdout score was really recorded (the holdout was opened by this report).
    assert.notEqual(rows[0].cells["holdout/overall"], "–");

    // The formula rendered by KaTeX at build time, with its fonts.
    const katex = await page.$$eval(".formula .katex", (xs) => xs.length);
    assert.ok(katex >= 1, "no .katex element");
    const fontsOk = await page.evaluate(
      () =>
        [...(globalThis as unknown as PageGlobal).document.fonts].filter(
          (f) => f.family.includes("KaTeX") && f.status === "loaded",
        ).length,
    );
    assert.ok(fontsOk > 0, "no KaTeX font loaded");
    assert.match((await page.textContent("#holdout-status")) ?? "", /opened now/);

    const shot = path.join(tiny.dir, "report-full-page.png");
    await page.screenshot({ path: shot, fullPage: true });
    const size = fs.statSync(shot).size;
    assert.ok(size > 50_000, `screenshot ${size} bytes`);
    t.diagnostic(`full-page screenshot: ${shot}`);
    await context.close();
  });
});

/**
 * Writing the site: the holdout is opened once and a second report (through the CLI) reuses it and says so;
 * KaTeX's stylesheet and fonts are bundled; bad inputs (not a run, an unfinished run, a foreign --out
 * folder) are refused before anything is opened.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { before, describe, it } from "node:test";
import { promisify } from "node:util";
import { writeReport } from "../../src/report/build.ts";
import { KilnError } from "../../src/util/errors.ts";
import { REPO, ledgerEntries, tinyRun, tmpDir, type TinyRun } from "./report-fixture.ts";

const run = promisify(execFile);

describe("kiln report", () => {
  let tiny: TinyRun;
  before(async () => {
    tiny = await tinyRun({ forms: 2 });
  });

  it("refuses a folder that is not a run, and an unfinished run, with a clear error", async () => {
    const empty = tmpDir();
    await assert.rejects(
      writeReport(empty),
      (e: unknown) => e instanceof KilnError && /not a run/.test(e.message),
    );
    // The same run without its run-end line: the search has not finished.
    const cut = path.join(tmpDir(), "run");
    fs.cpSync(tiny.runDir, cut, { recursive: true });
    fs.rmSync(path.join(cut, "ledger.sqlite"), { force: true });
    const lines = fs.readFileSync(path.join(cut, "ledger.jsonl"), "utf8").trimEnd().split("\n");
    fs.writeFileSync(
      path.join(cut, "ledger.jsonl"),
      lines.filter((l) => !l.includes('"kind":"run-end"')).join("\n") + "\n",
    );
    await assert.rejects(
      writeReport(cut, { out: path.join(tmpDir(), "r") }),
      (e: unknown) => e instanceof KilnError && /not finished/.test(e.message),
    );
  });

  it("refuses an --out folder holding something else, before opening the holdout", async () => {
    const other = tmpDir();
    fs.writeFileSync(path.join(other, "notes.txt"), "mine");
    await assert.rejects(
      writeReport(tiny.runDir, { out: other }),
      (e: unknown) => e instanceof KilnError && /something else/.test(e.message),
    );
    assert.equal(
      ledgerEntries(tiny.runDir).filter((e) => e.kind === "holdout").length,
      0,
      "the holdout is still sealed",
    );
    assert.equal(fs.readFileSync(path.join(other, "notes.txt"), "utf8"), "mine");
  });

  it("opens the holdout once; a second report through the CLI reuses it and says so", async () => {
    const out = path.join(tiny.dir, "report");
    const first = await writeReport(tiny.runDir, { out });
    assert.equal(first.holdout.reused, false);
    assert.equal(first.indexPath, path.join(out, "index.html"));
    const after1 = ledgerEntries(tiny.runDir);
    const holdout = after1.filter((e) => e.kind === "holdout");
    assert.equal(holdout.length, 1);
    assert.equal(first.holdout.time, holdout[0].time);
    assert.match(fs.readFileSync(first.indexPath, "utf8"), /opened now/);
    // KaTeX bundled: the stylesheet and every font it names are in the site.
    const css = fs.readFileSync(path.join(out, "assets/katex/katex.min.css"), "utf8");
    const fonts = [...css.matchAll(/url\((fonts\/[^)]+)\)/g)].map((m) => m[1]);
    assert.ok(fonts.length > 20);
    for (const f of fonts) assert.ok(fs.existsSync(path.join(out, "assets/katex", f)), f);
    assert.doesNotMatch(
      fs.readFileSync(first.indexPath, "utf8"),
      /https?:\/\/(?!www\.w3\.org)/,
      "no network reference in the page",
    );

    const cli = await run(
      process.execPath,
      ["--import", "tsx", "src/cli/run.ts", "report", tiny.runDir, "--out", out],
      { cwd: REPO },
    );
    assert.match(
      cli.stdout,
      new RegExp(
        `holdout opened at ${String(holdout[0].time).replace(/\./g, "\\.")} by an earlier report; reused`,
      ),
    );
    assert.ok(cli.stdout.trimEnd().endsWith("index.html"));
    const after2 = ledgerEntries(tiny.runDir);
    assert.equal(after2.length, after1.length, "the second report wrote nothing to the ledger");
    const page = fs.readFileSync(path.join(out, "index.html"), "utf8");
    assert.match(page, /by an earlier report; reused/);
    assert.doesNotMatch(page, /opened now/);
  });
});

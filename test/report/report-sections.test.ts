/**
 * Each section builder of the report on a small real run (10° world, real search): what it shows is
 * checked against the ledger read independently, and the images and downloads it links are on disk.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { before, describe, it } from "node:test";
import { scoreModel } from "../../src/bench/score.ts";
import type { ScoreSummary } from "../../src/bench/summary.ts";
import { summarize } from "../../src/bench/summary.ts";
import { checkFormObject } from "../../src/forms/check.ts";
import { gatherReport, reportContext, type ReportData } from "../../src/report/build.ts";
import type { ReportContext } from "../../src/report/context.ts";
import { rankConventions } from "../../src/report/conventions.ts";
import { esc } from "../../src/report/html.ts";
import { loadSearchView } from "../../src/report/run-data.ts";
import { auditSection } from "../../src/report/sections/audit.ts";
import { cyclesSection } from "../../src/report/sections/cycles.ts";
import { formulaSection } from "../../src/report/sections/formula.ts";
import { frameSection } from "../../src/report/sections/frame.ts";
import { leaderboardSection } from "../../src/report/sections/leaderboard.ts";
import { mapsSection } from "../../src/report/sections/maps.ts";
import { overviewSection } from "../../src/report/sections/overview.ts";
import { regionsSection } from "../../src/report/sections/regions.ts";
import { shapleySection } from "../../src/report/sections/shapley.ts";
import { trajectory, trajectorySection } from "../../src/report/sections/trajectory.ts";
import { Site, pngSize } from "../../src/report/site.ts";
import { ledgerEntries, tinyRun, tmpDir, type TinyRun } from "./report-fixture.ts";

type Entry = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The <tr> elements of a table found by an attribute, as [attributes, inner HTML]. */
function rowsOf(html: string, tableAttr: string): { attrs: string; inner: string }[] {
  const start = html.indexOf(tableAttr);
  assert.ok(start >= 0, `no table with ${tableAttr}`);
  const end = html.indexOf("</table>", start);
  const body = html.slice(html.indexOf("<tbody>", start), end);
  return [...body.matchAll(/<tr([^>]*)>([\s\S]*?)<\/tr>/g)].map((m) => ({ attrs: m[1], inner: m[2] }));
}

function cellText(inner: string, split: string, metric: string): string {
  const m = new RegExp(`<td[^>]*data-split="${split}" data-metric="${metric}"[^>]*>([^<]*)</td>`).exec(inner);
  assert.ok(m, `no ${split}/${metric} cell`);
  return m[1];
}

function imagesExist(site: Site, html: string): string[] {
  const srcs = [...html.matchAll(/<img[^>]* src="([^"]+)"/g)].map((m) => m[1]);
  for (const s of srcs) {
    const png = fs.readFileSync(path.join(site.dir, s));
    const { width, height } = pngSize(png);
    assert.ok(width > 50 && height > 50, `${s} is ${width}×${height}`);
  }
  return srcs;
}

const f4 = (x: number | null | undefined) => (x === null || x === undefined ? "–" : x.toFixed(4));

describe("report sections", () => {
  let tiny: TinyRun;
  let data: ReportData;
  let ctx: ReportContext;
  let entries: Entry[];
  let site: Site;
  const cand = (id: string): Entry => entries.find((e) => e.kind === "candidate" && e.id === id)!;

  before(async () => {
    tiny = await tinyRun();
    data = await gatherReport(tiny.runDir);
    site = new Site(path.join(tmpDir(), "site"));
    ctx = reportContext(data, site);
    entries = ledgerEntries(tiny.runDir);
  });

  it("gathers the run: the truth refit goes in before the holdout, which is opened once and scores it", () => {
    const truth = entries.filter((e) => e.kind === "candidate" && e.origin === "truth");
    const holdouts = entries.filter((e) => e.kind === "holdout");
    assert.equal(truth.length, 1);
    assert.equal(holdouts.length, 1);
    assert.ok(
      entries.indexOf(truth[0]) < entries.indexOf(holdouts[0]),
      "the truth is in the ledger before the holdout",
    );
    assert.ok(
      holdouts[0].scores.some((s: Entry) => s.id === truth[0].id),
      "the holdout scored the truth refit",
    );
    assert.equal(data.holdout.reused, false);
    assert.equal(data.holdout.time, holdouts[0].time);
  });

  it("overview: the winner, the holdout status and the win rule's verdict from the ledger", () => {
    const s = overviewSection(ctx);
    const end = entries.findLast((e) => e.kind === "run-end")!;
    const h = entries.find((e) => e.kind === "holdout")!;
    assert.ok(s.html.includes(`<b>${end.winnerId}</b>`));
    assert.ok(s.html.includes(esc(data.holdout.message)));
    assert.ok(s.html.includes(h.win ? "<b>PASS</b>" : "<b>FAIL</b>"));
    const verdicts = h.verdicts.filter((v: Entry) => v.candidateId === end.winnerId);
    assert.equal((s.html.match(/<li>/g) ?? []).length, verdicts.length);
  });

  it("frame: the pinned hash and YAML, a download identical to the run's frame.yaml, and amendments when there are some", () => {
    const s = frameSection(ctx);
    const start = entries.find((e) => e.kind === "run-start")!;
    const yaml = fs.readFileSync(path.join(tiny.runDir, "frame.yaml"), "utf8");
    assert.ok(s.html.includes(start.frameHash));
    assert.ok(s.html.includes(esc(yaml)));
    assert.equal(fs.readFileSync(path.join(site.dir, "downloads", "frame.yaml"), "utf8"), yaml);
    assert.match(s.html, /No amendment/);
    const amended = {
      ...ctx.run,
      amendments: [
        {
          kind: "amend" as const,
          time: "T",
          oldHash: "a".repeat(64),
          newHash: "b".repeat(64),
          reason: "more forms <now>",
          changed: ["budget"],
        },
      ],
    };
    const s2 = frameSection({ ...ctx, run: amended, site: new Site(path.join(tmpDir(), "site2")) });
    assert.ok(s2.html.includes("more forms &lt;now&gt;"));
    assert.doesNotMatch(s2.html, /No amendment/);
  });

  it("leaderboard: the expected rows, and every key number equal to the ledger's", () => {
    const s = leaderboardSection(ctx);
    const rows = rowsOf(s.html, 'id="leaderboard-table"');
    const end = entries.findLast((e) => e.kind === "run-end")!;
    const h = entries.find((e) => e.kind === "holdout")!;
    const keys = rows.map((r) => /data-key="([^"]+)"/.exec(r.attrs)![1]);
    const roles = rows.map((r) => /data-role="([^"]+)"/.exec(r.attrs)![1]);
    const baselines = entries
      .filter((e) => e.kind === "candidate" && e.origin === "baseline")
      .map((e) => e.id);
    const truth = entries.find((e) => e.kind === "candidate" && e.origin === "truth")!;
    assert.equal(keys[0], end.winnerId);
    assert.equal(roles[0], "winner");
    for (const b of baselines) assert.equal(roles[keys.indexOf(b)], "baseline");
    assert.equal(roles[keys.indexOf(truth.id)], "truth");
    assert.equal(roles[roles.length - 1], "truth-own");
    const prune = entries.find((e) => e.kind === "prune" && e.candidateId === end.winnerId);
    if (prune?.reducedId) assert.equal(roles[keys.indexOf(prune.reducedId)], "pruned");
    for (const [i, k] of keys.entries()) {
      if (k === "truth-own") continue;
      const c = cand(k);
      const region = c.validation.region;
      assert.equal(
        cellText(rows[i].inner, "validation", "overall"),
        f4(c.validation.overall),
        `${k} validation Overall`,
      );
      assert.equal(cellText(rows[i].inner, "train", "overall"), f4(c.train.overall), `${k} train Overall`);
      assert.equal(
        cellText(rows[i].inner, "validation", "rmse"),
        c.validation.regions[region].rmse.toFixed(3),
        `${k} validation RMSE`,
      );
      const hs = h.scores.find((x: Entry) => x.id === k);
      assert.equal(
        cellText(rows[i].inner, "holdout", "overall"),
        f4(hs?.holdout?.overall),
        `${k} holdout Overall`,
      );
      if (hs?.holdout)
        assert.equal(cellText(rows[i].inner, "holdout", "bias"), hs.holdout.regions[region].bias.toFixed(3));
    }
    assert.match(s.html, /Overall under each aggregation convention — validation/);
    assert.match(s.html, /Overall under each aggregation convention — holdout/);
  });

  it("leaderboard: a rank that changes between conventions is flagged", () => {
    const summary = (o: Record<string, number>): ScoreSummary => ({
      convention: "ilamb-2.7",
      overall: o["ilamb-2.7"],
      region: "global",
      regions: {
        global: {
          bias: 0.5,
          rmse: 0.5,
          seasonal: 0.5,
          spatial: 0.5,
          iav: null,
          overall: {
            "ilamb-2.7": o["ilamb-2.7"],
            "ilamb-2.5": null,
            mean4: o.mean4,
            ilamb3: o.ilamb3,
            min: o.min,
          },
        },
      },
    });
    // A beats B under ilamb-2.7 (0.66 vs 0.62), B beats A under mean4 (0.70 vs 0.64).
    const a = summary({ "ilamb-2.7": 0.66, mean4: 0.64, ilamb3: 0.6, min: 0.4 });
    const b = summary({ "ilamb-2.7": 0.62, mean4: 0.7, ilamb3: 0.5, min: 0.3 });
    const r = rankConventions(
      [
        { name: "A", score: a },
        { name: "B", score: b },
      ],
      "ilamb-2.7",
      "global",
    );
    assert.equal(r.winnerChanges, true);
    const k = r.conventions.indexOf("mean4");
    assert.deepEqual([r.rank[0][k], r.rank[1][k]], [2, 1]);
    assert.equal(r.differs[0][k], true);
    assert.equal(r.differs[0][r.conventions.indexOf("ilamb3")], false);
    assert.deepEqual(r.skipped, ["ilamb-2.5"]);
    assert.match(r.flags.join(" "), /mean4 → B/);
    const same = rankConventions(
      [
        { name: "A", score: a },
        { name: "C", score: summary({ "ilamb-2.7": 0.5, mean4: 0.5, ilamb3: 0.5, min: 0.3 }) },
      ],
      "ilamb-2.7",
      "global",
    );
    assert.deepEqual(same.flags, []);

    // In the section: rows carrying these scores show the flag in the validation table.
    const rows = ctx.rows.slice(0, 2).map((row, i) => ({ ...row, validation: i === 0 ? a : b }));
    const s = leaderboardSection({ ...ctx, rows, site: new Site(path.join(tmpDir(), "site3")) });
    const validationPart = s.html.slice(s.html.indexOf("— validation"), s.html.indexOf("— holdout"));
    assert.match(validationPart, /⚑ the first place changes with the convention/);
    assert.match(validationPart, /rank-changed/);
  });

  it("regions: the 15 ILAMB regions for the winner and the best baseline, equal to the ledger", () => {
    const s = regionsSection(ctx);
    assert.ok(ctx.winner && ctx.baseline);
    const h = entries.find((e) => e.kind === "holdout")!;
    const w = h.scores.find((x: Entry) => x.id === ctx.winner!.key).holdout;
    const rows = rowsOf(s.html, 'data-split="holdout"');
    assert.equal(rows.length, 15);
    const labels = rows.map((r) => /data-region="([^"]+)"/.exec(r.attrs)![1]);
    assert.deepEqual(labels, ctx.run.frame.frame.metric.regions);
    for (const [i, label] of labels.entries()) {
      const first = new RegExp('data-split="holdout" data-metric="overall"[^>]*>([^<]*)<').exec(
        rows[i].inner,
      )![1];
      assert.equal(first, f4(w.regions[label]?.overall[w.convention] ?? null), label);
    }
    // The best baseline is the best on validation (not on the holdout).
    const best = entries
      .filter((e) => e.kind === "candidate" && e.origin === "baseline")
      .sort((x, y) => y.validation.overall - x.validation.overall)[0];
    assert.equal(ctx.baseline.key, best.id);
    assert.equal(rowsOf(s.html, 'data-split="validation"').length, 15);
    assert.equal(rowsOf(s.html, 'data-split="train"').length, 15);
  });

  it("maps: residual fields over the validation years, scored as the search scored them", async () => {
    const view = ctx.residuals!;
    assert.equal(view.part, "validation");
    assert.deepEqual(view.years, [2006, 2007]);
    // The report's reference settings are the search's: the winner's validation score from them equals the ledger's.
    const problem = await loadSearchView(ctx.run);
    const w = ctx.winner!;
    const form = checkFormObject(w.spec);
    const pred = problem.predict(form, form.vectorFrom(w.params!));
    const score = summarize(
      scoreModel(view.prep, pred, { modelTimeIndices: problem.dataset.time.indicesOfYears(view.years) }),
      "ilamb-2.7",
    );
    assert.ok(
      Math.abs(score.overall! - cand(w.key).validation.overall) < 1e-12,
      `${score.overall} vs ${cand(w.key).validation.overall}`,
    );
    // Bias is the model minus the reference period mean where both have data.
    const m = view.models[0].fields;
    let n = 0;
    for (let c = 0; c < m.bias.length; c++) {
      if (!Number.isFinite(m.bias[c])) continue;
      n++;
      assert.ok(Math.abs(m.bias[c] - (m.modelMean[c] - m.refMean[c])) < 1e-9 * (1 + Math.abs(m.refMean[c])));
    }
    assert.ok(n > 20);
    const s = mapsSection(ctx);
    const imgs = imagesExist(site, s.html);
    assert.deepEqual(imgs, [
      "img/map-period-mean.png",
      "img/map-bias.png",
      "img/map-phase.png",
      "img/map-rmse-score.png",
    ]);
    assert.match(s.html, /validation years 2006–2007/);
  });

  it("cycles: one panel per region with scored cells, model against reference", () => {
    const s = cyclesSection(ctx);
    assert.deepEqual(imagesExist(site, s.html), ["img/cycles.png"]);
    const cycles = ctx.residuals!.models[0].fields.cycles;
    assert.equal(cycles.length, 15);
    // a region's mean cycle is the area mean of the climatology: a global cycle with fire is positive somewhere
    const global = cycles.find((c) => c.region === "global")!;
    assert.ok(global.ref.some((v) => v > 0));
  });

  it("shapley: the winner's values, the share gap and the pruning decision from the ledger", () => {
    const end = entries.findLast((e) => e.kind === "run-end")!;
    const winner = entries.find((e) => e.kind === "candidate" && e.id === end.winnerId)!;
    // A pruned winner is shown with the attribution of the form it was pruned from.
    const attributed = winner.origin === "pruned" ? winner.parentId : end.winnerId;
    const sh = entries.find((e) => e.kind === "shapley" && e.candidateId === attributed);
    const s = shapleySection(ctx);
    if (!sh) {
      assert.match(s.html, /No Shapley attribution/);
      return;
    }
    assert.deepEqual(imagesExist(site, s.html), ["img/shapley-bars.png", "img/shapley-interactions.png"]);
    const rows = rowsOf(s.html, 'class="shapley"');
    assert.deepEqual(
      rows.map((r) => /data-player="([^"]+)"/.exec(r.attrs)![1]),
      sh.players,
    );
    const prune = entries.find((e) => e.kind === "prune" && e.candidateId === attributed)!;
    sh.players.forEach((p: string, i: number) => {
      const gap = 100 * (sh.train.share[i] - sh.validation.share[i]);
      const text = `${gap >= 0 ? "+" : "−"}${Math.abs(gap).toFixed(1)} pp`;
      assert.ok(rows[i].inner.includes(text), `${p}: ${text}`);
      const d = prune.pruning.decisions.find((x: Entry) => x.player === p);
      assert.ok(rows[i].inner.includes(d.drop ? "<b>drop</b>" : "<b>keep</b>"), p);
    });
    assert.ok(s.html.includes(esc(prune.note)));
  });

  it("trajectory: proposed and pruned forms in order with the best so far; the Pareto front with the pick", () => {
    const tr = trajectory(ctx.run.candidates);
    const scored = entries.filter(
      (e) =>
        e.kind === "candidate" &&
        (e.origin === "proposer" || e.origin === "pruned") &&
        e.validation &&
        !e.repeatOf,
    );
    assert.equal(tr.x.length, scored.length);
    for (let i = 1; i < tr.x.length; i++) {
      assert.ok(tr.x[i] > tr.x[i - 1]);
      assert.equal(tr.best[i], Math.max(tr.best[i - 1], tr.y[i]));
    }
    const s = trajectorySection(ctx);
    assert.deepEqual(imagesExist(site, s.html), ["img/trajectory.png", "img/pareto.png"]);
    const end = entries.findLast((e) => e.kind === "run-end")!;
    for (const id of end.pareto) assert.ok(s.html.includes(`<code>${id}</code>`), id);
  });

  it("audit: the search-years findings the ledger recorded, and the holdout opening's", () => {
    const s = auditSection(ctx);
    const start = entries.find((e) => e.kind === "run-start")!;
    assert.equal(rowsOf(s.html, 'id="audit-search"').length, start.audit.findings.length);
    const h = entries.find((e) => e.kind === "holdout")!;
    if (h.audit.findings.length)
      assert.equal(rowsOf(s.html, 'id="audit-holdout"').length, h.audit.findings.length);
    for (const f of start.audit.findings) assert.ok(s.html.includes(esc(f.message)));
  });

  it("formula: KaTeX markup of the winner, and exports that carry the ledger's parameters", () => {
    const s = formulaSection(ctx);
    assert.match(s.html, /class="katex-display"/);
    const w = cand(ctx.winner!.key);
    const links = [...s.html.matchAll(/href="(downloads\/[^"]+)"/g)].map((m) => m[1]);
    for (const ext of ["f90", "py", "ts", "tex", "json"]) {
      assert.ok(
        links.some((l) => l.startsWith(`downloads/${w.id}-`) && l.endsWith(`.${ext}`)),
        ext,
      );
    }
    for (const l of links) assert.ok(fs.statSync(path.join(site.dir, l)).size > 100, l);
    const json = JSON.parse(
      fs.readFileSync(
        path.join(
          site.dir,
          links.find((l) => l.startsWith(`downloads/${w.id}-`) && l.endsWith(".json"))!,
        ),
        "utf8",
      ),
    );
    const text = JSON.stringify(json);
    for (const v of Object.values(w.params as Record<string, number>))
      assert.ok(text.includes(String(v)), `parameter ${v} in the JSON export`);
    assert.equal(
      fs.readFileSync(path.join(site.dir, "downloads", "ledger.jsonl"), "utf8"),
      fs.readFileSync(path.join(tiny.runDir, "ledger.jsonl"), "utf8"),
    );
  });
});

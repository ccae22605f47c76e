/** The frame: what "better" meant, pinned before the search (the YAML, its hash, and any amendment). */
import type { ReportContext, Section } from "../context.ts";
import { esc, table, years } from "../html.ts";
import { downloadLink } from "../site.ts";

export function frameSection(ctx: ReportContext): Section {
  const { run, site } = ctx;
  const f = run.frame.frame;
  const m = f.metric;
  const w = f.win;
  const b = f.budget;
  const frameLink = site.download("frame.yaml", run.frameText);
  const facts: [string, string][] = [
    [
      "dataset",
      `${esc(run.start.dataset.name)} (${run.start.dataset.cells} cells, target <code>${esc(run.start.dataset.target)}</code>)`,
    ],
    [
      "split",
      `train ${years(f.split.train)} · validation ${years(f.split.validation)} · holdout ${years(f.split.holdout)} (sealed during the search)`,
    ],
    [
      "metric",
      `ILAMB components ${m.components.map((c) => esc(c)).join(", ")}; Overall of <b>${esc(m.region)}</b> under <b>${esc(m.convention)}</b>; ` +
        `RMSE basis ${esc(m.rmseBasis)}, mass weighting ${m.massWeighting ? "on" : "off"}; ${m.regions.length} regions reported`,
    ],
    [
      "win rule",
      `on the holdout, beat ${w.against === "every" ? "every baseline" : `baseline ${esc(w.against)}`} by more than ${w.margin} Overall, ` +
        `no compared component worse by more than ${w.tolerance}; winner = PySR “${esc(w.pick)}” pick on the Pareto front (loss factor ${w.lossFactor}, least gain per added form ${w.minGain})`,
    ],
    ["baselines", f.baselines.map((x) => esc(typeof x === "string" ? x : "inline form")).join(", ")],
    [
      "budget",
      `${b.forms} forms, ${b.trialsPerForm} trials per form (${esc(f.fit.sampler)} sampler), Shapley: ${esc(b.shapley)} (${b.shapleyTrials} trials per coalition)` +
        (b.wallTime ? `, wall time ${Math.round(b.wallTime / 60)} min` : ""),
    ],
    ["proposer", esc(f.proposer.kind)],
    ["seed", String(f.seed)],
  ];
  const amend = run.amendments.length
    ? table({
        head: [["time", "reason", "changed", "old hash", "new hash"]],
        rows: run.amendments.map((a) => ({
          cells: [
            esc(a.time),
            esc(a.reason),
            esc(a.changed.join(", ")),
            `<code>${esc(a.oldHash.slice(0, 12))}</code>`,
            `<code>${esc(a.newHash.slice(0, 12))}</code>`,
          ],
        })),
        attrs: { class: "amendments" },
      }) +
      run.previousFrames
        .filter((p) => p.text !== null)
        .map(
          (p) =>
            `<details><summary>frame ${esc(p.hash.slice(0, 12))} (pinned until ${esc(p.until)})</summary><pre>${esc(p.text!)}</pre></details>`,
        )
        .join("\n")
    : `<p>No amendment: the frame was not changed after the search started.</p>`;
  const html = [
    `<p>Pinned before the first fit, with its canonical hash <code class="hash">${esc(run.frameHash)}</code>` +
      ` (pinned ${esc(run.pin.pinnedAt)}). A resumed search refuses a changed frame unless the change is recorded as an amendment.</p>`,
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>`,
    `<h3>Amendments</h3>`,
    amend,
    `<details><summary>The pinned frame (YAML) · ${downloadLink(frameLink, "frame.yaml")}</summary><pre class="yaml">${esc(run.frameText)}</pre></details>`,
  ].join("\n");
  return { id: "frame", title: "The frame", html };
}

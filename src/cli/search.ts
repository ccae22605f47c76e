/** `kiln search --frame kiln.yaml`: run (or resume) a form search with the frame's budget and proposer. */
import path from "node:path";
import type { Command } from "commander";
import { formatFindings } from "../audit/index.ts";
import { loadFrame } from "../search/frame/load.ts";
import { AuditStop, runSearch, type SearchEvent } from "../search/loop.ts";
import type { CandidateEntry } from "../search/types.ts";
import { KilnError } from "../util/errors.ts";
import { progress, type Progress } from "../util/progress.ts";
import type { RegisterVerb } from "./verbs.ts";

interface SearchCliOptions {
  frame?: string;
  run?: string;
  resume?: boolean;
  amend?: string;
  quiet?: boolean;
}

export const registerSearch: RegisterVerb = (program: Command) => {
  program
    .command("search")
    .description(
      "Search burned-area forms under a frame (kiln.yaml: data, split, metric, baselines, win rule, " +
        "budgets, proposer, seed). The frame is pinned in the run folder; the input audit runs first and " +
        "stops the run on errors; the holdout years stay sealed. Every candidate goes into the ledger " +
        "(RUN/ledger.jsonl); a killed run continues with --resume.",
    )
    .option("--frame <file>", "the frame (kiln.yaml); optional with --resume (the pinned one is used)")
    .option("--run <dir>", "run folder (default runs/<frame name>)")
    .option("--resume", "continue the run in --run where it stopped")
    .option("--amend <reason>", "with --resume: accept a changed frame, recording why in the ledger")
    .option("--quiet", "no per-candidate lines or progress")
    .addHelpText(
      "after",
      "\nExample:\n  kiln world --out out/world\n  kiln search --frame examples/world/kiln.yaml --run runs/world\n" +
        "  kiln search --run runs/world --resume\n" +
        '  kiln search --frame examples/world/kiln.yaml --run runs/world --resume --amend "budget: 40 forms"\n' +
        "  kiln ledger runs/world",
    )
    .action(async (opts: SearchCliOptions) => {
      if (!opts.frame && !(opts.resume && opts.run)) {
        throw new KilnError("no frame given", { hint: "pass --frame kiln.yaml, or --run DIR --resume" });
      }
      if (opts.amend !== undefined && !opts.resume) {
        throw new KilnError("--amend applies to a resumed run", { hint: "add --resume (and --run DIR)" });
      }
      const frame = opts.frame ? loadFrame(opts.frame) : undefined;
      const out = new SearchReporter(!!opts.quiet);
      // Ctrl-C once: finish the current candidate and stop (resumable); twice: stop now (also resumable).
      const stop = new AbortController();
      const onInt = () => {
        if (stop.signal.aborted) process.exit(130);
        stop.abort();
        process.stderr.write(
          "\nkiln search: stopping after the current candidate (Ctrl-C again to stop now)\n",
        );
      };
      process.on("SIGINT", onInt);
      try {
        const res = await runSearch(frame, {
          runDir: opts.run,
          resume: opts.resume,
          amend: opts.amend,
          signal: stop.signal,
          onEvent: (e) => out.on(e),
        });
        out.stop();
        process.off("SIGINT", onInt);
        const relative = path.relative(process.cwd(), res.runDir) || ".";
        const rel = relative.startsWith("..") ? res.runDir : relative;
        process.stdout.write(
          `\nledger: ${path.join(rel, "ledger.jsonl")} · view it with \`kiln ledger ${rel}\` (--tsv, --json)\n` +
            "the holdout years stay sealed: the report step opens them once.\n",
        );
      } catch (e) {
        out.stop();
        process.off("SIGINT", onInt);
        if (e instanceof AuditStop) {
          process.stderr.write(`kiln: ${e.message}\n`);
          process.exitCode = 1;
          return;
        }
        throw e;
      }
    });
};

/** Per-candidate lines on stdout, a progress bar with ETA on stderr. */
export class SearchReporter {
  private bar: Progress | null = null;
  private total = 0;
  /** Status-only updates redraw a terminal bar; elsewhere they would print a line each. */
  private readonly live = !!process.stderr.isTTY;
  constructor(private readonly quiet: boolean) {}

  private status(text: string): void {
    if (this.live) this.bar?.tick(0, text);
  }

  on(e: SearchEvent): void {
    if (this.quiet) return;
    const w = (s: string) => process.stdout.write(s + "\n");
    switch (e.type) {
      case "start":
        w(
          `kiln search: ${e.fresh ? "new run" : `resuming (${e.entries} ledger entries)`} in ${e.runDir} · frame ${e.frameHash.slice(0, 12)}`,
        );
        for (const n of e.notes) w(`  note: ${n}`);
        break;
      case "audit": {
        const shown = e.findings.filter((f) => f.severity !== "info");
        w(
          `input audit of the search years: ${e.findings.length ? `${shown.length} warning(s), ${e.findings.length - shown.length} note(s)` : "clean"}`,
        );
        if (shown.length) w(formatFindings(shown));
        break;
      }
      case "candidate-start":
        if (!this.bar) {
          const left = e.origin === "baseline" ? e.baselines + e.budget - e.proposed : e.budget - e.proposed;
          this.total = Math.max(1, left);
          this.bar = progress("search", this.total);
        }
        this.status(`${e.id} ${e.origin === "baseline" ? "baseline" : `form ${e.proposed + 1}/${e.budget}`}`);
        break;
      case "note":
        w(`note: ${e.text}`);
        break;
      case "fit-progress":
        this.status(
          `${e.id} fit ${e.done}/${e.total} best ${Number.isFinite(e.best) ? e.best.toFixed(4) : "-"}`,
        );
        break;
      case "candidate":
        if (e.entry.origin !== "pruned") this.bar?.tick(1, `${e.entry.id} ${e.entry.status}`);
        w(line(e.entry, e.incumbentId));
        break;
      case "shapley-progress":
        this.status(`${e.id} Shapley ${e.done}/${e.total}`);
        break;
      case "shapley":
        w(
          `  Shapley ${e.entry.candidateId}: ` +
            e.entry.players
              .map(
                (p, i) =>
                  `${p} ${fmt(e.entry.validation.phi[i])}${e.entry.validation.flags.indistinguishableFromZero[i] ? " (~0)" : ""}`,
              )
              .join(", "),
        );
        break;
      case "entry":
        if (e.entry.kind === "prune") w(`  pruning ${e.entry.candidateId}: ${e.entry.note}`);
        break;
      case "end":
        this.stop();
        if (e.reason === "interrupted" || e.reason === "proposer-unavailable") {
          w(`stopped (${e.reason}) before the budget ran out; continue with --resume`);
        } else if (e.entry) {
          w(
            `\nsearch done (${e.reason}): ${e.entry.forms} forms, ${e.entry.candidates} candidates · incumbent ${e.entry.incumbentId ?? "none"} · ` +
              `winner ${e.entry.winnerId ?? "none"} (PySR best on the Pareto front) · Pareto ${e.entry.pareto.join(" ")}`,
          );
        }
        break;
    }
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

function fmt(x: number): string {
  return (x >= 0 ? "+" : "") + x.toFixed(4);
}

function line(c: CandidateEntry, incumbent: string | null): string {
  const v = c.validation?.overall;
  const score = v === null || v === undefined ? "   -   " : v.toFixed(4);
  const what = c.error
    ? `crash: ${c.error.split("\n")[0]}`
    : c.repeatOf
      ? `repeat of ${c.repeatOf}`
      : `${c.mechanisms.join(",")} (${c.nParams} params)`;
  const star = c.id === incumbent ? " ← incumbent" : "";
  return `${c.id} ${c.origin.padEnd(8)} ${c.status.padEnd(7)} ${score}  ${what}${star}`;
}

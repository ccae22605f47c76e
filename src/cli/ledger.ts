/** `kiln ledger RUN`: show a search's ledger as a table, a TSV (like autoresearch's results.tsv) or JSON. */
import path from "node:path";
import type { Command } from "commander";
import { Ledger } from "../search/ledger/ledger.ts";
import { analyseLedger, ledgerTsv, ledgerText } from "../search/ledger/view.ts";
import { isRunDir } from "../search/run/dir.ts";
import { KilnError } from "../util/errors.ts";
import type { RegisterVerb } from "./verbs.ts";

interface LedgerOptions {
  tsv?: boolean;
  json?: boolean;
}

export const registerLedger: RegisterVerb = (program: Command) => {
  program
    .command("ledger")
    .description(
      "Show a search run's ledger: one row per candidate (id, parent, status, validation Overall and " +
        "components, parameters, mechanisms, hypothesis), the Pareto front, the winner, Shapley values, " +
        "pruning and, once opened, the holdout. The ledger itself is RUN/ledger.jsonl (append-only) with an " +
        "SQLite index RUN/ledger.sqlite.",
    )
    .argument("<run>", "the run folder (kiln search --run)")
    .option("--tsv", "tab-separated rows, one per candidate (results.tsv style)")
    .option(
      "--json",
      "the analysis as JSON: candidates, incumbent, Pareto front, winner, Shapley, holdout, plateau",
    )
    .addHelpText(
      "after",
      "\nExample:\n  kiln ledger runs/world-demo\n  kiln ledger runs/world-demo --tsv > results.tsv",
    )
    .action((run: string, opts: LedgerOptions) => {
      if (opts.tsv && opts.json) throw new KilnError("choose one of --tsv and --json");
      const dir = path.resolve(run);
      if (!isRunDir(dir)) {
        throw new KilnError("not a search run folder (no pin.json)", {
          where: dir,
          hint: "pass the folder given to `kiln search --run`",
        });
      }
      const ledger = Ledger.open(dir, { readOnly: true });
      try {
        if (opts.tsv) process.stdout.write(ledgerTsv(ledger.index.candidates()));
        else if (opts.json)
          process.stdout.write(JSON.stringify(analyseLedger(ledger.entries), null, 2) + "\n");
        else process.stdout.write(ledgerText(analyseLedger(ledger.entries), process.stdout.columns || 140));
      } finally {
        ledger.close();
      }
    });
};

/** `kiln mechanisms [ID] [--json]`: the fire mechanism library (docs/forms.md). */
import type { Command } from "commander";
import { MECHANISMS, mechanismById, mechanismIds } from "../mechanisms/library.ts";
import type { Mechanism } from "../mechanisms/types.ts";
import { KilnError } from "../util/errors.ts";
import { didYouMean } from "../forms/suggest.ts";
import type { RegisterVerb } from "./verbs.ts";

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

export function mechanismTable(list: readonly Mechanism[] = MECHANISMS): string {
  const rows = list.map((m) => [
    m.catalogue,
    m.id,
    m.regime,
    m.cluster,
    m.drivers.map((d) => d.name).join(","),
    String(m.params.length),
    m.fidelity,
  ]);
  const head = ["#", "id", "regime", "cluster", "drivers", "params", "fidelity"];
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (r: string[]) =>
    r
      .map((x, k) => pad(x, widths[k]))
      .join("  ")
      .trimEnd();
  return [line(head), ...rows.map(line)].join("\n");
}

export function mechanismDetail(m: Mechanism): string {
  const lines = [
    `${m.id} (${m.catalogue}): ${m.name}`,
    `  regime    ${m.regime}`,
    `  cluster   ${m.cluster}`,
    `  drivers   ${m.drivers.map((d) => `${d.name} [${d.units}]`).join(", ")}`,
    `  formula   ${m.expr}`,
    `  LaTeX     ${m.latex}`,
    `  identity  ${Object.entries(m.identity)
      .map(([k, v]) => `${k} = ${v}`)
      .join(", ")}`,
    `  fidelity  ${m.fidelity}`,
    `  cite      ${m.cite}`,
    `  notes     ${m.notes}`,
    "  parameters:",
    ...m.params.map(
      (p) => `    ${pad(p.name, 8)} [${p.lo}, ${p.hi}] ${p.scale}, default ${p.default} ${p.units}: ${p.doc}`,
    ),
  ];
  return lines.join("\n");
}

export const registerMechanisms: RegisterVerb = (program: Command) => {
  program
    .command("mechanisms")
    .description("list the fire mechanism library (or show one mechanism in full)")
    .argument("[id]", "a mechanism id to show in full")
    .option("--json", "print the library (or the one mechanism) as JSON")
    .action((id: string | undefined, opts: { json?: boolean }) => {
      if (id !== undefined) {
        const m = mechanismById(id);
        if (!m) {
          throw new KilnError(`unknown mechanism '${id}'${didYouMean(id, mechanismIds())}`, {
            hint: "`kiln mechanisms` lists them",
          });
        }
        process.stdout.write((opts.json ? JSON.stringify(m, null, 2) : mechanismDetail(m)) + "\n");
        return;
      }
      if (opts.json) {
        process.stdout.write(JSON.stringify(MECHANISMS, null, 2) + "\n");
        return;
      }
      process.stdout.write(
        `${MECHANISMS.length} mechanisms (mechanisms.md §1; \`kiln mechanisms <id>\` shows one in full)\n\n` +
          mechanismTable() +
          "\n",
      );
    })
    .addHelpText(
      "after",
      "\nExample:\n  kiln mechanisms\n  kiln mechanisms vdw_gpp_gate\n  kiln mechanisms --json > mechanisms.json",
    );
};

/** Small HTML helpers for the report: escaping, number cells, tables. Everything is static markup. */

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text made safe for element content and attribute values. */
export function esc(s: string | number | null | undefined): string {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A score with `digits` decimals, "–" when missing (the cells the browser test compares with the ledger). */
export function num(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(digits);
}

/** A signed difference, e.g. "+0.012". */
export function signed(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  return (x >= 0 ? "+" : "−") + Math.abs(x).toFixed(digits);
}

/** Attributes from an object (undefined and false left out; true as a bare attribute). */
export function attrs(a: Readonly<Record<string, string | number | boolean | undefined>>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${esc(v as string | number)}"`))
    .join("");
}

export interface Cell {
  /** Markup of the cell (already escaped). */
  readonly html: string;
  readonly attrs?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** A header cell. */
  readonly th?: boolean;
}

export type CellLike = Cell | string;

function cell(c: CellLike, header: boolean): string {
  const x: Cell = typeof c === "string" ? { html: c } : c;
  const tag = header || x.th ? "th" : "td";
  return `<${tag}${attrs(x.attrs ?? {})}>${x.html}</${tag}>`;
}

export interface TableOptions {
  readonly head: readonly (readonly CellLike[])[];
  readonly rows: readonly { readonly cells: readonly CellLike[]; readonly attrs?: Cell["attrs"] }[];
  readonly attrs?: Cell["attrs"];
  readonly caption?: string;
}

export function table(t: TableOptions): string {
  const head = t.head.map((r) => `<tr>${r.map((c) => cell(c, true)).join("")}</tr>`).join("\n");
  const body = t.rows
    .map((r) => `<tr${attrs(r.attrs ?? {})}>${r.cells.map((c) => cell(c, false)).join("")}</tr>`)
    .join("\n");
  return (
    `<div class="table-wrap"><table${attrs(t.attrs ?? {})}>` +
    (t.caption ? `<caption>${t.caption}</caption>` : "") +
    `\n<thead>\n${head}\n</thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`
  );
}

/** A paragraph of escaped text. */
export function p(text: string, cls?: string): string {
  return `<p${cls ? ` class="${cls}"` : ""}>${esc(text)}</p>`;
}

/** Year lists as spans: 1997–2008, or 2001, 2003. */
export function years(ys: readonly number[]): string {
  if (ys.length === 0) return "–";
  const contiguous = ys[ys.length - 1] - ys[0] + 1 === ys.length;
  if (!contiguous) return ys.join(", ");
  return ys.length === 1 ? String(ys[0]) : `${ys[0]}–${ys[ys.length - 1]}`;
}

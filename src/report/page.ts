/** The page around the sections: head (bundled KaTeX stylesheet, inline CSS), title, contents, footer. No script. */
import type { Section } from "./context.ts";
import { esc } from "./html.ts";

/** The generator mark in every report's head; a folder holding an index.html with it may be overwritten. */
export const GENERATOR = '<meta name="generator" content="kiln report">';

const CSS = `
:root { --fg: #1d2329; --muted: #5f6b76; --line: #d8dee4; --bg: #ffffff; --band: #f5f7f9; --accent: #b5412b; --good: #1b7a3a; --bad: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 "DejaVu Sans", system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header.top { padding: 20px 32px 12px; border-bottom: 1px solid var(--line); background: var(--band); }
header.top h1 { margin: 0 0 4px; font-size: 24px; }
header.top p { margin: 2px 0; color: var(--muted); }
nav.toc { padding: 8px 32px; border-bottom: 1px solid var(--line); font-size: 14px; position: sticky; top: 0; background: var(--bg); z-index: 2; }
nav.toc a { margin-right: 14px; color: var(--accent); text-decoration: none; white-space: nowrap; }
main { padding: 0 32px 40px; max-width: 1500px; }
section { border-bottom: 1px solid var(--line); padding: 8px 0 20px; }
h2 { font-size: 20px; margin: 18px 0 8px; }
h3 { font-size: 16px; margin: 16px 0 6px; }
code { font: 13px "DejaVu Sans Mono", ui-monospace, monospace; background: var(--band); padding: 0 3px; border-radius: 3px; }
pre { font: 12px/1.4 "DejaVu Sans Mono", ui-monospace, monospace; background: var(--band); padding: 10px; overflow-x: auto; border: 1px solid var(--line); }
.table-wrap { overflow-x: auto; margin: 6px 0 10px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 3px 7px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.overall { font-weight: 600; }
th.split { text-align: center; border-left: 2px solid var(--line); }
tr[data-role="winner"] td { background: #fff6e5; }
tr[data-role="truth"] td, tr[data-role="truth-own"] td { color: #3d4f63; font-style: italic; }
.rank { color: var(--muted); font-size: 11px; }
.flag { color: var(--accent); font-weight: 700; }
td.rank-changed { background: #fdecea; }
.flags { border-left: 4px solid var(--accent); background: #fdf3f1; padding: 4px 10px; margin: 6px 0; }
.flag-line { margin: 3px 0; }
.agree { color: var(--good); }
.better { color: var(--good); }
.worse { color: var(--bad); }
.label { color: var(--muted); font-size: 11px; }
.muted { color: var(--muted); }
.holdout { padding: 6px 10px; border-left: 4px solid #2f6fb0; background: #eef5fc; }
.holdout.reused { border-left-color: #7a5bb0; background: #f3effa; }
.verdict.pass b { color: var(--good); }
.verdict.fail b { color: var(--bad); }
.warn { color: var(--bad); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; }
figure { margin: 10px 0; }
figcaption { color: var(--muted); font-size: 13px; max-width: 900px; }
.figs { display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: flex-start; }
img { max-width: 100%; height: auto; border: 1px solid var(--line); }
.formula { overflow-x: auto; padding: 6px 0; font-size: 16px; }
ul.downloads { display: flex; flex-wrap: wrap; gap: 4px 18px; list-style: none; padding: 0; }
details { margin: 6px 0; }
summary { cursor: pointer; font-weight: 600; }
.sev-error { color: var(--bad); font-weight: 700; }
.sev-warning { color: #a15c00; font-weight: 600; }
footer { padding: 12px 32px 30px; color: var(--muted); font-size: 13px; }
`;

export interface PageOptions {
  readonly title: string;
  readonly subtitle: string;
  readonly katexCss: string;
  readonly sections: readonly Section[];
  readonly footer: string;
}

export function page(o: PageOptions): string {
  const toc = o.sections.map((s) => `<a href="#${esc(s.id)}">${esc(s.title)}</a>`).join("");
  const body = o.sections
    .map((s) => `<section id="${esc(s.id)}">\n<h2>${esc(s.title)}</h2>\n${s.html}\n</section>`)
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${GENERATOR}
<title>${esc(o.title)}</title>
<link rel="stylesheet" href="${esc(o.katexCss)}">
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body>
<header class="top"><h1>${esc(o.title)}</h1><p>${esc(o.subtitle)}</p></header>
<nav class="toc">${toc}</nav>
<main>
${body}
</main>
<footer>${o.footer}</footer>
</body>
</html>
`;
}

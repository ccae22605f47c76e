/** Identifier helpers for exported code. */

const PYTHON_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield np numpy math PARAMS p".split(
    " ",
  ),
);

/** A Python identifier for a parameter's local name (keywords and module names get a trailing _). */
export function pythonName(name: string): string {
  return PYTHON_KEYWORDS.has(name) ? `${name}_` : name;
}

/** A LaTeX-safe \text{} argument. */
export function latexText(s: string): string {
  return s.replace(/[\\{}$&#^_%~]/g, (c) =>
    c === "\\"
      ? "\\textbackslash{}"
      : c === "~"
        ? "\\textasciitilde{}"
        : c === "^"
          ? "\\textasciicircum{}"
          : `\\${c}`,
  );
}

/** Shortest round-trip decimal of a number. */
export function shortNumber(v: number): string {
  return Object.is(v, -0) ? "0" : String(v);
}

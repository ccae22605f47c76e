/** Tokens of the expression language. Any other character is an error with its position. */

export type Token =
  | { readonly type: "num"; readonly value: number; readonly text: string; readonly pos: number }
  | { readonly type: "ident"; readonly text: string; readonly pos: number }
  | { readonly type: "op"; readonly text: "+" | "-" | "*" | "/" | "^"; readonly pos: number }
  | { readonly type: "(" | ")" | "," | "eof"; readonly text: string; readonly pos: number };

/** An error in expression text; `pos` is a 0-based offset into the text. */
export class DslError extends Error {
  readonly pos: number;
  readonly hint: string | undefined;
  constructor(pos: number, message: string, hint?: string) {
    super(message);
    this.name = "DslError";
    this.pos = pos;
    this.hint = hint;
  }
}

/** "col 14" for one-line text, "line 2, col 5" otherwise (1-based). */
export function describePos(text: string, pos: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      start = i + 1;
    }
  }
  const col = pos - start + 1;
  return text.includes("\n") ? `line ${line}, col ${col}` : `col ${col}`;
}

const HINTS: Record<string, string> = {
  "=": "a term is one expression, not an assignment: write only the right-hand side",
  ";": "a term is one expression; split independent factors into separate terms",
  "[": "there is no indexing; use lag(x, k) for earlier months",
  "]": "there is no indexing; use lag(x, k) for earlier months",
  "{": "braces are not part of the language; use parentheses",
  "}": "braces are not part of the language; use parentheses",
  "'": "there are no strings in the language",
  '"': "there are no strings in the language",
  "<": "there are no comparisons; use step(x) (1 where x > 0) or sigmoid(k*(x - x0))",
  ">": "there are no comparisons; use step(x) (1 where x > 0) or sigmoid(k*(x - x0))",
  "?": "there are no conditionals; use step(x), min, max or clamp",
  "!": "there is no negation operator other than '-'",
  "&": "there are no logical operators; multiply step(...) factors instead",
  "|": "there are no logical operators; use max(...) or abs(...)",
  "%": "there is no modulo operator",
};

export function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i++;
      continue;
    }
    if ((ch >= "0" && ch <= "9") || (ch === "." && i + 1 < n && text[i + 1] >= "0" && text[i + 1] <= "9")) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      const s = m![0];
      const value = Number(s);
      if (!Number.isFinite(value)) throw new DslError(i, `the number ${s} is too large`);
      out.push({ type: "num", value, text: s, pos: i });
      i += s.length;
      if (i < n && /[A-Za-z_]/.test(text[i])) {
        throw new DslError(
          i,
          `expected an operator between '${s}' and '${/^[A-Za-z_]\w*/.exec(text.slice(i))![0]}'`,
          `write ${s}*${/^[A-Za-z_]\w*/.exec(text.slice(i))![0]}`,
        );
      }
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const s = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))![0];
      out.push({ type: "ident", text: s, pos: i });
      i += s.length;
      continue;
    }
    if (ch === "*" && text[i + 1] === "*") {
      out.push({ type: "op", text: "^", pos: i });
      i += 2;
      continue;
    }
    if (ch === "+" || ch === "-" || ch === "*" || ch === "/" || ch === "^") {
      out.push({ type: "op", text: ch, pos: i });
      i++;
      continue;
    }
    if (ch === "(" || ch === ")" || ch === ",") {
      out.push({ type: ch, text: ch, pos: i });
      i++;
      continue;
    }
    throw new DslError(i, `unexpected character '${ch}'`, HINTS[ch]);
  }
  out.push({ type: "eof", text: "", pos: n });
  return out;
}

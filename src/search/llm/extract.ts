/**
 * Find the spec inside an LLM reply. Models wrap answers in prose, in ```json / ```yaml fences, and
 * (reasoning models served by Ollama or vLLM) in <think>…</think> preambles. This is text surgery only:
 * nothing here interprets the reply; the result is data for the caller's parser.
 */
export interface Extracted {
  text: string;
  /** "fence": a fenced block; "object": the first balanced {…} in prose; "whole": the whole reply, trimmed. */
  how: "fence" | "object" | "whole";
}

const SPEC_LANGS = new Set(["json", "jsonc", "json5", "yaml", "yml"]);

export function extractSpec(reply: string): Extracted {
  const text = stripThinking(reply);
  const blocks = fencedBlocks(text);
  const tagged = blocks.filter((b) => SPEC_LANGS.has(b.lang));
  const untagged = blocks.filter((b) => b.lang === "");
  // The last block: models that show a draft and then a corrected version put the answer last.
  const pick = tagged.at(-1) ?? untagged.at(-1);
  if (pick) return { text: pick.body.trim(), how: "fence" };
  const obj = firstJsonObject(text);
  if (obj !== undefined) return { text: obj, how: "object" };
  return { text: text.trim(), how: "whole" };
}

/** Remove <think>…</think> (and <thinking>…</thinking>) sections. */
export function stripThinking(s: string): string {
  return s.replace(/<(think|thinking)>[\s\S]*?<\/\1>/gi, "");
}

interface Block {
  lang: string;
  body: string;
}

/** CommonMark-style fences: ``` or ~~~ (3 or more), closed by the same character at least as long; an unclosed fence runs to the end. */
function fencedBlocks(s: string): Block[] {
  const lines = s.split(/\r?\n/);
  const out: Block[] = [];
  let open: { ch: string; len: number; lang: string; body: string[] } | undefined;
  for (const line of lines) {
    if (!open) {
      const m = line.match(/^\s{0,3}(`{3,}|~{3,})\s*([^\s`]*)/);
      if (m) open = { ch: m[1][0], len: m[1].length, lang: m[2].toLowerCase(), body: [] };
      continue;
    }
    const close = line.match(/^\s{0,3}(`{3,}|~{3,})\s*$/);
    if (close && close[1][0] === open.ch && close[1].length >= open.len) {
      out.push({ lang: open.lang, body: open.body.join("\n") });
      open = undefined;
    } else {
      open.body.push(line);
    }
  }
  if (open) out.push({ lang: open.lang, body: open.body.join("\n") });
  return out;
}

/**
 * The balanced {...} that starts at the first "{", skipping braces inside JSON strings. Undefined when it
 * never closes (a truncated reply): the whole text then goes to the parser, whose error says so.
 */
function firstJsonObject(s: string): string | undefined {
  const start = s.indexOf("{");
  if (start < 0) return undefined;
  let depth = 0;
  let inStr = false;
  for (let k = start; k < s.length; k++) {
    const ch = s[k];
    if (inStr) {
      if (ch === "\\") k++;
      else if (ch === '"') inStr = false;
    } else if (ch === '"') inStr = true;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return s.slice(start, k + 1);
  }
  return undefined;
}

import assert from "node:assert/strict";
import { test } from "node:test";
import { extractSpec } from "../../src/search/llm/index.ts";

test("a ```json fence inside prose yields only the fenced text", () => {
  const r = extractSpec('Here is my proposal.\n\n```json\n{"a": 1}\n```\n\nRationale: dryness matters.');
  assert.deepEqual(r, { text: '{"a": 1}', how: "fence" });
});

test("```yaml and ~~~ fences work, and the tag is case-insensitive", () => {
  assert.deepEqual(extractSpec("Spec:\n```YAML\nmechanisms:\n  - fuel_gpp\n```\n"), {
    text: "mechanisms:\n  - fuel_gpp",
    how: "fence",
  });
  assert.deepEqual(extractSpec("~~~yml\nk: v\n~~~"), { text: "k: v", how: "fence" });
});

test("a spec-tagged fence wins over other languages; among several, the last one", () => {
  const reply = [
    "In Python this would be:",
    "```python",
    "import os; os.system('rm -rf /')",
    "```",
    "Draft:",
    "```json",
    '{"draft": true}',
    "```",
    "Corrected:",
    "```json",
    '{"final": true}',
    "```",
  ].join("\n");
  assert.deepEqual(extractSpec(reply), { text: '{"final": true}', how: "fence" });
});

test("an untagged fence is used when no spec-tagged one exists", () => {
  assert.deepEqual(extractSpec('See:\n```\n{"x": 2}\n```'), { text: '{"x": 2}', how: "fence" });
});

test("a longer fence may contain a shorter one", () => {
  const r = extractSpec('````json\n{"doc": "```not a fence```"}\n```\n````');
  assert.equal(r.text, '{"doc": "```not a fence```"}\n```');
});

test("an unclosed fence (a reply cut off) runs to the end", () => {
  assert.deepEqual(extractSpec('```json\n{"a": [1, 2'), { text: '{"a": [1, 2', how: "fence" });
});

test("without fences, the first balanced JSON object is taken, braces in strings ignored", () => {
  const r = extractSpec('I propose {"f": "x{y}\\"}", "g": {"h": 1}} as the form. {"other": 2}');
  assert.deepEqual(r, { text: '{"f": "x{y}\\"}", "g": {"h": 1}}', how: "object" });
});

test("an object that never closes falls back to the whole reply, so the parser reports the truncation", () => {
  const reply = 'Here: {"a": {"b": 1}, "c": [';
  assert.deepEqual(extractSpec(reply), { text: reply, how: "whole" });
});

test("bare text is passed whole, trimmed; <think> sections are dropped first", () => {
  assert.deepEqual(extractSpec("  mechanisms: [fuel_gpp]\n"), {
    text: "mechanisms: [fuel_gpp]",
    how: "whole",
  });
  assert.deepEqual(extractSpec('<think>try {"no": 1}</think>\n{"yes": 1}'), {
    text: '{"yes": 1}',
    how: "object",
  });
  assert.deepEqual(extractSpec("<think>only thoughts</think>"), { text: "", how: "whole" });
});

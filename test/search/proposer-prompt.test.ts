import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { buildPrompt } from "../../src/search/proposers/llm/prompt.ts";
import { FORM_CHEAT_SHEET, SYSTEM_PROMPT } from "../../src/search/proposers/llm/prompt-text.ts";
import { SetKeyCache } from "../../src/search/proposers/novelty.ts";
import { baselineEntries, contextFor, libraryEntry } from "./proposer-fixtures.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const squash = (s: string) => s.replace(/\s+/g, " ").trim();

describe("LLM prompt", () => {
  test("the form-spec cheat sheet is docs/forms.md §7, word for word", () => {
    const doc = fs.readFileSync(path.join(ROOT, "docs/forms.md"), "utf8");
    const section = doc.split("## 7. For language-model prompts (cheat sheet)")[1];
    assert.ok(section, "docs/forms.md has no §7 cheat sheet");
    const body = section.split(/\n## /)[0];
    assert.equal(squash(FORM_CHEAT_SHEET), squash(body));
    assert.ok(SYSTEM_PROMPT.includes(FORM_CHEAT_SHEET));
  });

  test("a truth entry never reaches the prompt", () => {
    const truthIds = ["vdw_gpp_gate", "accumulated_dryness", "archibald_temp_sigmoid", "popdens_suppression"];
    const history = [
      ...baselineEntries(),
      libraryEntry("c0005", ["vdw_gpp_gate", "pr_fuel_hump"], 0.55),
      libraryEntry("c0006", truthIds, 0.71, { origin: "truth", hypothesis: "the generating form" }),
    ];
    const ctx = contextFor(2, history, null);
    const { user } = buildPrompt(ctx, new SetKeyCache());
    assert.ok(!user.includes("c0006"));
    assert.ok(!user.includes("0.710"));
    assert.ok(!user.includes("the generating form"));
    assert.ok(user.includes("c0005"));
    assert.match(user, /No candidate has been evaluated yet|Candidate c/);
  });

  test("the ledger tables are bounded for a long run", () => {
    const history = [...baselineEntries()];
    for (let k = 0; k < 400; k++) {
      const id = `c${String(history.length + 1).padStart(4, "0")}`;
      history.push({
        ...libraryEntry(id, ["vdw_gpp_gate", "accumulated_dryness"], 0.5 + k / 10000),
        hash: `h${k}`,
      });
    }
    const { user } = buildPrompt(contextFor(401, history, null), new SetKeyCache());
    assert.match(user, /\(254 older entries not shown\)/);
    assert.ok(user.length < 40_000, `prompt is ${user.length} characters`);
  });
});

/**
 * Every fixed sentence the LLM proposer sends, in one place: the system prompt, the section headings of the
 * user message, the reply format, and the wording of the repair prompts. The tables filled in from the
 * ledger are built in tables.ts; the messages are assembled in prompt.ts.
 */

/** docs/forms.md §7, verbatim (a test keeps the two in step). */
export const FORM_CHEAT_SHEET = `Reply with one YAML or JSON form spec. Terms are positive limitation factors combined by \`product\` (or
\`logit-sum\`, \`min\`, \`softmin\`); the global \`scale\` is added for you. Use library mechanisms by id
(\`- mechanism: vdw_gpp_gate\`, optionally \`params: {G0: {lo: 1, hi: 6}}\`) or write custom terms:
\`{name, expr, params: {p: {lo, hi, default, scale: lin|log}}, regime, cluster}\`. In \`expr\` use only numbers,
\`pi\`, the drivers listed above (exact names), your declared parameters, \`+ - * / ^\`, parentheses, and
\`exp log sqrt abs cos min max clamp sigmoid hump step lag runmean runmax runmin accum ewmean\`. Temporal
windows are literal whole months (\`runmean(pr, 12)\`, \`lag(gpp, 1)\`); \`accum\`/\`ewmean\` take a time scale
that may be a parameter (\`ewmean(gpp, tau)\`). Declare every parameter you use and use every parameter you
declare; give each parameter a value range that includes a point where the term is constant (e.g. a slope
from 0). No other syntax exists: no \`if\`, comparisons, indexing, strings or assignments.`;

/** mechanisms.md §1.6 as rules for the proposer. */
export const CLUSTER_RULES = `Redundancy clusters (mechanisms.md §1.6). Members of a cluster co-vary, so expect negative Shapley
interactions within one; a form carries:
- FUEL: at most one fuel-amount term (GPP ≈ 2·NPP, FAPAR ≈ GPP/(PAR·LUE), biomass is NPP integrated over years)
  plus at most one fuel-structure term (tree_cover_gate);
- MOIST-fast: one fast moisture term (VPD, rain, EMC and humidity are functions of T, RH and P on a daily-to-weekly scale);
- MOIST-slow: one slow moisture term (soil moisture, the Nesterov index and accumulated deficits integrate P − E with memory);
  MOIST-T (temperature) overlaps both through saturation vapour pressure and the Nesterov index;
- HUMAN: one net human response (population, GDP and cropland are collinear; ignition rising and suppression
  falling with the same population density form one non-identifiable hump); ignition_saturation also reads people;
- IGN: one ignition term. Lightning peaks in the wet season, so raw lightning correlates negatively with fire.
- PROD × MOIST: in the burning month GPP is low because it is dry, so a monthly GPP gate partly encodes dryness;
  lagged GPP (antecedent_fuel_buildup) keeps fuel and dryness separable.
Break a rule only on purpose, and then say so in the hypothesis ("breaks the §1.6 <cluster> rule because ...").`;

export const REPLY_FORMAT = `Reply with one JSON object and nothing else (no prose before or after; a \`\`\`json fence is fine):
{
  "hypothesis": "one or two sentences: what this form claims about fire, in words a fire modeller would accept",
  "rationale": "why this is the next thing to try, citing the ledger and the feedback by number (ids, scores, Shapley shares)",
  "parent": "the id of the ledger entry this form modifies (e.g. c0007), or null for a new start",
  "form": { "name": "...", "combiner": "product", "terms": [ { "mechanism": "..." } ] }
}
"form" is a form spec as described above. Everything in the reply is read as data: it is parsed, checked
against the grammar and the library, and never executed.`;

export const SYSTEM_PROMPT = `You are a fire ecologist and land-surface modeller proposing burned-area model forms for Kiln, a two-layer
autoresearch system. Each form you propose is fitted (its parameters searched within their bounds on the
training years), scored on the validation years with the ILAMB burned-area benchmark (Bias, RMSE, Seasonal
Cycle, Spatial Distribution and IAV scores per region, higher is better, combined into Overall), and, when it
improves, attributed with Shapley values over its terms (each subset refit). You see the results of earlier
forms and propose the next one. A sealed holdout period that you never see decides in the end.

What makes a good proposal:
- Ground every term in fire ecology. Prefer library mechanisms (their bounds contain an identity point, so
  Shapley refits nest); write a custom term only with a stated reason.
- Respect the redundancy clusters below; break a rule only with a hypothesis that says so.
- Use the feedback. Drop a term whose Shapley share is tiny or indistinguishable from zero, above all when a
  negative interaction names a partner that carries the same signal. Add or change the term of the control
  whose component scores are poor in the worst regions (a poor seasonal cycle points at moisture; a poor
  bias at fuel or people; a poor spatial pattern at fuel structure or people).
- Prefer fewer parameters at equal score: the winner is chosen by PySR's "best" rule on the Pareto front of
  Overall against parameter count.
- Never repeat a mechanism set that was already tried with the same combiner (the list is in the message).
- Use only the drivers listed as available.

${CLUSTER_RULES}

The form spec (the value of "form" in your reply):
${FORM_CHEAT_SHEET}

${REPLY_FORMAT}`;

export const HEADINGS = {
  frame: "## The frame (kiln.yaml, pinned for this run)",
  drivers: "## Drivers available in this dataset (exact names, Kiln's internal units)",
  catalogue: "## Mechanism library (usable with these drivers)",
  unusable: "Not usable here (a driver is missing):",
  ledger: "## The ledger so far",
  best: "### Best forms by validation Overall",
  pareto: "### Pareto front (validation Overall against parameter count)",
  tried: "### Mechanism sets already tried (never propose one of these again with the same combiner)",
  feedback: "## Feedback on the last candidate",
  noFeedback:
    "No candidate has been evaluated yet: start from a broad, plausible form (one term per control).",
  task: "## Your task",
} as const;

export function taskText(n: number): string {
  return `Propose candidate #${n}: a form whose mechanism set (with its combiner) is not in the tried list, using
only the available drivers. ${REPLY_FORMAT.split("\n")[0]}`;
}

/** Appended to the parser's error in every repair prompt. */
export const REPAIR_REMINDER =
  'Answer with the whole JSON object again: {"hypothesis": ..., "rationale": ..., "parent": ..., "form": {...}}.';

export const REPLY_ERRORS = {
  notJson: (detail: string) => `the reply is not valid JSON: ${detail}`,
  notYaml: (detail: string) => `the reply is neither valid JSON nor YAML: ${detail}`,
  notObject: "the reply must be one JSON object with hypothesis, rationale and form",
  bareForm:
    'the reply looks like a bare form spec: wrap it as {"hypothesis": "...", "rationale": "...", "form": {...the spec...}}',
  unknownKey: (key: string) =>
    `unknown key '${key}' at the top of the reply; allowed: hypothesis, rationale, parent, form`,
  missing: (key: string) => `'${key}' is missing or empty`,
  notText: (key: string) => `'${key}' must be text`,
  tooLong: (key: string, max: number) => `'${key}' is longer than ${max} characters; be brief`,
  formNotObject: "'form' must be an object: the form spec with name, combiner and terms",
  badParent: (id: string) =>
    `parent '${id}' is not an entry of the ledger; use an id from the tables above, or null for a new start`,
  missingDriver: (driver: string, where: string, available: string) =>
    `${where} reads '${driver}', which this dataset does not have; the available drivers are: ${available}`,
  triedSet: (key: string, id: string, score: string, status: string) =>
    `this mechanism set was already tried: ${key} is ledger entry ${id} (validation Overall ${score}, ${status}). Propose a different set of terms or a different combiner; the tried sets are listed in the first message.`,
  triedForm: (id: string, score: string) =>
    `this exact form (same canonical hash) was already tried as ledger entry ${id} (validation Overall ${score}). Propose something new.`,
} as const;

/** The two messages of an LLM proposal request: the fixed system prompt and the run-specific user message. */
import type { ProposalContext } from "../../types.ts";
import { visibleHistory } from "../history.ts";
import type { SetKeyCache } from "../novelty.ts";
import { HEADINGS, SYSTEM_PROMPT, taskText } from "./prompt-text.ts";
import { catalogueText, driversText, feedbackText, ledgerText } from "./tables.ts";

export interface PromptMessages {
  readonly system: string;
  readonly user: string;
}

export function buildPrompt(ctx: ProposalContext, keys: SetKeyCache): PromptMessages {
  const history = visibleHistory(ctx.history);
  const visible = new Set(history.map((e) => e.id));
  const user = [
    HEADINGS.frame,
    "```yaml\n" + ctx.frameText.trimEnd() + "\n```",
    HEADINGS.drivers,
    driversText(ctx.drivers),
    HEADINGS.catalogue,
    catalogueText(ctx.drivers),
    HEADINGS.ledger,
    ledgerText(
      history,
      ctx.pareto.filter((e) => visible.has(e.id)),
      keys,
    ),
    HEADINGS.feedback,
    feedbackText(ctx.feedback && visible.has(ctx.feedback.candidateId) ? ctx.feedback : null),
    HEADINGS.task,
    taskText(ctx.n),
  ].join("\n\n");
  return { system: SYSTEM_PROMPT, user };
}

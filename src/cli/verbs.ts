import type { Command } from "commander";
import { registerScore } from "./score.ts";
import { registerDemo } from "./demo.ts";
import { registerWorld } from "./world.ts";
import { registerAudit } from "./audit.ts";
import { registerMechanisms } from "./mechanisms.ts";
import { registerForm } from "./form.ts";
import { registerSearch } from "./search.ts";
import { registerLedger } from "./ledger.ts";
import { registerFit } from "./fit.ts";
import { registerShapley } from "./shapley.ts";
import { registerReport } from "./report.ts";

/** Each verb lives in its own file and registers itself on the program. */
export type RegisterVerb = (program: Command) => void;

export const VERBS: RegisterVerb[] = [
  registerDemo,
  registerWorld,
  registerAudit,
  registerScore,
  registerMechanisms,
  registerForm,
  registerFit,
  registerShapley,
  registerSearch,
  registerLedger,
  registerReport,
];

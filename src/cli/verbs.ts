import type { Command } from "commander";

/** Each verb lives in its own file and registers itself on the program. */
export type RegisterVerb = (program: Command) => void;

export const VERBS: RegisterVerb[] = [];

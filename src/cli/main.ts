import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { KilnError } from "../util/errors.ts";
import { VERBS } from "./verbs.ts";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("kiln")
    .description(
      "Two-layer autoresearch for scientific model forms: search burned-area formulas, fit them, score them " +
        "with ILAMB 2.7, attribute them with Shapley values, and prove the winner on sealed holdout years.",
    )
    .version(pkg.version, "-V, --version", "print the version")
    .showHelpAfterError("(run with --help for usage and examples)")
    .configureHelp({ sortSubcommands: false });
  for (const register of VERBS) register(program);
  program.addHelpText(
    "after",
    "\nEvery verb has its own help with an example, e.g. `kiln world --help`.\n" +
      "Quick start: `npm run demo` runs the whole loop on the built-in world.",
  );
  return program;
}

/** Run the CLI; user errors print without a stack trace and exit 2. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    if (e instanceof KilnError) {
      process.stderr.write(`kiln: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}

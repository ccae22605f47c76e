/**
 * An error meant for the user: what went wrong, where (a file, a variable, a line), and what to do.
 * The CLI prints these without a stack trace and exits with status 2.
 */
export class KilnError extends Error {
  readonly where: string | undefined;
  readonly hint: string | undefined;

  constructor(what: string, opts: { where?: string; hint?: string; cause?: unknown } = {}) {
    super(
      [opts.where ? `${opts.where}: ${what}` : what, opts.hint ? `  → ${opts.hint}` : ""]
        .filter(Boolean)
        .join("\n"),
      opts.cause === undefined ? undefined : { cause: opts.cause },
    );
    this.name = "KilnError";
    this.where = opts.where;
    this.hint = opts.hint;
  }
}

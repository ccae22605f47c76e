import cliProgress from "cli-progress";

/** Progress for long work: a bar with an ETA on a terminal, a line every few seconds otherwise. */
export interface Progress {
  tick(n?: number, status?: string): void;
  stop(): void;
}

export function progress(label: string, total: number, opts: { quiet?: boolean } = {}): Progress {
  if (opts.quiet) return { tick() {}, stop() {} };
  const start = Date.now();
  let done = 0;
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} | ETA {eta_formatted} | {status}`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { status: "" });
    return {
      tick(n = 1, status = "") {
        done += n;
        bar.update(done, { status });
      },
      stop() {
        bar.stop();
      },
    };
  }
  let lastPrint = 0;
  return {
    tick(n = 1, status = "") {
      done += n;
      const now = Date.now();
      if (now - lastPrint < 5000 && done < total) return;
      lastPrint = now;
      const el = (now - start) / 1000;
      const eta = done > 0 ? (el * (total - done)) / done : NaN;
      process.stderr.write(
        `${label}: ${done}/${total}, ${el.toFixed(0)} s elapsed, ETA ${Number.isFinite(eta) ? eta.toFixed(0) + " s" : "?"}${status ? " | " + status : ""}\n`,
      );
    },
    stop() {},
  };
}

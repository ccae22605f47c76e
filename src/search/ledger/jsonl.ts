/**
 * The ledger's truth: an append-only JSONL file. Each entry is one line, written with a single write and
 * fsync'd before `append` returns, so an entry the loop has moved past survives a killed process. A line
 * cut short by a kill during its write was never acknowledged: it is dropped (and reported) on reopen.
 */
import { createHash, type Hash } from "node:crypto";
import fs from "node:fs";
import { KilnError } from "../../util/errors.ts";
import { ENTRY_KINDS, type LedgerEntry } from "./entries.ts";

export interface ReadLedger {
  readonly entries: LedgerEntry[];
  /** Bytes of complete lines. */
  readonly bytes: number;
  /** sha256 (hex) of those bytes. */
  readonly sha256: string;
  /** Bytes of a partial last line (a write cut short), 0 when the file ends cleanly. */
  readonly tornBytes: number;
}

/** Parse a ledger file (missing: empty). Complete lines that are not entries are errors naming the line. */
export function readLedgerFile(file: string): ReadLedger {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      return { entries: [], bytes: 0, sha256: createHash("sha256").digest("hex"), tornBytes: 0 };
    }
    throw new KilnError(`cannot read the ledger (${(e as NodeJS.ErrnoException).code})`, { where: file });
  }
  const end = buf.lastIndexOf(0x0a) + 1;
  const text = buf.subarray(0, end).toString("utf8");
  const entries: LedgerEntry[] = [];
  let line = 0;
  for (const raw of text.split("\n")) {
    line++;
    if (raw === "") continue;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch (e) {
      throw new KilnError(`ledger line ${line} is not JSON: ${(e as Error).message}`, {
        where: `${file}:${line}`,
        hint: "the ledger is append-only; restore it from a copy rather than editing it",
      });
    }
    const kind = (v as { kind?: unknown } | null)?.kind;
    if (typeof kind !== "string" || !(ENTRY_KINDS as readonly string[]).includes(kind)) {
      throw new KilnError(`ledger line ${line} has no known kind (${String(kind)})`, {
        where: `${file}:${line}`,
      });
    }
    entries.push(v as LedgerEntry);
  }
  return {
    entries,
    bytes: end,
    sha256: createHash("sha256").update(buf.subarray(0, end)).digest("hex"),
    tornBytes: buf.length - end,
  };
}

/** An open ledger file for appending; keeps a running sha256 of its content. */
export class JsonlAppender {
  readonly file: string;
  private fd: number;
  private hash: Hash;
  private size: number;

  /** Open for appending after `read` (the file's parsed content); a torn last line is cut off first. */
  constructor(file: string, read: ReadLedger) {
    this.file = file;
    if (read.tornBytes > 0) fs.truncateSync(file, read.bytes);
    const existed = fs.existsSync(file);
    this.fd = fs.openSync(file, "a");
    if (!existed) fsyncDir(file);
    this.size = read.bytes;
    this.hash = createHash("sha256");
    if (read.bytes > 0) {
      const fd = fs.openSync(file, "r");
      try {
        const b = Buffer.alloc(read.bytes);
        fs.readSync(fd, b, 0, read.bytes, 0);
        this.hash.update(b);
      } finally {
        fs.closeSync(fd);
      }
    }
  }

  /** Append one entry as one line, durably. */
  append(entry: LedgerEntry): { bytes: number; sha256: string } {
    const line = Buffer.from(JSON.stringify(entry) + "\n", "utf8");
    let off = 0;
    while (off < line.length) off += fs.writeSync(this.fd, line, off, line.length - off);
    fs.fsyncSync(this.fd);
    this.hash.update(line);
    this.size += line.length;
    return { bytes: this.size, sha256: this.hash.copy().digest("hex") };
  }

  get bytes(): number {
    return this.size;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Make a new file's directory entry durable too. */
function fsyncDir(file: string): void {
  const dir = file.slice(0, Math.max(0, file.lastIndexOf("/"))) || ".";
  try {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // some filesystems refuse fsync on a directory; the file's own fsync still holds its content
  }
}

/**
 * Reading a frame: YAML text → validated Frame, with errors that name the file, the line and the key; and
 * its canonical form and hash (defaults filled, keys sorted), which is what a run pins.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { LineCounter, isMap, isScalar, parseDocument, stringify } from "yaml";
import type { z } from "zod";
import { KilnError } from "../../util/errors.ts";
import { frameSchema, type Frame } from "./schema.ts";

/** A validated frame with what a run needs to pin it and to resolve its relative paths. */
export interface LoadedFrame {
  readonly frame: Frame;
  /** The text to pin (the file as written, or YAML of the object given). */
  readonly text: string;
  /** Canonical JSON: the validated frame with defaults filled and keys sorted. */
  readonly canonical: string;
  /** sha256 (hex) of the canonical JSON. */
  readonly hash: string;
  /** Absolute folder that relative paths (dataset, baseline files) are resolved against. */
  readonly dir: string;
  /** Where the frame came from (a path, or "<object>"). */
  readonly source: string;
  /** The run's name: frame.name, else the frame file's folder name. */
  readonly name: string;
}

/** Read and validate a frame file. */
export function loadFrame(framePath: string): LoadedFrame {
  const abs = path.resolve(framePath);
  let text: string;
  try {
    text = fs.readFileSync(abs, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new KilnError(code === "ENOENT" ? "frame not found" : `cannot read the frame (${code})`, {
      where: abs,
      hint: "pass the frame with --frame PATH (e.g. examples/world/kiln.yaml)",
    });
  }
  return parseFrameText(text, abs);
}

/**
 * Validate frame text; `source` is the file path used in messages, and relative paths resolve against
 * `dir` (default: the source's folder).
 */
export function parseFrameText(
  text: string,
  source: string,
  dir = path.dirname(path.resolve(source)),
): LoadedFrame {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    throw new KilnError(`frame: YAML syntax error: ${e.message.split("\n")[0]}`, {
      where: pos ? `${source}:${pos.line}:${pos.col}` : source,
      hint: "fix the YAML (indentation, quotes, brackets)",
    });
  }
  // The deepest node along the key path; for the last key, the key itself (an unknown key is shown where
  // it is written). `exact` says whether the whole path exists.
  const find = (keys: readonly PropertyKey[]): { at: string; exact: boolean } => {
    const ks = keys.map((k) => (typeof k === "symbol" ? String(k) : k));
    for (let n = ks.length; n >= 0; n--) {
      let range: [number, number, number] | undefined;
      if (n > 0) {
        const parent = n === 1 ? doc.contents : doc.getIn(ks.slice(0, n - 1), true);
        if (isMap(parent)) {
          const pair = parent.items.find(
            (it) => isScalar(it.key) && String(it.key.value) === String(ks[n - 1]),
          );
          range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
        }
      } else range = (doc.contents as { range?: [number, number, number] } | null)?.range;
      if (range) {
        const p = lineCounter.linePos(range[0]);
        return { at: `${source}:${p.line}:${p.col}`, exact: n === ks.length };
      }
    }
    return { at: source, exact: false };
  };
  const locate = (keys: readonly PropertyKey[]): string => find(keys).at;
  const exactly = (keys: readonly PropertyKey[]): string | null => {
    const r = find(keys);
    return r.exact ? r.at : null;
  };
  const raw: unknown = doc.toJS({ maxAliasCount: 0 }) ?? {};
  return validate(raw, text, source, dir, locate, exactly);
}

/**
 * A frame from an object (e.g. built by `kiln demo`); relative paths resolve against `dir`. The pinned text
 * is the object's YAML.
 */
export function frameFromObject(raw: unknown, dir: string): LoadedFrame {
  const text = stringify(raw);
  return validate(
    raw,
    text,
    "<frame object>",
    path.resolve(dir),
    () => "<frame object>",
    () => null,
  );
}

function validate(
  raw: unknown,
  text: string,
  source: string,
  dir: string,
  locate: (keys: readonly PropertyKey[]) => string,
  exactly: (keys: readonly PropertyKey[]) => string | null,
): LoadedFrame {
  const r = frameSchema.safeParse(raw);
  if (!r.success) throw frameError(r.error, source, locate, exactly);
  const frame = r.data;
  const canonical = canonicalJson(frame);
  const fileDir = path.basename(dir);
  return {
    frame,
    text,
    canonical,
    hash: createHash("sha256").update(canonical).digest("hex"),
    dir,
    source,
    name: frame.name ?? (fileDir || "search"),
  };
}

function frameError(
  error: z.ZodError,
  source: string,
  locate: (keys: readonly PropertyKey[]) => string,
  exactly: (keys: readonly PropertyKey[]) => string | null,
): KilnError {
  const lines = error.issues.map((i) => {
    const keys = [...i.path];
    if (i.code === "unrecognized_keys") keys.push(i.keys[0]);
    const where = exactly(keys);
    const key = keys.length ? keys.map(String).join(".") : "(top level)";
    const line = where?.startsWith(source + ":") ? `line ${where.slice(source.length + 1)}` : "";
    return `${key}${line ? ` (${line})` : ""}: ${message(i)}`;
  });
  const first = error.issues[0];
  const firstKeys = [...first.path];
  if (first.code === "unrecognized_keys") firstKeys.push(first.keys[0]);
  return new KilnError(`invalid frame:\n  ${lines.join("\n  ")}`, {
    where: locate(firstKeys),
    hint: "see docs/frame.md for every key and its default (examples/world/kiln.yaml is a full example)",
  });
}

function message(i: z.core.$ZodIssue): string {
  if (i.code === "unrecognized_keys") {
    const keys = i.keys.join(", ");
    const secret = i.keys.some((k) => /^api[_-]?key$|^key$|token|secret/i.test(k));
    return `unknown key${i.keys.length > 1 ? "s" : ""} ${keys}${
      secret ? " (the API key never goes in a frame: name its environment variable in llm.apiKeyEnv)" : ""
    }`;
  }
  if (i.code === "invalid_type" && /received undefined/.test(i.message)) return "required";
  return i.message;
}

/** JSON with object keys sorted at every level: one text per value, whatever the key order written. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/**
 * The dataset config (YAML): its schema, and parsing with errors that name the file, the line and the key.
 * See docs/io.md for the format.
 */
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { parseYears } from "../grid/split.ts";
import { KilnError } from "../util/errors.ts";

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const fileSource = z.strictObject({
  /** Path of the file, relative to `root`. */
  file: z.string().min(1),
  /** Variable inside the file; default: the file's single gridded variable. */
  variable: z.string().min(1).optional(),
  /** What the file really holds; overrides the file's units attribute. */
  units: z.string().min(1).optional(),
  /** Multiplier applied to the values before the unit conversion. */
  scale: z
    .number()
    .refine((x) => Number.isFinite(x) && x !== 0, "scale must be a finite, non-zero number")
    .optional(),
  /** true: one value per cell (the file has no time axis, or a single step); false: monthly. */
  static: z.boolean().optional(),
  long_name: z.string().optional(),
});

const gfedSource = z.strictObject({
  /** Folder of GFED4.1s_YYYY.hdf5 files, relative to `root`. */
  gfed: z.string().min(1),
  /** Resolution in degrees to coarsen the 0.25° burned fraction to (0.25, 0.5, 1, 2, ...). */
  resolution: z.number().positive().default(0.25),
});

export type FileSource = z.infer<typeof fileSource>;
export type GfedSource = z.infer<typeof gfedSource>;

const yearsSchema = z
  .union([z.string(), z.number().int(), z.array(z.number().int()).min(1)])
  .transform((v, ctx) => {
    try {
      if (typeof v === "number") return [v];
      if (Array.isArray(v)) return [...new Set(v)].sort((a, b) => a - b);
      return parseYears(v);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message });
      return z.NEVER;
    }
  });

const cellsSchema = z.union([
  z.literal("target"),
  z.literal("all-fields"),
  z.strictObject({ file: z.string().min(1), variable: z.string().min(1).optional() }),
]);

export const datasetConfigSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    /** Folder the files are relative to; itself relative to the config's folder. Default: that folder. */
    root: z.string().min(1).optional(),
    /** The field the forms predict (usually burned_area). */
    target: z.string().regex(FIELD_NAME).optional(),
    /** Calendar years to keep; default: the years the files hold (they must agree). */
    years: yearsSchema.optional(),
    /**
     * Which grid cells are valid: "target" (the target has at least one finite value; the default when
     * a target is named), "all-fields" (every field has one; the default otherwise), or a mask file
     * (cells where the mask is finite and non-zero).
     */
    cells: cellsSchema.optional(),
    variables: z
      .record(
        z.string().regex(FIELD_NAME, "field names are letters, digits and _"),
        z.union([fileSource, gfedSource]),
      )
      .refine((r) => Object.keys(r).length > 0, "name at least one variable"),
    /** Free-form global attributes (written by writeDataset). */
    attributes: z.record(z.string(), z.string()).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.target !== undefined && !(c.target in c.variables)) {
      ctx.addIssue({
        code: "custom",
        path: ["target"],
        message: `target '${c.target}' is not one of the variables (${Object.keys(c.variables).join(", ")})`,
      });
    }
    if (c.cells === "target" && c.target === undefined) {
      ctx.addIssue({ code: "custom", path: ["cells"], message: "cells: target needs a `target:`" });
    }
  });

export type DatasetConfig = z.infer<typeof datasetConfigSchema>;

export function isGfedSource(s: FileSource | GfedSource): s is GfedSource {
  return "gfed" in s;
}

export interface ParsedConfig {
  config: DatasetConfig;
  /** "path:line:col (key a.b.c)" for a key path, for error messages. */
  locate(keys: readonly (string | number)[]): string;
}

/** Parse and validate config text; a KilnError naming the file, line and key on any problem. */
export function parseDatasetConfig(text: string, configPath: string): ParsedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    throw new KilnError(`YAML syntax error: ${e.message.split("\n")[0]}`, {
      where: pos ? `${configPath}:${pos.line}:${pos.col}` : configPath,
      hint: "fix the YAML (indentation, quotes, brackets)",
    });
  }
  const locate = (keys: readonly (string | number)[]): string => {
    // the deepest node that exists along the key path
    for (let n = keys.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | null)?.range;
      if (range) {
        const p = lineCounter.linePos(range[0]);
        return `${configPath}:${p.line}:${p.col}${keys.length ? ` (key ${keys.join(".")})` : ""}`;
      }
    }
    return configPath;
  };
  const raw: unknown = doc.toJS();
  const parsed = datasetConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const first = issues[0];
    const lines = issues.map((i) => {
      const keys = i.path.map((k) => (typeof k === "symbol" ? String(k) : k));
      const extra = i.code === "unrecognized_keys" ? ` (allowed here: ${allowedKeys(keys).join(", ")})` : "";
      return `${keys.length ? keys.join(".") : "(top level)"}: ${i.message}${extra}`;
    });
    const firstKeys = first.path.map((k) => (typeof k === "symbol" ? String(k) : k));
    if (first.code === "unrecognized_keys") firstKeys.push(first.keys[0]);
    throw new KilnError(`invalid dataset config:\n  ${lines.join("\n  ")}`, {
      where: locate(firstKeys),
      hint: "see docs/io.md for the dataset config format",
    });
  }
  return { config: parsed.data, locate };
}

function allowedKeys(keys: readonly (string | number)[]): string[] {
  if (keys.length === 0) return Object.keys(datasetConfigSchema.shape);
  if (keys[0] === "variables" && keys.length === 2) {
    return [...Object.keys(fileSource.shape), "or for a GFED source: gfed, resolution"];
  }
  if (keys[0] === "cells") return ["file", "variable"];
  return [];
}

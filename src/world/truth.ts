import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Dataset } from "../grid/dataset.ts";
import { KilnError } from "../util/errors.ts";
import { componentRng, type WorldContext } from "./context.ts";
import { normals, smoothField } from "./noise.ts";

/**
 * The built-in truth: burned fraction per cell and month as a product of four library mechanisms and a
 * global scale, times unmodelled heterogeneity, with observation noise.
 */
export const TRUTH_FORMULA =
  "burned_area = clip(scale · vdw_gpp_gate(gpp) · accumulated_dryness(dryness) · archibald_temp_sigmoid(tas) · " +
  "popdens_suppression(popdens) · exp(σ_h·h(x) − σ_h²/2) · exp(σ_n·ε − σ_n²/2), 0, 1), set to 0 below the " +
  "detection limit; vdw_gpp_gate = (G/G0)^a·exp(a(1 − G/G0)), accumulated_dryness = σ(k(D − D0)), " +
  "archibald_temp_sigmoid = σ(k(T − T0)), popdens_suppression = floor + (1 − floor)·exp(−r·PD^q), " +
  "h a smooth unit-variance random field fixed in time, ε independent standard normal per cell and month";

const positive = z.number().positive();
const finite = z.number().finite();

export const TruthParamsSchema = z
  .object({
    scale: positive.describe("global scale: burned fraction per month when every factor is 1"),
    mechanisms: z
      .object({
        vdw_gpp_gate: z.object({ G0: positive, a: z.number().min(0) }).strict(),
        accumulated_dryness: z.object({ k: finite, D0: finite }).strict(),
        archibald_temp_sigmoid: z.object({ k: finite, T0: finite }).strict(),
        popdens_suppression: z
          .object({ floor: z.number().min(0).max(1), r: z.number().min(0), q: positive })
          .strict(),
      })
      .strict(),
    heterogeneity: z
      .object({
        sigma: z.number().min(0).describe("std of log multiplier"),
        lengthScaleDeg: positive.describe("correlation length of the random field"),
      })
      .strict(),
    noise: z
      .object({
        sigma: z.number().min(0).describe("std of the log observation error per cell and month"),
        detectionLimit: z.number().min(0).describe("observed values below this are reported as 0"),
      })
      .strict(),
  })
  .strict();

export type TruthParams = z.infer<typeof TruthParamsSchema>;

/** The drivers each mechanism of the truth reads. */
export const TRUTH_DRIVERS = {
  vdw_gpp_gate: "gpp",
  accumulated_dryness: "dryness",
  archibald_temp_sigmoid: "tas",
  popdens_suppression: "popdens",
} as const;

export const DEFAULT_TRUTH: TruthParams = {
  scale: 0.28,
  mechanisms: {
    vdw_gpp_gate: { G0: 2.1, a: 5 },
    accumulated_dryness: { k: 12, D0: 0.6 },
    archibald_temp_sigmoid: { k: 0.5, T0: 10 },
    popdens_suppression: { floor: 0.02, r: 0.04, q: 0.9 },
  },
  heterogeneity: { sigma: 0.5, lengthScaleDeg: 12 },
  noise: { sigma: 0.35, detectionLimit: 1e-4 },
};

/** The built-in truth as a form spec (the four library mechanisms; the format of src/forms). */
export const BUILTIN_TRUTH_FORM = {
  name: "world-truth",
  combiner: "product",
  terms: [
    { mechanism: "vdw_gpp_gate" },
    { mechanism: "accumulated_dryness" },
    { mechanism: "archibald_temp_sigmoid" },
    { mechanism: "popdens_suppression" },
  ],
} as const;

/** The built-in truth's parameters under the form's canonical names ("scale", "<mechanism>.<param>"). */
export function builtinFormParams(p: TruthParams): Record<string, number> {
  const out: Record<string, number> = { scale: p.scale };
  for (const [mech, ps] of Object.entries(p.mechanisms)) {
    for (const [k, v] of Object.entries(ps)) out[`${mech}.${k}`] = v;
  }
  return out;
}

/**
 * A truth given as a form: its expected burned fraction comes from the caller (the CLI compiles the form),
 * because the world room sits above the forms room. Heterogeneity and noise still come from TruthParams.
 */
export interface TruthModel {
  /** Expected burned fraction (no heterogeneity, no noise) from the drivers, time-major over the cells. */
  mean(drivers: Dataset): Float32Array;
  /** The form spec (plain JSON) and its parameter values, recorded in truth.json. */
  readonly form: unknown;
  readonly params: Readonly<Record<string, number>>;
  /** A readable formula, e.g. the form's canonical text. */
  readonly formula: string;
  readonly drivers: readonly string[];
}

/** Read a truth parameter file (JSON or YAML); errors name the file and the offending key. */
export function readTruthFile(path: string): TruthParams {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new KilnError(`cannot read the truth file: ${(e as Error).message}`, {
      where: path,
      hint: "pass a JSON or YAML parameter file such as examples/world/truth.yaml",
    });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new KilnError(`not valid JSON or YAML: ${(e as Error).message}`, { where: path });
  }
  // truth.json written beside a world holds the parameters under "parameters"; accept it as input too.
  if (raw && typeof raw === "object" && "parameters" in raw)
    raw = (raw as { parameters: unknown }).parameters;
  const parsed = TruthParamsSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new KilnError(
      `invalid truth parameters at '${first.path.join(".") || "(top)"}': ${first.message}`,
      {
        where: path,
        hint: "compare with examples/world/truth.yaml (keys: scale, mechanisms, heterogeneity, noise)",
      },
    );
  }
  return parsed.data;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** The truth's expected burned fraction without heterogeneity and noise: the part a form can recover. */
export function truthMean(
  p: TruthParams,
  gpp: Float32Array,
  dryness: Float32Array,
  tas: Float32Array,
  popdens: Float32Array,
): Float32Array {
  const { G0, a } = p.mechanisms.vdw_gpp_gate;
  const kd = p.mechanisms.accumulated_dryness.k;
  const D0 = p.mechanisms.accumulated_dryness.D0;
  const kt = p.mechanisms.archibald_temp_sigmoid.k;
  const T0 = p.mechanisms.archibald_temp_sigmoid.T0;
  const { floor, r, q } = p.mechanisms.popdens_suppression;
  const out = new Float32Array(gpp.length);
  for (let k = 0; k < out.length; k++) {
    const x = gpp[k] / G0;
    const gate = x > 0 ? Math.pow(x, a) * Math.exp(a * (1 - x)) : a === 0 ? 1 : 0;
    const dry = sigmoid(kd * (dryness[k] - D0));
    const warm = sigmoid(kt * (tas[k] - T0));
    const people = floor + (1 - floor) * Math.exp(-r * Math.pow(Math.max(0, popdens[k]), q));
    out[k] = p.scale * gate * dry * warm * people;
  }
  return out;
}

/** The smooth log-heterogeneity field h(x) of the truth (unit variance, one value per cell). */
export function heterogeneityField(ctx: WorldContext, p: TruthParams): Float64Array {
  const L = p.heterogeneity.lengthScaleDeg;
  return smoothField(componentRng(ctx, "truth-heterogeneity"), ctx.geo.lat, ctx.geo.lon, [
    [L, 1],
    [L / 2.5, 0.5],
  ]);
}

/** The observed target: the truth's mean times heterogeneity and observation noise, detection, clipping. */
export function observeTarget(ctx: WorldContext, p: TruthParams, mean: Float32Array): Float32Array {
  const { nCell, nTime } = ctx;
  const h = heterogeneityField(ctx, p);
  const sh = p.heterogeneity.sigma;
  const mult = Float64Array.from(h, (x) => Math.exp(sh * x - 0.5 * sh * sh));
  const eps = normals(componentRng(ctx, "truth-noise"), nCell * nTime);
  const sn = p.noise.sigma;
  const limit = p.noise.detectionLimit;
  const out = new Float32Array(nCell * nTime);
  for (let t = 0; t < nTime; t++) {
    const row = t * nCell;
    for (let c = 0; c < nCell; c++) {
      const k = row + c;
      const v = mean[k] * mult[c] * Math.exp(sn * eps[k] - 0.5 * sn * sn);
      out[k] = v < limit ? 0 : v > 1 ? 1 : v;
    }
  }
  return out;
}

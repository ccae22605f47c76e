/**
 * The regional half of ILAMB 2.7's scoring: `integrateInSpace` of every map over each region (area
 * weighted, optionally mass weighted), the spatial distribution score, and the Overall Score.
 */
import type { PreparedReference } from "./prepare.ts";
import { spatialDistribution, type SpatialSums } from "./spatial.ts";
import { OVERALL_WEIGHTS, SCALAR, type RegionResult, type ScalarName, type ScoreResult } from "./types.ts";
import type { Workspace } from "./workspace.ts";

export function integrateRegions(prep: PreparedReference, ws: Workspace): ScoreResult {
  const regions: RegionResult[] = [];
  for (const r of prep.regions) regions.push(integrateRegion(prep, ws, r.label, r.members));
  const u = prep.units;
  return {
    regions,
    units: {
      [SCALAR.periodMean]: u,
      [SCALAR.refMeanI]: u,
      [SCALAR.modMeanI]: u,
      [SCALAR.refMeanC]: u,
      [SCALAR.modMeanC]: u,
      [SCALAR.bias]: u,
      [SCALAR.rmse]: u,
      [SCALAR.phaseShift]: "months",
      [SCALAR.biasScore]: "1",
      [SCALAR.rmseScore]: "1",
      [SCALAR.seasonalScore]: "1",
      [SCALAR.spatialScore]: "1",
      [SCALAR.iavScore]: "1",
      [SCALAR.overall]: "1",
    },
  };
}

function integrateRegion(
  prep: PreparedReference,
  ws: Workspace,
  label: string,
  members: Int32Array,
): RegionResult {
  const A = prep.areas;
  const rbar = prep.refMean;
  const refValid = prep.refValid;
  const mass = prep.massWeighting;
  const { modelValid, inter, modelMean, bias, biasScore, rmse, rmseScore, shiftDays } = ws;
  const { seasonalScore, seasonalLinear, iavScore } = ws;

  let pmN = 0,
    pmD = 0; // model period mean, original grid (model-valid cells)
  let riN = 0,
    mIN = 0,
    iD = 0; // intersection means, and Bias (same measure)
  let bN = 0;
  let rcN = 0,
    rcD = 0,
    mcN = 0,
    mcD = 0; // complements
  let bsN = 0,
    bsD = 0;
  let rmN = 0,
    rmD = 0,
    rsN = 0,
    rsD = 0;
  let psN = 0,
    psD = 0,
    ssN = 0,
    ssD = 0,
    slN = 0,
    slD = 0;
  let ivN = 0,
    ivD = 0;
  const sp: SpatialSums = { n: 0, sx: 0, sy: 0, sxx: 0, syy: 0, sxy: 0 };

  for (let j = 0; j < members.length; j++) {
    const c = members[j];
    const a = A[c];
    const mv = modelValid[c];
    if (mv) {
      pmN += modelMean[c] * a;
      pmD += a;
    }
    if (!inter[c]) {
      if (mv) {
        mcN += modelMean[c] * a;
        mcD += a;
      } else if (refValid[c]) {
        rcN += rbar[c] * a;
        rcD += a;
      }
      continue;
    }
    const x = rbar[c];
    const y = modelMean[c];
    riN += x * a;
    mIN += y * a;
    bN += bias[c] * a;
    iD += a;
    sp.n++;
    sp.sx += x;
    sp.sy += y;
    sp.sxx += x * x;
    sp.syy += y * y;
    sp.sxy += x * y;
    // integrateInSpace(weight=normalizer): the measure is area × reference period mean on I.
    const aw = mass ? a * x : a;
    bsN += biasScore[c] * aw;
    bsD += aw;
    const rv = rmse[c];
    if (rv === rv) {
      rmN += rv * a;
      rmD += a;
    }
    const rs = rmseScore[c];
    if (rs === rs) {
      rsN += rs * aw;
      rsD += aw;
    }
    const sh = shiftDays[c];
    if (sh === sh) {
      psN += Math.abs(sh / 30) * a;
      psD += a;
      ssN += seasonalScore[c] * aw;
      ssD += aw;
      slN += seasonalLinear[c] * aw;
      slD += aw;
    }
    const iv = iavScore[c];
    if (iv === iv) {
      ivN += iv * aw;
      ivD += aw;
    }
  }

  const sd = spatialDistribution(sp, members, inter, rbar, modelMean, prep.nGridCells);
  const scalars: Partial<Record<ScalarName, number>> = {
    [SCALAR.periodMean]: pmN / pmD,
    [SCALAR.refMeanI]: riN / iD,
    [SCALAR.modMeanI]: mIN / iD,
    [SCALAR.refMeanC]: rcN / rcD,
    [SCALAR.modMeanC]: mcN / mcD,
    [SCALAR.bias]: bN / iD,
    [SCALAR.biasScore]: bsN / bsD,
  };
  if (prep.hasRmse) {
    scalars[SCALAR.rmse] = rmN / rmD;
    scalars[SCALAR.rmseScore] = rsN / rsD;
  }
  if (prep.hasCycle) {
    scalars[SCALAR.phaseShift] = psN / psD;
    scalars[SCALAR.seasonalScore] = ssN / ssD;
  }
  scalars[SCALAR.spatialScore] = sd.score;
  const iav = prep.hasIav ? ivN / ivD : NaN;
  if (prep.iav === true && prep.hasIav) scalars[SCALAR.iavScore] = iav;
  scalars[SCALAR.overall] = overallScore(scalars);

  return {
    region: label,
    scalars,
    components: {
      bias: scalars[SCALAR.biasScore] ?? NaN,
      rmse: scalars[SCALAR.rmseScore] ?? NaN,
      seasonal: scalars[SCALAR.seasonalScore] ?? NaN,
      spatial: sd.score,
      iav,
      seasonalLinear: prep.hasCycle ? slN / slD : NaN,
      spatialPearson: sd.pearsonScore,
    },
    spatialStd: sd.std,
    spatialR: sd.R,
  };
}

/** `Confrontation.computeOverallScore`: Σ w·S / Σ w over the scores present (RMSE weighs 2). */
export function overallScore(scalars: Partial<Record<ScalarName, number>>): number {
  let num = 0;
  let den = 0;
  for (const [name, v] of Object.entries(scalars)) {
    if (!name.includes("Score") || name.includes("Overall") || v === undefined) continue;
    const w = OVERALL_WEIGHTS[name] ?? 1;
    num += w * v;
    den += w;
  }
  return num / Math.max(den, 1e-12);
}

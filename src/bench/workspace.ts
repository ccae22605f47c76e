/**
 * Scratch and per-cell result buffers for scoring one model against a prepared reference. Allocated once
 * per reference and overwritten by every call, so the hot path allocates nothing of the model's size.
 * Values are per compressed cell; NaN marks a cell ILAMB masks in that map.
 */
export interface Workspace {
  readonly nCell: number;
  // accumulators
  readonly sumM: Float64Array;
  readonly sumDtM: Float64Array;
  /** Model climatology: sums during the pass, then means (NaN where no year is unmasked). */
  readonly cycle: Float64Array;
  readonly cycleCount: Uint16Array;
  readonly sqSum: Float64Array;
  readonly sqDt: Float64Array;
  readonly crSum: Float64Array;
  readonly iavSum: Float64Array;
  readonly iavDt: Float64Array;
  /** Row-wise sums over the 12 climatology slots: largest value, sum and count of the unmasked ones. */
  readonly peakVal: Float64Array;
  readonly slotSum: Float64Array;
  readonly slotCount: Float64Array;
  readonly slotDen: Float64Array;
  // per-cell results
  readonly modelMean: Float64Array;
  readonly modelValid: Uint8Array;
  /** 1 in the intersection I: reference and model both have an unmasked month. */
  readonly inter: Uint8Array;
  readonly bias: Float64Array;
  readonly biasScore: Float64Array;
  /** The reported RMSE map (not centred). */
  readonly rmse: Float64Array;
  /** The centred RMSE the score uses. */
  readonly crmse: Float64Array;
  readonly rmseScore: Float64Array;
  readonly modelPeak: Int8Array;
  /** Phase shift in days, model peak minus reference peak, wrapped to ±182.5. */
  readonly shiftDays: Float64Array;
  readonly seasonalScore: Float64Array;
  readonly seasonalLinear: Float64Array;
  readonly iavModel: Float64Array;
  readonly iavScore: Float64Array;
}

export function createWorkspace(nCell: number): Workspace {
  const f = () => new Float64Array(nCell);
  return {
    nCell,
    sumM: f(),
    sumDtM: f(),
    cycle: new Float64Array(12 * nCell),
    cycleCount: new Uint16Array(12 * nCell),
    sqSum: f(),
    sqDt: f(),
    crSum: f(),
    iavSum: f(),
    iavDt: f(),
    peakVal: f(),
    slotSum: f(),
    slotCount: f(),
    slotDen: f(),
    modelMean: f(),
    modelValid: new Uint8Array(nCell),
    inter: new Uint8Array(nCell),
    bias: f(),
    biasScore: f(),
    rmse: f(),
    crmse: f(),
    rmseScore: f(),
    modelPeak: new Int8Array(nCell),
    shiftDays: f(),
    seasonalScore: f(),
    seasonalLinear: f(),
    iavModel: f(),
    iavScore: f(),
  };
}

import { KilnError } from "../util/errors.ts";
import type { CoalitionCache } from "./cache.ts";
import { checkGame, type Game } from "./game.ts";
import type { ShapleyResult } from "./result.ts";
import { shapley, type ShapleyOptions } from "./shapley.ts";

/**
 * Shapley on the validation-years score beside the training-years score of the same fits (mechanisms.md
 * §4.5 step 3). The two games are expected to share the refit layer's cache of fits, so v_train(S) costs
 * no refit once v_val(S) is known. A mechanism whose training share exceeds its validation share by more
 * than `overfitMargin` buys training score that does not carry over: it is flagged.
 * Validation runs first; in permutation mode the training run reuses the validation orders and draws.
 */
export interface TrainValidationOptions extends Omit<ShapleyOptions, "cache" | "orders"> {
  /** Margin on share_train − share_val. Default 0.1 (ten percentage points of v(N) − v(∅)). */
  overfitMargin?: number;
  trainCache?: CoalitionCache;
  validationCache?: CoalitionCache;
}

export interface TrainValidationResult {
  kind: "kiln.shapley-train-validation";
  players: string[];
  validation: ShapleyResult;
  train: ShapleyResult;
  /** share_train − share_val per player (null when a share is undefined). */
  shareGap: (number | null)[];
  overfit: boolean[];
  overfitMargin: number;
}

export async function shapleyTrainValidation(
  games: { train: Game; validation: Game },
  opts: TrainValidationOptions = {},
): Promise<TrainValidationResult> {
  const { train, validation } = games;
  checkGame(train, "training game");
  checkGame(validation, "validation game");
  if (train.n !== validation.n || train.players.some((p, i) => p !== validation.players[i])) {
    throw new KilnError("the training and validation games have different players", {
      where: "train/validation ablation",
      hint: "both games must be the same form's mechanisms, in the same order",
    });
  }
  const margin = opts.overfitMargin ?? 0.1;
  if (!(margin >= 0))
    throw new KilnError(`overfitMargin must be ≥ 0, got ${margin}`, { where: "ablation options" });
  const { trainCache, validationCache, overfitMargin: _m, ...shared } = opts;
  const val = await shapley(validation, { ...shared, cache: validationCache });
  const tr = await shapley(train, {
    ...shared,
    cache: trainCache,
    orders: val.sampling?.orders,
    banzhafSamples: val.sampling?.banzhafSamples ?? shared.banzhafSamples,
  });
  const shareGap = tr.share.map((s, i) => {
    const v = val.share[i];
    return s === null || v === null ? null : s - v;
  });
  return {
    kind: "kiln.shapley-train-validation",
    players: [...validation.players],
    validation: val,
    train: tr,
    shareGap,
    overfit: shareGap.map((g) => g !== null && g > margin),
    overfitMargin: margin,
  };
}

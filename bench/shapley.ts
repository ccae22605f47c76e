// Speed of the attribution engine on abstract games (no refits): `npx tsx bench/shapley.ts`.
// Prints medians over repeats; the game's value() is an array lookup, so this is the engine's own cost.
import {
  banzhafExact,
  banzhafInteraction,
  type Game,
  shapley,
  shapleyExact,
  shapleyInteraction,
} from "../src/ablate/index.ts";
import { Rng } from "../src/util/rng.ts";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(repeats: number, f: () => unknown): Promise<number> {
  const ms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

function tableGame(n: number, seed: number): Game {
  const rng = new Rng(seed);
  const v = Float64Array.from({ length: 2 ** n }, () => rng.uniform(0, 1));
  return { n, players: Array.from({ length: n }, (_, k) => `m${k}`), value: async (mask) => v[mask] };
}

const n = 12;
const rng = new Rng(1);
const table = Float64Array.from({ length: 2 ** n }, () => rng.uniform(0, 1));
const kernels = await time(21, () => {
  shapleyExact(table, n);
  banzhafExact(table, n);
  shapleyInteraction(table, n);
  banzhafInteraction(table, n);
});
console.log(
  `N = 12, 4096 cached values: Shapley + Banzhaf + both interaction matrices: ${kernels.toFixed(2)} ms (median of 21)`,
);

for (const concurrency of [1, 2]) {
  const full = await time(11, () => shapley(tableGame(n, 2), { concurrency }));
  console.log(
    `N = 12, exact shapley() end to end (4096 async value() calls, scheduler, all outputs), concurrency ${concurrency}: ${full.toFixed(1)} ms (median of 11)`,
  );
}

const big = 20;
const perm = await time(5, () =>
  shapley(tableGame(big, 3), {
    method: "permutation",
    maxPermutations: 400,
    tolerance: 0,
    banzhafSamples: 200,
  }),
);
console.log(
  `N = 20, 400 permutations (≈ 7,600 coalitions) + 200 Banzhaf draws: ${perm.toFixed(1)} ms (median of 5)`,
);

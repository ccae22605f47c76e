/**
 * Rendering speed of the plotting primitives: median wall time over repeated renders (after one warm-up).
 * Run: npx tsx bench/plot.ts
 */
import { Grid } from "../src/grid/grid.ts";
import { ILAMB_REGION_LABELS } from "../src/grid/regions.ts";
import {
  barChart,
  heatmap,
  lineChart,
  renderMap,
  renderMapPanel,
  scatterChart,
} from "../src/report/plot/index.ts";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(label: string, runs: number, f: () => Buffer): void {
  const bytes = f().length;
  const ms: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
  }
  console.log(
    `${label.padEnd(46)} median ${median(ms).toFixed(1).padStart(7)} ms  (min ${Math.min(...ms).toFixed(1)}, ${runs} runs, ${(bytes / 1024).toFixed(0)} KB)`,
  );
}

function smoothField(grid: Grid): Float64Array {
  const v = new Float64Array(grid.nCell);
  for (let i = 0; i < grid.nLat; i++) {
    for (let j = 0; j < grid.nLon; j++) {
      const lat = grid.lat[i];
      const lon = grid.lon[j];
      v[i * grid.nLon + j] =
        Math.abs(lat) > 70
          ? NaN
          : 1e-3 * Math.exp(-((lat - 8) ** 2) / 300) * (1.2 + Math.sin(lon / 17) * Math.cos(lat / 7));
    }
  }
  return v;
}

for (const res of [2, 1, 0.5, 0.25]) {
  const grid = Grid.regular(res);
  const values = smoothField(grid);
  time(`renderMap ${res}° global (${grid.nLon}×${grid.nLat}), log`, res < 0.5 ? 7 : 11, () =>
    renderMap({ grid, values, title: "Mean burned area", units: "fraction month⁻¹", log: true }),
  );
}
{
  const grid = Grid.regular(0.5);
  const values = smoothField(grid);
  time("renderMap 0.5° diverging, no coastlines", 11, () =>
    renderMap({ grid, values: values.map((v) => v - 5e-4), colours: "diverging", coastlines: false }),
  );
  time("renderMapPanel 3 × 0.5° maps", 5, () =>
    renderMapPanel({
      maps: [0, 1, 2].map((k) => ({ grid, values: values.map((v) => v * (k + 1)), title: `map ${k}` })),
      columns: 3,
    }),
  );
}
{
  const grid = Grid.regular(0.5, { latMin: -22, latMax: -16, lonMin: -59, lonMax: -55 });
  time("renderMap Pantanal box 12×8 at 0.5°", 11, () =>
    renderMap({ grid, values: smoothField(grid), title: "Pantanal" }),
  );
}

const m = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const series = ILAMB_REGION_LABELS.flatMap((r, k) => [
  { name: "reference", panel: r, x: m, y: m.map((i) => k + Math.sin(i)) },
  { name: "model", panel: r, x: m, y: m.map((i) => k + Math.cos(i)) },
]);
time("lineChart 15 regional panels × 2 series", 7, () =>
  lineChart({ series, months: true, title: "Seasonal cycles" }),
);
const xs = Array.from({ length: 200 }, (_, k) => k + 1);
time("lineChart trajectory, 200 candidates", 7, () =>
  lineChart({ series: [{ name: "candidate", x: xs, y: xs.map((k) => Math.sin(k)), style: "points" }] }),
);
time("barChart 12 bars with error bars", 7, () =>
  barChart({
    bars: Array.from({ length: 12 }, (_, k) => ({
      label: `mechanism ${k}`,
      value: 0.1 - k * 0.01,
      error: 0.005,
    })),
  }),
);
const labels = Array.from({ length: 8 }, (_, k) => `mechanism ${k}`);
time("heatmap 8 × 8", 7, () =>
  heatmap({
    labels,
    values: labels.map((_, i) => labels.map((_, j) => (i === j ? NaN : Math.sin(i + j) / 50))),
  }),
);
time("scatterChart 200 points", 7, () =>
  scatterChart({
    points: xs.map((k) => ({ x: k % 17, y: Math.sin(k), highlight: k % 23 === 0, label: `c${k}` })),
  }),
);

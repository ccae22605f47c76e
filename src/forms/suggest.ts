/** "Did you mean ...?" for misspelt names. */

/** Edit distance (insert, delete, substitute, transpose adjacent). */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  const d: number[][] = [];
  for (let i = 0; i <= n; i++) d.push(new Array<number>(m + 1).fill(0));
  for (let i = 0; i <= n; i++) d[i][0] = i;
  for (let j = 0; j <= m; j++) d[0][j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

/** Words people (and language models) use for Kiln's drivers. */
const SYNONYMS: Record<string, string> = {
  temp: "tas",
  temperature: "tas",
  t2m: "tas",
  tair: "tas",
  air_temperature: "tas",
  tmax: "tasmax",
  precip: "pr",
  precipitation: "pr",
  rain: "pr",
  rainfall: "pr",
  humidity: "rh",
  relative_humidity: "rh",
  hurs: "rh",
  population: "popdens",
  pop: "popdens",
  population_density: "popdens",
  pd: "popdens",
  tree_cover: "treecover",
  trees: "treecover",
  cveg: "biomass",
  agb: "biomass",
  fuel: "biomass",
  fpar: "fapar",
  soil_moisture: "soilm",
  mrsos: "soilm",
  theta: "soilm",
  crop: "cropland",
  crops: "cropland",
  lightning_flashes: "lightning",
  flashes: "lightning",
  gdp_per_capita: "gdp",
  windspeed: "wind",
  sfcwind: "wind",
  latitude: "lat",
  dry_days: "drydays",
  npp: "gpp",
};

/** The closest candidate to `name`, or undefined when nothing is close. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const lower = name.toLowerCase();
  const syn = SYNONYMS[lower];
  if (syn !== undefined && list.includes(syn)) return syn;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of list) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  const limit = lower.length <= 3 ? 1 : lower.length <= 6 ? 2 : 3;
  return bestD <= limit ? best : undefined;
}

/** ", did you mean 'x'?" or "". */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const s = suggest(name, candidates);
  return s === undefined ? "" : `, did you mean '${s}'?`;
}

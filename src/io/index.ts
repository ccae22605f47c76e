export type { GriddedVariable } from "./types.ts";
export { readGridded, listGridded, type ReadOptions } from "./read.ts";
export { loadDataset, type LoadedDataset, type SourceInfo } from "./dataset-config.ts";
export { parseDatasetConfig, type DatasetConfig } from "./config-schema.ts";
export { writeDataset, writeIlambBurntArea, ILAMB_FILL, type WriteDatasetOptions } from "./write.ts";
export { converter, conversion, parseUnits, type Conversion } from "./units.ts";
export { readGfed, type GfedOptions, type GfedResult } from "./gfed.ts";
export { decodeMonths, parseCalendar, parseTimeUnits, type Calendar } from "./cf-time.ts";

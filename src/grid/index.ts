export * from "./grid.ts";
export * from "./time.ts";
export * from "./cells.ts";
export * from "./field.ts";
export * from "./dataset.ts";
export * from "./regions.ts";
export * from "./split.ts";

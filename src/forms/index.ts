/** The form layer: spec, expression language, checked forms, kernels, canonical hash, exporters. */
export * from "./spec.ts";
export * from "./check.ts";
export * from "./form.ts";
export * from "./inputs.ts";
export * from "./kernel.ts";
export * from "./evaluate.ts";
export * from "./params.ts";
export { canonicalTerm, hashText } from "./canonical.ts";
export { EXPORT_TARGETS, EXPORT_EXTENSIONS, exportForm, type ExportTarget } from "./export/index.ts";
export { parseExpr, LIMITS } from "./dsl/parser.ts";
export { DslError, describePos } from "./dsl/lexer.ts";
export { FUNCTIONS, MAX_WINDOW } from "./dsl/functions.ts";
export { INPUT_NAMES, PSEUDO_DRIVERS } from "./dsl/names.ts";

export * from "./types.ts";
export * from "./library.ts";
export { NESTEROV_PROXY } from "./moisture.ts";

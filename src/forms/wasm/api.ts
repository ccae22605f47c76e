/**
 * The part of the WebAssembly JavaScript API the kernels use, typed here: the project's TypeScript lib
 * (ES2023, Node types) declares no WebAssembly globals. Undefined where the runtime has none.
 */
export interface WasmModule {
  readonly __wasmModule?: never;
}
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (mod: WasmModule, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (desc: { initial: number }) => { readonly buffer: ArrayBuffer };
}
export const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

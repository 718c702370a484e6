// @ts-nocheck — AssemblyScript, compiled by asc (bench/micro/scalar-wasm.ts), not by tsc.
//
// The scalar twin of build/kernels.wasm, for the micro-benchmarks: the product's own kernels,
// compiled from the same source WITHOUT the SIMD feature, so every primitive takes the plain branch
// beside its SIMD body (`if (ASC_FEATURE_SIMD)` in assembly/vecmath.ts, assembly/glove.ts,
// assembly/similarity.ts) and neither asc nor Binaryen can emit a v128 instruction. Nothing is
// copied: the only difference from the product build is the vector width.
export { trainWord2VecChunk as trainWord2VecChunkScalar } from '../../assembly/w2v';
export { trainGloveChunk as trainGloveChunkScalar } from '../../assembly/glove';
export { scoreRows as scoreRowsScalar } from '../../assembly/similarity';
export { dot as dotScalar, axpy as axpyScalar } from '../../assembly/exports';

/** An empty export: the cost of a JS → WebAssembly call and nothing else. */
export function noop(): void {}

/** An export with the signature of trainWord2VecChunk that does no work: call cost with 4 arguments and an i32 result. */
export function noop4(a: usize, b: usize, c: usize, d: i32): i32 {
  return d;
}

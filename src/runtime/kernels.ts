import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The compiled kernels (assembly/ → build/kernels.wasm). They import one shared memory and take
 * byte offsets into it; they own no memory, no allocator and no mutable static data, so any number
 * of instances (one per worker thread) can run on the same memory.
 */
export interface KernelExports {
  // vecmath.ts (exported for tests and micro-benchmarks)
  dot(a: number, b: number, n: number): number;
  axpy(alpha: number, x: number, y: number, n: number): void;
  // w2v.ts
  trainWord2VecChunk(config: number, worker: number, ids: number, count: number): number;
  initWord2VecMatrix(matrix: number, rows: number, dim: number, stride: number, seed: bigint, width: number): bigint;
  initWord2VecRows(matrix: number, rowList: number, count: number, dim: number, stride: number, seed: bigint, width: number): bigint;
  // supervised.ts (block layout in src/supervised/layout.ts)
  trainSupervisedChunk(config: number, worker: number, begin: number, end: number, maxExamples: number): number;
  updateSupervised(config: number, worker: number, rows: number, inputs: number, labelIds: number, labels: number, target: number, lr: number): number;
  softmaxScores(output: number, hidden: number, scores: number, labels: number, dim: number): void;
  meanOfRows(input: number, rows: number, count: number, hidden: number, dim: number): void;
  initSupervisedMatrix(matrix: number, rows: number, dim: number, stride: number, seed: bigint): bigint;
  // cooccur.ts (block layouts in glove-layout.ts)
  countCooccurrences(block: number): number;
  sortReduceRun(block: number): number;
  countDenseNonzero(rowStart: number, dense: number, rowBegin: number, rowEnd: number): number;
  mergeCooccurrences(block: number): number;
  validateRecords(records: number, count: number, vocabSize: number, previousKey: bigint): number;
  // wordcount.ts (block layout in byte-vocabulary.ts)
  countWords(block: number): number;
  rehashWords(block: number): void;
  // glove.ts
  trainGloveChunk(config: number, records: number, count: number): number;
  seedRandom(state: number, seed: bigint): void;
  prepareRecords(records: number, count: number, xMax: number, alpha: number): void;
  shuffleRange(records: number, top: number, bottom: number, state: number, convert: number, xMax: number, alpha: number): void;
  bucketDraw(count: number, bucketBits: number, histogram: number, state: number): void;
  bucketScatter(records: number, from: number, to: number, scratch: number, bucketBits: number, histogram: number, state: number): void;
  initGloveMatrix(matrix: number, rows: number, dim: number, stride: number, rowBytes: number, state: number): void;
  // abi-echo.ts (test/runtime/abi.test.ts)
  echoWord2VecConfig(config: number, out: number): number;
  echoWord2VecWorker(worker: number, out: number): number;
  echoGloveConfig(config: number, out: number): number;
  // losses.ts: one loss term as the word2vec kernel tallies it (test/word2vec/loss.test.ts)
  lossTermOf(config: number, f: number, label: number): number;
  // spmm.ts (randomized SVD: CSR transpose, f32 CSR products and Cholesky-QR steps on f64 rows)
  rowsToF32(x: number, x32: number, rowBegin: number, rowEnd: number, stride: number, stride32: number): void;
  spmmRowsF32(rowPtr: number, entries: number, x32: number, out: number, scratch: number, rowBegin: number, rowEnd: number, stride: number, stride32: number): void;
  transposeCsr(rowPtr: number, entries: number, rows: number, cols: number, tRowPtr: number, tEntries: number): void;
  gramRows(x: number, g: number, rowBegin: number, rowEnd: number, cols: number, stride: number): void;
  multiplySmall(x: number, m: number, out: number, rowBegin: number, rowEnd: number, inner: number, stride: number, upper: number): void;
  [name: string]: unknown;
}

// src/runtime/ (vitest) sits two levels below the root, dist/src/runtime/ (built package) three.
const wasmPath = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../build/kernels.wasm' : '../../../build/kernels.wasm', import.meta.url));

let cachedModule: WebAssembly.Module | undefined;

/** The compiled module, compiled once per thread and cheap to post to workers. */
export function kernelModule(): WebAssembly.Module {
  if (!cachedModule) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(wasmPath);
    } catch (error) {
      throw new Error(`cannot read the compiled kernels at ${wasmPath}: run \`npm run build\` first`, { cause: error });
    }
    cachedModule = new WebAssembly.Module(bytes);
  }
  return cachedModule;
}

export function instantiateKernels(memory: WebAssembly.Memory, module: WebAssembly.Module = kernelModule()): KernelExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as KernelExports;
}

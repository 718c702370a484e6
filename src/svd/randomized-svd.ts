// Main-thread side of the randomized truncated SVD of the CSR matrix in an SVD memory: draws the
// Gaussian test matrix (seeded, the same for any number of threads), starts one task per worker
// (src/svd/shards.ts runs the algorithm), reports progress from the workers' step counter and reads
// the singular triplets back.
import { AbortError } from '../errors.js';
import { instantiateKernels, kernelModule } from '../runtime/kernels.js';
import { runOnWorkers } from '../runtime/worker-pool.js';
import { CONTROL, splitByWeight, splitEvenly, type SvdPlan } from './layout.js';
import { GaussianStream } from './small-linalg.js';
import type { SvdResult, SvdTask } from './shards.js';

export interface RandomizedSvdInput {
  memory: WebAssembly.Memory;
  plan: SvdPlan;
  /** Singular triplets wanted (k); the sketch has plan.width = k + oversamples columns. */
  rank: number;
  powerIterations: number;
  seed: number;
  /** Ω (cols × width, row-major) to use instead of drawing it from the seed: to compare with another implementation on the same sketch (bench/svd/factorise.ts). */
  testMatrix?: Float64Array;
  threads: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

export interface TruncatedSvd {
  /** The k largest singular values, largest first. */
  sigma: Float64Array;
  /** Left singular vectors, rows × k row-major. */
  u: Float64Array;
  /** Right singular vectors, cols × k row-major. */
  v: Float64Array;
  /** Cholesky-QR passes that needed a shift. */
  shiftedPasses: number;
}

/** A ≈ U·diag(σ)·Vᵀ for the CSR matrix already in `memory` at plan.rowPtr / plan.entries. */
export async function randomizedSvd(input: RandomizedSvdInput): Promise<TruncatedSvd> {
  const { memory, plan, rank, threads } = input;
  const { rows, cols, width, stride } = plan;
  if (rank > width) throw new Error(`internal: rank ${rank} > sketch width ${width}`);
  const control = new Int32Array(memory.buffer, plan.control, CONTROL.int32s).fill(0);

  // The test matrix Ω (cols × width) in the second dense matrix, drawn row by row.
  const omega = new Float64Array(memory.buffer, plan.dense[1], cols * stride);
  const gaussian = new GaussianStream(input.seed);
  const given = input.testMatrix;
  if (given !== undefined && given.length !== cols * width) throw new Error(`internal: the test matrix has ${given.length} values, not ${cols} × ${width}`);
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < width; j++) omega[i * stride + j] = given !== undefined ? given[i * width + j] : gaussian.normal();
    for (let j = width; j < stride; j++) omega[i * stride + j] = 0;
  }

  // Aᵀ in CSR, once (O(nnz)): the workers then compute Aᵀ·Y by rows of Aᵀ, as A·X by rows of A.
  const module = kernelModule();
  instantiateKernels(memory, module).transposeCsr(plan.rowPtr, plan.entries, rows, cols, plan.tRowPtr, plan.tEntries);
  const rowPtr = new Uint32Array(memory.buffer, plan.rowPtr, rows + 1);
  const tRowPtr = new Uint32Array(memory.buffer, plan.tRowPtr, cols + 1);
  const base = {
    kind: 'svd' as const, module, memory, threads, control: plan.control, rows, cols, width, stride, stride32: plan.stride32,
    powerIterations: input.powerIterations, gram: plan.gram, small: plan.small, dense: plan.dense, operand32: plan.operand32, scratch32: plan.scratch32,
    rowPtr: plan.rowPtr, entries: plan.entries, tRowPtr: plan.tRowPtr, tEntries: plan.tEntries,
    sparseRanges: splitByWeight(rowPtr, rows, threads), transposedRanges: splitByWeight(tRowPtr, cols, threads),
    rowRanges: splitEvenly(rows, threads), colRanges: splitEvenly(cols, threads),
  };
  const tasks: SvdTask[] = Array.from({ length: threads }, (_, worker) => ({ ...base, worker }));
  // Steps counted by worker 0: A·Ω, 2 per power iteration, Aᵀ·Q, and the final products.
  const steps = 3 + 2 * input.powerIterations;
  const results = await runOnWorkers<SvdTask, SvdResult>(tasks, {
    signal: input.signal,
    stop: () => Atomics.store(control, CONTROL.abort, 1),
    onTick: input.onProgress && (() => input.onProgress!(Math.min(1, Atomics.load(control, CONTROL.step) / steps))),
  });
  if (results.some((r) => r.aborted)) throw new AbortError();
  const first = results[0];
  const take = (offset: number, n: number): Float64Array => {
    const all = new Float64Array(memory.buffer, offset, n * stride);
    const out = new Float64Array(n * rank);
    for (let i = 0; i < n; i++) for (let j = 0; j < rank; j++) out[i * rank + j] = all[i * stride + j];
    return out;
  };
  return {
    sigma: first.sigma!.slice(0, rank),
    u: take(first.u!, rows),
    v: take(first.v!, cols),
    shiftedPasses: first.shifted ?? 0,
  };
}

// Worker side of the randomized SVD (Halko, Martinsson & Tropp 2011, algorithms 4.4 and 5.1). Every
// worker runs the whole algorithm: it does its row block of each large product (A·X, Aᵀ·Y, XᵀX,
// X·M) in WebAssembly, meets the others at a barrier in shared memory, and computes the small
// (k+p) × (k+p) steps itself from the same shared partial results, in the same order, so all
// workers hold the same small matrices without any message. One pool start for the whole SVD.
import { instantiateKernels } from '../runtime/kernels.js';
import { CONTROL } from './layout.js';
import { cholesky, jacobiSvd, multiply, upperInverse, type Square } from './small-linalg.js';

export interface SvdTask {
  kind: 'svd';
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  worker: number;
  threads: number;
  control: number;
  rows: number;
  cols: number;
  width: number;
  stride: number;
  stride32: number;
  powerIterations: number;
  gram: number[];
  small: number[];
  /** dense[1] holds the Gaussian test matrix (cols × width) on entry. */
  dense: [number, number, number];
  /** The f32 copy of a sparse product's operand, and each worker's f32 row (assembly/spmm.ts spmmRowsF32). */
  operand32: number;
  scratch32: number[];
  rowPtr: number;
  entries: number;
  /** Aᵀ in CSR (assembly/spmm.ts transposeCsr), built before the workers start. */
  tRowPtr: number;
  tEntries: number;
  /** Row blocks of A (for A·X) and of Aᵀ (for Aᵀ·Y) balanced by entries. */
  sparseRanges: [number, number][];
  transposedRanges: [number, number][];
  /** Even row blocks of the rows × width and cols × width dense matrices. */
  rowRanges: [number, number][];
  colRanges: [number, number][];
}

export interface SvdResult {
  aborted: boolean;
  /** Singular values, largest first (width of them). */
  sigma?: Float64Array;
  /** Which dense matrix holds U (rows × width) and V (cols × width). */
  u?: number;
  v?: number;
  /** Cholesky-QR passes that needed a shift (ill-conditioned or rank-deficient blocks). */
  shifted?: number;
}

/** How long a worker waiting at the barrier sleeps between checks of the abort flag. */
const BARRIER_POLL_MS = 50;
/** Rows per kernel call in the dense steps: the abort flag is checked in between. */
const CHUNK_ROWS = 8192;

class Aborted extends Error {}

export function runSvdShard(task: SvdTask): SvdResult {
  try {
    return runSvd(task);
  } catch (error) {
    if (error instanceof Aborted) return { aborted: true };
    throw error;
  }
}

function runSvd(task: SvdTask): SvdResult {
  const k = instantiateKernels(task.memory, task.module);
  const { worker, threads, width, stride, rows, cols } = task;
  const control = new Int32Array(task.memory.buffer, task.control, CONTROL.int32s);
  const checkAbort = () => {
    if (Atomics.load(control, CONTROL.abort) !== 0) throw new Aborted();
  };
  const barrier = () => {
    const generation = Atomics.load(control, CONTROL.barrierGeneration);
    if (Atomics.add(control, CONTROL.barrierCount, 1) === threads - 1) {
      Atomics.store(control, CONTROL.barrierCount, 0);
      Atomics.add(control, CONTROL.barrierGeneration, 1);
      Atomics.notify(control, CONTROL.barrierGeneration);
    } else {
      while (Atomics.load(control, CONTROL.barrierGeneration) === generation) {
        checkAbort();
        Atomics.wait(control, CONTROL.barrierGeneration, generation, BARRIER_POLL_MS);
      }
    }
    checkAbort();
  };
  const step = () => {
    if (worker === 0) Atomics.add(control, CONTROL.step, 1);
  };
  const chunked = (range: [number, number], run: (begin: number, end: number) => void) => {
    for (let begin = range[0]; begin < range[1]; begin += CHUNK_ROWS) {
      checkAbort();
      run(begin, Math.min(range[1], begin + CHUNK_ROWS));
    }
  };
  const sparse = task.sparseRanges[worker];
  const transposed = task.transposedRanges[worker];

  const { stride32, operand32 } = task;
  const scratch = task.scratch32[worker];
  /** out (rows × width) = A · x (cols × width), x rounded to f32 first (by even row blocks). */
  const timesA = (x: number, out: number) => {
    chunked(task.colRanges[worker], (b, e) => k.rowsToF32(x, operand32, b, e, stride, stride32));
    barrier();
    chunked(sparse, (b, e) => k.spmmRowsF32(task.rowPtr, task.entries, operand32, out, scratch, b, e, stride, stride32));
    barrier();
    step();
  };
  /** out (cols × width) = Aᵀ · y (rows × width), by row blocks of Aᵀ's CSR. */
  const timesAT = (y: number, out: number) => {
    chunked(task.rowRanges[worker], (b, e) => k.rowsToF32(y, operand32, b, e, stride, stride32));
    barrier();
    chunked(transposed, (b, e) => k.spmmRowsF32(task.tRowPtr, task.tEntries, operand32, out, scratch, b, e, stride, stride32));
    barrier();
    step();
  };

  const smallView = (offset: number) => new Float64Array(task.memory.buffer, offset, width * stride);
  const writeSmall = (m: Square) => {
    const view = smallView(task.small[worker]).fill(0);
    for (let i = 0; i < width; i++) for (let j = 0; j < width; j++) view[i * stride + j] = m[i * width + j];
  };
  let shifted = 0;

  /**
   * Orthonormalises the columns of x (n × width) by Cholesky-QR: `passes` 2 is Cholesky-QR2, exact to
   * rounding; 1 is enough to keep the power iterations well conditioned (scikit-learn normalises
   * them with LU). A Gram matrix that is not numerically positive definite gets a shifted pass and
   * two more (shifted Cholesky-QR3, Fukaya et al. 2020). Returns the buffer holding Q, and R with x = Q·R.
   */
  const orthonormalise = (x: number, spare: number, n: number, ranges: [number, number][], passes: number): { q: number; spare: number; r: Square } => {
    let r: Square = identity(width);
    for (let pass = 0; pass < passes; pass++) {
      smallView(task.gram[worker]).fill(0);
      chunked(ranges[worker], (b, e) => k.gramRows(x, task.gram[worker], b, e, width, stride));
      barrier();
      const g = new Float64Array(width * width);
      for (let t = 0; t < threads; t++) {
        const part = smallView(task.gram[t]);
        for (let i = 0; i < width; i++) for (let j = i; j < width; j++) g[i * width + j] += part[i * stride + j];
      }
      for (let i = 0; i < width; i++) for (let j = 0; j < i; j++) g[i * width + j] = g[j * width + i];
      // The shift of shifted Cholesky-QR3: 11(n·w + w(w+1))·u·‖X‖² (‖X‖² ≤ trace).
      let trace = 0;
      for (let i = 0; i < width; i++) trace += g[i * width + i];
      let shift = 11 * (n * width + width * (width + 1)) * 2 ** -53 * Math.max(trace, Number.MIN_VALUE);
      let factor = cholesky(g, width);
      // A pivot² under the shift is a column within rounding of the others' span (the f32 products
      // leave ~1e-7 of noise where a sketch wider than A's rank has nothing): plain Cholesky-QR
      // cannot orthonormalise that, so it is treated as a failed factorisation.
      if (factor !== undefined && minPivotSquared(factor, width) < shift) factor = undefined;
      if (factor === undefined) {
        // Shift, then two more plain passes.
        while (factor === undefined) {
          const shiftedG = g.slice();
          for (let i = 0; i < width; i++) shiftedG[i * width + i] += shift;
          factor = cholesky(shiftedG, width);
          shift *= 10;
        }
        shifted++;
        passes = Math.max(passes, pass + 3);
      }
      writeSmall(upperInverse(factor, width));
      chunked(ranges[worker], (b, e) => k.multiplySmall(x, task.small[worker], spare, b, e, width, stride, 1));
      barrier();
      [x, spare] = [spare, x];
      r = multiply(factor, r, width);
    }
    return { q: x, spare, r };
  };

  // Y = A·Ω, then q power iterations Q ← orth(A·orth(Aᵀ·Q)).
  let [a, b, c] = task.dense;
  timesA(b, a);
  const last = task.powerIterations;
  let o = orthonormalise(a, c, rows, task.rowRanges, last === 0 ? 2 : 1);
  let q = o.q;
  let free1 = o.spare;
  let free2 = b;
  for (let it = 0; it < task.powerIterations; it++) {
    timesAT(q, free1);
    const z = orthonormalise(free1, free2, cols, task.colRanges, 1);
    timesA(z.q, z.spare);
    o = orthonormalise(z.spare, q, rows, task.rowRanges, it === last - 1 ? 2 : 1);
    free1 = z.q;
    free2 = o.spare;
    q = o.q;
  }
  // Bᵀ = Aᵀ·Q = Q₂·R; R = U_r·Σ·V_rᵀ, so A ≈ Q·Qᵀ·A = (Q·V_r)·Σ·(Q₂·U_r)ᵀ.
  timesAT(q, free1);
  const bt = orthonormalise(free1, free2, cols, task.colRanges, 2);
  const small = jacobiSvd(bt.r, width);
  writeSmall(small.v);
  chunked(task.rowRanges[worker], (b0, e0) => k.multiplySmall(q, task.small[worker], bt.spare, b0, e0, width, stride, 0));
  barrier();
  const u = bt.spare;
  writeSmall(small.u);
  chunked(task.colRanges[worker], (b0, e0) => k.multiplySmall(bt.q, task.small[worker], q, b0, e0, width, stride, 0));
  barrier();
  step();
  return { aborted: false, sigma: small.s, u, v: q, shifted };
}

function minPivotSquared(r: Square, n: number): number {
  let min = Infinity;
  for (let i = 0; i < n; i++) min = Math.min(min, r[i * n + i] ** 2);
  return min;
}

function identity(n: number): Square {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

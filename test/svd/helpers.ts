// Shared by the SVD tests: dense test matrices with a known SVD, and loading a matrix into an SVD memory as CSR.
import { createSvdMemory, planSvd, ENTRY_BYTES, type SvdPlan } from '../../src/svd/layout.js';
import { GaussianStream } from '../../src/svd/small-linalg.js';

/** n × k with orthonormal columns (Gram–Schmidt twice on Gaussian columns), row-major. */
export function orthonormalColumns(n: number, k: number, seed: number): Float64Array {
  const g = new GaussianStream(seed);
  const q = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) q[i] = g.normal();
  for (let j = 0; j < k; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[i * k + j] * q[i * k + p];
        for (let i = 0; i < n; i++) q[i * k + j] -= d * q[i * k + p];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[i * k + j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) q[i * k + j] /= norm;
  }
  return q;
}

/** U·diag(s)·Vᵀ (rows × cols, row-major) with U, V from orthonormalColumns. */
export function knownMatrix(rows: number, cols: number, s: number[], seed: number): { a: Float64Array; u: Float64Array; v: Float64Array } {
  const r = s.length;
  const u = orthonormalColumns(rows, r, seed);
  const v = orthonormalColumns(cols, r, seed + 1);
  const a = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
    let x = 0;
    for (let p = 0; p < r; p++) x += u[i * r + p] * s[p] * v[j * r + p];
    a[i * cols + j] = x;
  }
  return { a, u, v };
}

/** Loads a dense matrix's non-zero entries into a new SVD memory as CSR (f32 values, so pass values exact in f32 to compare exactly). */
export function loadDense(a: ArrayLike<number>, rows: number, cols: number, width: number, threads: number): { memory: WebAssembly.Memory; plan: SvdPlan; nnz: number } {
  let nnz = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) nnz++;
  const plan = planSvd(rows, cols, Math.max(1, nnz), width, threads);
  const memory = createSvdMemory(plan);
  const rowPtr = new Uint32Array(memory.buffer, plan.rowPtr, rows + 1);
  const view = new DataView(memory.buffer, plan.entries, Math.max(1, nnz) * ENTRY_BYTES);
  let e = 0;
  for (let i = 0; i < rows; i++) {
    rowPtr[i] = e;
    for (let j = 0; j < cols; j++) {
      const x = a[i * cols + j];
      if (x === 0) continue;
      view.setUint32(e * ENTRY_BYTES, j, true);
      view.setFloat32(e * ENTRY_BYTES + 4, x, true);
      e++;
    }
  }
  rowPtr[rows] = e;
  return { memory, plan, nnz };
}

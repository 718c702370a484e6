// The 2-D map of the explorer: principal component analysis of a few thousand unit word vectors,
// computed with the randomized SVD's dense kernels (assembly/spmm.ts): gramRows forms XᵀX of the
// centred rows and multiplySmall projects them on the two leading eigenvectors. Only the d × d
// eigenproblem (d = the vector dimension, a few hundred at most) runs in JavaScript, by orthogonal
// iteration, which costs nothing beside the two passes over the rows.
import { Wasm2VecError } from '../errors.js';
import { instantiateKernels } from '../runtime/kernels.js';
import { MemoryLayout } from '../runtime/memory-layout.js';

/** 2-D coordinates of the rows, and the share of the variance each axis explains. */
export interface Projection {
  /** x of row i at 2i, y at 2i + 1. */
  coordinates: Float64Array;
  /** Variance along each axis ÷ total variance (0 when the rows are all equal). */
  explained: [number, number];
}

/** Orthogonal iteration stops when no component of either vector moves more than this, or after MAX_ITERATIONS. */
const TOLERANCE = 1e-12;
const MAX_ITERATIONS = 500;

/**
 * Projects `count` rows of `dim` floats (row i at rows[i·dim]) on their two principal axes. Axis
 * signs are fixed (each axis's largest component positive), so the same rows give the same map.
 */
export function pca2d(rows: Float32Array, count: number, dim: number): Projection {
  if (!Number.isInteger(count) || count < 1) throw new Wasm2VecError(`a map needs at least one word, got ${count}`);
  if (rows.length < count * dim) throw new Error(`internal: pca2d got ${rows.length} floats for ${count} rows of ${dim}`);
  // f64 rows padded to an even stride: the kernels step two doubles at a time
  const stride = dim + (dim & 1);
  const layout = new MemoryLayout();
  const x = layout.take('centred rows', count * stride * 8);
  const gram = layout.take('Gram matrix', dim * stride * 8);
  const axes = layout.take('axes', dim * stride * 8);
  const out = layout.take('projected rows', count * stride * 8);
  const memory = layout.createMemory();
  const kernels = instantiateKernels(memory);
  const f64 = new Float64Array(memory.buffer);

  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++) for (let j = 0; j < dim; j++) mean[j] += rows[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= count;
  for (let i = 0; i < count; i++) {
    const base = (x >>> 3) + i * stride;
    for (let j = 0; j < dim; j++) f64[base + j] = rows[i * dim + j] - mean[j];
  }
  kernels.gramRows(x, gram, 0, count, dim, stride);

  // the kernel fills the upper triangle (from column a rounded down to even): mirror it
  const g = new Float64Array(dim * dim);
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      const v = f64[(gram >>> 3) + a * stride + b];
      g[a * dim + b] = v;
      g[b * dim + a] = v;
    }
  }
  const { vectors, values } = leadingEigenvectors(g, dim);
  let trace = 0;
  for (let a = 0; a < dim; a++) trace += g[a * dim + a];

  for (let a = 0; a < dim; a++) {
    const base = (axes >>> 3) + a * stride;
    f64[base] = vectors[0][a];
    f64[base + 1] = vectors[1][a];
  }
  kernels.multiplySmall(x, axes, out, 0, count, dim, stride, 0);
  const coordinates = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) {
    coordinates[2 * i] = f64[(out >>> 3) + i * stride];
    coordinates[2 * i + 1] = f64[(out >>> 3) + i * stride + 1];
  }
  const explained: [number, number] = trace > 0 ? [values[0] / trace, values[1] / trace] : [0, 0];
  return { coordinates, explained };
}

/**
 * The two leading eigenvectors of a symmetric positive semi-definite n × n matrix (n ≥ 1) by
 * orthogonal iteration from a fixed start, with their eigenvalues (Rayleigh quotients). For n = 1
 * the second vector is zero.
 */
export function leadingEigenvectors(g: Float64Array, n: number): { vectors: [Float64Array, Float64Array]; values: [number, number] } {
  let u: Float64Array = new Float64Array(n);
  let v: Float64Array = new Float64Array(n);
  // a fixed, generic start (not orthogonal to any axis in practice)
  for (let i = 0; i < n; i++) {
    u[i] = 1 + ((i * 7919) % 101) / 101;
    v[i] = ((i * 104729) % 211) / 211 - 0.5;
  }
  orthonormalise(u, v);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const nu = multiply(g, u, n);
    const nv = multiply(g, v, n);
    orthonormalise(nu, nv);
    const moved = Math.max(change(nu, u), change(nv, v));
    u = nu;
    v = nv;
    if (moved < TOLERANCE) break;
  }
  // Rayleigh–Ritz on span{u, v}: the 2 × 2 projected matrix gives the eigen-pairs in the right order
  const gu = multiply(g, u, n);
  const gv = multiply(g, v, n);
  const a = dot(u, gu);
  const b = dot(u, gv);
  const c = dot(v, gv);
  const angle = 0.5 * Math.atan2(2 * b, a - c);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const first = new Float64Array(n);
  const second = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    first[i] = cos * u[i] + sin * v[i];
    second[i] = -sin * u[i] + cos * v[i];
  }
  const vectors: [Float64Array, Float64Array] = [first, second];
  const values = vectors.map((w) => dot(w, multiply(g, w, n))) as [number, number];
  if (values[1] > values[0]) {
    vectors.reverse();
    values.reverse();
  }
  for (const w of vectors) fixSign(w);
  return { vectors, values };
}

function multiply(g: Float64Array, x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += g[i * n + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** The largest component of new − ±old (an eigenvector's sign may flip between iterations). */
function change(next: Float64Array, previous: Float64Array): number {
  const sign = dot(next, previous) < 0 ? -1 : 1;
  let most = 0;
  for (let i = 0; i < next.length; i++) most = Math.max(most, Math.abs(next[i] - sign * previous[i]));
  return most;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Gram–Schmidt on two vectors in place; a vector that vanishes is left zero. */
function orthonormalise(u: Float64Array, v: Float64Array): void {
  scaleToUnit(u);
  const p = dot(u, v);
  for (let i = 0; i < v.length; i++) v[i] -= p * u[i];
  scaleToUnit(v);
}

function scaleToUnit(w: Float64Array): void {
  const norm = Math.sqrt(dot(w, w));
  if (norm > 0) for (let i = 0; i < w.length; i++) w[i] /= norm;
}

/** Makes the component of largest magnitude positive (eigenvectors are defined up to sign). */
function fixSign(w: Float64Array): void {
  let best = 0;
  for (let i = 1; i < w.length; i++) if (Math.abs(w[i]) > Math.abs(w[best])) best = i;
  if (w[best] < 0) for (let i = 0; i < w.length; i++) w[i] = -w[i];
}

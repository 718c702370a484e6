// Scalar references for assembly/spmm.ts: the same products written the plain way on JavaScript
// arrays (dense matrices row-major with `stride` doubles per row; CSR as rowPtr, cols, vals).

export interface ScalarCsr {
  rows: number;
  cols: number;
  rowPtr: number[];
  col: number[];
  val: number[];
}

/** out[i][j] = Σ_e val[e]·x[col[e]][j] for rows [begin, end). */
export function spmm(a: ScalarCsr, x: Float64Array, stride: number, begin: number, end: number, out: Float64Array): void {
  for (let i = begin; i < end; i++) {
    for (let j = 0; j < stride; j++) {
      let s = 0;
      for (let e = a.rowPtr[i]; e < a.rowPtr[i + 1]; e++) s += Math.fround(a.val[e]) * x[a.col[e] * stride + j];
      out[i * stride + j] = s;
    }
  }
}

/**
 * spmm in f32 arithmetic, as spmmRowsF32 does it: x rounded to f32, each product and each running
 * sum rounded to f32, entries in row order (the results are exact f32 values, widened to f64).
 */
export function spmmF32(a: ScalarCsr, x: Float64Array, stride: number, begin: number, end: number, out: Float64Array): void {
  const f = Math.fround;
  for (let i = begin; i < end; i++) {
    for (let j = 0; j < stride; j++) {
      let s = 0;
      for (let e = a.rowPtr[i]; e < a.rowPtr[i + 1]; e++) s = f(s + f(f(a.val[e]) * f(x[a.col[e] * stride + j])));
      out[i * stride + j] = s;
    }
  }
}

/** acc[col[e]][j] += val[e]·y[i][j] for the entries of rows [begin, end). */
export function spmmTranspose(a: ScalarCsr, y: Float64Array, stride: number, begin: number, end: number, acc: Float64Array): void {
  for (let i = begin; i < end; i++) {
    for (let e = a.rowPtr[i]; e < a.rowPtr[i + 1]; e++) {
      for (let j = 0; j < stride; j++) acc[a.col[e] * stride + j] += Math.fround(a.val[e]) * y[i * stride + j];
    }
  }
}

/** Aᵀ as CSR, the plain way: for each column of A, scan every row (columns of Aᵀ come out increasing). */
export function transpose(a: ScalarCsr): ScalarCsr {
  const t: ScalarCsr = { rows: a.cols, cols: a.rows, rowPtr: [0], col: [], val: [] };
  for (let c = 0; c < a.cols; c++) {
    for (let i = 0; i < a.rows; i++) {
      for (let e = a.rowPtr[i]; e < a.rowPtr[i + 1]; e++) {
        if (a.col[e] === c) {
          t.col.push(i);
          t.val.push(a.val[e]);
        }
      }
    }
    t.rowPtr.push(t.col.length);
  }
  return t;
}

/** g[p][q] += Σ_i x[i][p]·x[i][q] over rows [begin, end), every p, q < cols. */
export function gram(x: Float64Array, stride: number, cols: number, begin: number, end: number, g: Float64Array): void {
  for (let p = 0; p < cols; p++) {
    for (let q = 0; q < cols; q++) {
      let s = 0;
      for (let i = begin; i < end; i++) s += x[i * stride + p] * x[i * stride + q];
      g[p * stride + q] += s;
    }
  }
}

/** out[i][j] = Σ_a x[i][a]·m[a][j] for rows [begin, end). */
export function multiplySmall(x: Float64Array, m: Float64Array, stride: number, inner: number, begin: number, end: number, out: Float64Array): void {
  for (let i = begin; i < end; i++) {
    for (let j = 0; j < stride; j++) {
      let s = 0;
      for (let a = 0; a < inner; a++) s += x[i * stride + a] * m[a * stride + j];
      out[i * stride + j] = s;
    }
  }
}

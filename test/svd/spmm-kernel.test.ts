// assembly/spmm.ts against the scalar references in test/reference/spmm-reference.ts, on random
// CSR matrices (empty rows included) and row ranges that do not start or end on a block of four.
import { describe, expect, it } from 'vitest';
import { instantiateKernels } from '../../src/runtime/kernels.js';
import { GaussianStream } from '../../src/svd/small-linalg.js';
import * as ref from '../reference/spmm-reference.js';

const BASE = 65_536;

function randomCsr(rows: number, cols: number, density: number, g: GaussianStream): ref.ScalarCsr {
  const a: ref.ScalarCsr = { rows, cols, rowPtr: [0], col: [], val: [] };
  for (let i = 0; i < rows; i++) {
    if (i % 7 !== 3) {
      for (let j = 0; j < cols; j++) {
        if (g.uniform() < density) {
          a.col.push(j);
          a.val.push(Math.fround(g.normal()));
        }
      }
    }
    a.rowPtr.push(a.col.length);
  }
  return a;
}

function setup(a: ref.ScalarCsr, stride: number) {
  const denseRows = Math.max(a.rows, a.cols);
  const dense = denseRows * stride * 8;
  const layout = { rowPtr: BASE, entries: BASE + 4 * (a.rows + 1) + 64, tRowPtr: 0, tEntries: 0, x: 0, y: 0, out: 0, m: 0, g: 0, end: 0 };
  layout.entries = Math.ceil(layout.entries / 64) * 64;
  layout.tRowPtr = Math.ceil((layout.entries + 8 * a.col.length) / 64) * 64;
  layout.tEntries = Math.ceil((layout.tRowPtr + 4 * (a.cols + 2)) / 64) * 64;
  layout.x = Math.ceil((layout.tEntries + 8 * a.col.length) / 64) * 64;
  layout.y = layout.x + dense;
  layout.out = layout.y + dense;
  layout.m = layout.out + dense;
  layout.g = layout.m + stride * stride * 8;
  layout.end = layout.g + stride * stride * 8;
  const pages = Math.ceil(layout.end / 65_536) + 1;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  new Uint32Array(memory.buffer, layout.rowPtr, a.rows + 1).set(a.rowPtr);
  const view = new DataView(memory.buffer);
  a.col.forEach((c, e) => {
    view.setUint32(layout.entries + 8 * e, c, true);
    view.setFloat32(layout.entries + 8 * e + 4, a.val[e], true);
  });
  return { memory, layout, kernels: instantiateKernels(memory), f64: (offset: number, n: number) => new Float64Array(memory.buffer, offset, n) };
}

function fill(x: Float64Array, g: GaussianStream, stride: number, width: number): void {
  for (let i = 0; i < x.length; i++) x[i] = i % stride < width ? g.normal() : 0;
}

function expectClose(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
  expect(worst).toBeLessThan(1e-12);
}

describe('SpMM and Cholesky-QR kernels', () => {
  for (const [rows, cols, width] of [[37, 29, 6], [64, 80, 13], [5, 5, 1]] as const) {
    const stride = Math.ceil(width / 2) * 2;
    it(`match the scalar reference on a ${rows} × ${cols} matrix, sketch width ${width}`, () => {
      const g = new GaussianStream(rows * 1000 + cols);
      const a = randomCsr(rows, cols, 0.2, g);
      const { memory, layout, kernels, f64 } = setup(a, stride);
      const denseLength = Math.max(rows, cols) * stride;
      const x = f64(layout.x, denseLength);
      const y = f64(layout.y, denseLength);
      fill(x, g, stride, width);
      fill(y, g, stride, width);
      const begin = Math.min(1, rows - 1);
      const end = rows - (rows > 3 ? 2 : 0);

      // A·X on rows [begin, end)
      const out = f64(layout.out, denseLength).fill(7);
      kernels.spmmRows(layout.rowPtr, layout.entries, layout.x, layout.out, begin, end, stride);
      const expectedOut = new Float64Array(denseLength).fill(7);
      ref.spmm(a, x, stride, begin, end, expectedOut);
      expectClose(out, expectedOut);

      // Aᵀ as CSR (garbage in the scratch first), exactly the scalar transpose
      const view = new DataView(memory.buffer);
      new Uint32Array(memory.buffer, layout.tRowPtr, cols + 2).fill(0xdeadbeef);
      kernels.transposeCsr(layout.rowPtr, layout.entries, rows, cols, layout.tRowPtr, layout.tEntries);
      const t = ref.transpose(a);
      expect(Array.from(new Uint32Array(memory.buffer, layout.tRowPtr, cols + 1))).toEqual(t.rowPtr);
      expect(Array.from({ length: t.col.length }, (_, e) => view.getUint32(layout.tEntries + 8 * e, true))).toEqual(t.col);
      expect(Array.from({ length: t.col.length }, (_, e) => view.getFloat32(layout.tEntries + 8 * e + 4, true))).toEqual(t.val);

      // Aᵀ·Y as spmmRows on the transposed CSR, in two row blocks as two workers would
      f64(layout.out, denseLength).fill(7);
      kernels.spmmRows(layout.tRowPtr, layout.tEntries, layout.y, layout.out, 0, Math.min(3, cols), stride);
      kernels.spmmRows(layout.tRowPtr, layout.tEntries, layout.y, layout.out, Math.min(3, cols), cols, stride);
      const expectedAty = new Float64Array(denseLength).fill(7);
      expectedAty.fill(0, 0, cols * stride);
      ref.spmmTranspose(a, y, stride, 0, rows, expectedAty);
      expectClose(f64(layout.out, denseLength), expectedAty);

      // XᵀX upper triangle over rows [begin, end) added to what g held
      const gm = f64(layout.g, stride * stride).fill(0.5);
      kernels.gramRows(layout.x, layout.g, begin, end, width, stride);
      const expectedG = new Float64Array(stride * stride).fill(0.5);
      ref.gram(x, stride, width, begin, end, expectedG);
      for (let p = 0; p < width; p++) {
        for (let q = p; q < width; q++) expect(Math.abs(gm[p * stride + q] - expectedG[p * stride + q])).toBeLessThan(1e-12 * (1 + Math.abs(expectedG[p * stride + q])));
      }

      // X·M, full and upper triangular
      for (const upper of [0, 1]) {
        const m = f64(layout.m, stride * stride);
        for (let p = 0; p < stride; p++) for (let q = 0; q < stride; q++) m[p * stride + q] = p < width && q < width && (!upper || q >= p) ? g.normal() : 0;
        kernels.multiplySmall(layout.x, layout.m, layout.out, begin, end, width, stride, upper);
        const expectedM = f64(layout.out, denseLength).slice();
        ref.multiplySmall(x, m, stride, width, begin, end, expectedM);
        expectClose(f64(layout.out, denseLength), expectedM);
      }
    });
  }
});

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

function setup(a: ref.ScalarCsr, stride: number, stride32: number) {
  const denseRows = Math.max(a.rows, a.cols);
  const dense = denseRows * stride * 8;
  const layout = { rowPtr: BASE, entries: BASE + 4 * (a.rows + 1) + 64, tRowPtr: 0, tEntries: 0, x: 0, y: 0, out: 0, x32: 0, scratch: 0, m: 0, g: 0, end: 0 };
  layout.entries = Math.ceil(layout.entries / 64) * 64;
  layout.tRowPtr = Math.ceil((layout.entries + 8 * a.col.length) / 64) * 64;
  layout.tEntries = Math.ceil((layout.tRowPtr + 4 * (a.cols + 2)) / 64) * 64;
  layout.x = Math.ceil((layout.tEntries + 8 * a.col.length) / 64) * 64;
  layout.y = layout.x + dense;
  layout.out = layout.y + dense;
  layout.x32 = layout.out + dense;
  layout.scratch = layout.x32 + denseRows * stride32 * 4;
  layout.m = layout.scratch + stride32 * 4;
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

function expectClose(actual: Float64Array, expected: Float64Array, tolerance = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
  expect(worst).toBeLessThan(tolerance);
}

describe('SpMM and Cholesky-QR kernels', () => {
  for (const [rows, cols, width] of [[37, 29, 6], [64, 80, 13], [5, 5, 1]] as const) {
    const stride = Math.ceil(width / 2) * 2;
    const stride32 = Math.ceil(width / 4) * 4;
    it(`match the scalar reference on a ${rows} × ${cols} matrix, sketch width ${width}`, () => {
      const g = new GaussianStream(rows * 1000 + cols);
      const a = randomCsr(rows, cols, 0.2, g);
      const { memory, layout, kernels, f64 } = setup(a, stride, stride32);
      const denseLength = Math.max(rows, cols) * stride;
      const x = f64(layout.x, denseLength);
      const y = f64(layout.y, denseLength);
      fill(x, g, stride, width);
      fill(y, g, stride, width);
      const begin = Math.min(1, rows - 1);
      const end = rows - (rows > 3 ? 2 : 0);

      // X in f32 (garbage in the padding first): rows [0, n) in two blocks
      const n = Math.max(rows, cols);
      const x32 = new Float32Array(memory.buffer, layout.x32, n * stride32).fill(-3);
      kernels.rowsToF32(layout.x, layout.x32, 0, 2, stride, stride32);
      kernels.rowsToF32(layout.x, layout.x32, 2, n, stride, stride32);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < stride32; j++) expect(x32[i * stride32 + j]).toBe(j < stride ? Math.fround(x[i * stride + j]) : 0);
      }

      // A·X on rows [begin, end) in f32: exactly the f32 reference, and close to the f64 product
      const out = f64(layout.out, denseLength).fill(7);
      kernels.spmmRowsF32(layout.rowPtr, layout.entries, layout.x32, layout.out, layout.scratch, begin, end, stride, stride32);
      const expectedOut = new Float64Array(denseLength).fill(7);
      ref.spmmF32(a, x, stride, begin, end, expectedOut);
      expect(Array.from(out)).toEqual(Array.from(expectedOut));
      const exactOut = new Float64Array(denseLength).fill(7);
      ref.spmm(a, x, stride, begin, end, exactOut);
      expectClose(out, exactOut, 1e-5);

      // Aᵀ as CSR (garbage in the scratch first), exactly the scalar transpose
      const view = new DataView(memory.buffer);
      new Uint32Array(memory.buffer, layout.tRowPtr, cols + 2).fill(0xdeadbeef);
      kernels.transposeCsr(layout.rowPtr, layout.entries, rows, cols, layout.tRowPtr, layout.tEntries);
      const t = ref.transpose(a);
      expect(Array.from(new Uint32Array(memory.buffer, layout.tRowPtr, cols + 1))).toEqual(t.rowPtr);
      expect(Array.from({ length: t.col.length }, (_, e) => view.getUint32(layout.tEntries + 8 * e, true))).toEqual(t.col);
      expect(Array.from({ length: t.col.length }, (_, e) => view.getFloat32(layout.tEntries + 8 * e + 4, true))).toEqual(t.val);

      // Aᵀ·Y as spmmRowsF32 on the transposed CSR, in two row blocks as two workers would
      kernels.rowsToF32(layout.y, layout.x32, 0, n, stride, stride32);
      f64(layout.out, denseLength).fill(7);
      kernels.spmmRowsF32(layout.tRowPtr, layout.tEntries, layout.x32, layout.out, layout.scratch, 0, Math.min(3, cols), stride, stride32);
      kernels.spmmRowsF32(layout.tRowPtr, layout.tEntries, layout.x32, layout.out, layout.scratch, Math.min(3, cols), cols, stride, stride32);
      const expectedAty = new Float64Array(denseLength).fill(7);
      ref.spmmF32(t, y, stride, 0, cols, expectedAty);
      expect(Array.from(f64(layout.out, denseLength))).toEqual(Array.from(expectedAty));
      const exactAty = new Float64Array(denseLength).fill(7);
      exactAty.fill(0, 0, cols * stride);
      ref.spmmTranspose(a, y, stride, 0, rows, exactAty);
      expectClose(f64(layout.out, denseLength), exactAty, 1e-5);

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

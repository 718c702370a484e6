// The shared memory of a PPMI + SVD run: a control block (abort flag, barrier, progress), each
// worker's small (k+p) × (k+p) slots, three dense m × (k+p) f64 matrices the randomized SVD
// ping-pongs between, and the PPMI matrix A in CSR at the end with room for its transpose Aᵀ in CSR
// (so that Aᵀ·Y is a row-parallel gather too). Both entry regions are sized for the upper bound, the
// co-occurrence pairs; untouched pages take no RAM.
import { Wasm2VecError } from '../errors.js';
import { MAX_WASM_BYTES, MemoryLayout, WASM_PAGE_BYTES, formatBytes } from '../runtime/memory-layout.js';

/** Int32 slots of the control block. */
export const CONTROL = { abort: 0, barrierCount: 1, barrierGeneration: 2, step: 3, int32s: 16 } as const;
/** Bytes of one CSR entry: u32 column, f32 value (assembly/spmm.ts). */
export const ENTRY_BYTES = 8;

export interface SvdPlan {
  rows: number;
  cols: number;
  /** k + p columns of the sketch. */
  width: number;
  /** Doubles per dense row (width rounded up to even). */
  stride: number;
  /** Floats per row of the f32 operand of the sparse products (width rounded up to a multiple of 4). */
  stride32: number;
  threads: number;
  control: number;
  /** Per worker: its Gram partial and its small matrix (width × stride f64 each). */
  gram: number[];
  small: number[];
  /** The three dense matrices, max(rows, cols) rows each. */
  dense: [number, number, number];
  /** The f32 copy of a sparse product's dense operand (max(rows, cols) × stride32), and each worker's f32 row to sum in. */
  operand32: number;
  scratch32: number[];
  rowPtr: number;
  entries: number;
  /** Aᵀ in CSR (cols + 2 row pointers, the last scratch), built from A before the SVD (assembly/spmm.ts transposeCsr). */
  tRowPtr: number;
  tEntries: number;
  entryCapacity: number;
  bytes: number;
  layout: MemoryLayout;
}

export function planSvd(rows: number, cols: number, entryCapacity: number, width: number, threads: number): SvdPlan {
  const stride = Math.ceil(width / 2) * 2;
  const stride32 = Math.ceil(width / 4) * 4;
  const layout = new MemoryLayout();
  const control = layout.reserve('control (barrier and abort flag)', CONTROL.int32s * 4, 'atomic').offset;
  const smallBytes = width * stride * 8;
  const gram: number[] = [];
  const small: number[] = [];
  for (let t = 0; t < threads; t++) {
    gram.push(layout.reserve(`gram ${t}`, smallBytes, 'worker').offset);
    small.push(layout.reserve(`small ${t}`, smallBytes, 'worker').offset);
  }
  const denseBytes = Math.max(rows, cols) * stride * 8;
  const dense = [0, 1, 2].map((i) => layout.reserve(`dense matrix ${i + 1} (${Math.max(rows, cols)} × ${width} f64)`, denseBytes).offset) as [number, number, number];
  const operand32 = layout.reserve(`f32 operand of the sparse products (${Math.max(rows, cols)} × ${width} f32)`, Math.max(rows, cols) * stride32 * 4).offset;
  const scratch32: number[] = [];
  for (let t = 0; t < threads; t++) scratch32.push(layout.reserve(`f32 row ${t}`, stride32 * 4, 'worker').offset);
  const tRowPtr = layout.reserve('transposed CSR row pointers', (cols + 2) * 4).offset;
  const tEntries = layout.reserve(`transposed PPMI entries (up to ${entryCapacity})`, entryCapacity * ENTRY_BYTES).offset;
  const rowPtr = layout.reserve('CSR row pointers', (rows + 1) * 4).offset;
  const entries = layout.reserve(`PPMI entries (up to ${entryCapacity})`, entryCapacity * ENTRY_BYTES).offset;
  return { rows, cols, width, stride, stride32, threads, control, gram, small, dense, operand32, scratch32, rowPtr, entries, tRowPtr, tEntries, entryCapacity, bytes: layout.totalBytes, layout };
}

/** Refuses, before any work, a layout wasm32's 4 GiB cannot hold, naming its largest parts. */
export function assertSvdFits(plan: SvdPlan): void {
  const layout = plan.layout;
  if (plan.bytes > MAX_WASM_BYTES) {
    const biggest = [...layout.regions].sort((a, b) => b.bytes - a.bytes).slice(0, 3).map((r) => `${r.name} ${formatBytes(r.bytes)}`).join(', ');
    throw new Wasm2VecError(
      `PPMI + SVD needs ${formatBytes(plan.bytes)} of WebAssembly memory but wasm32 holds at most 4 GiB (largest parts: ${biggest}); ` +
        'raise minCount, set maxVocabSize, lower the window, dim or threads',
    );
  }
}

export function createSvdMemory(plan: SvdPlan): WebAssembly.Memory {
  assertSvdFits(plan);
  const pages = Math.max(1, Math.ceil(plan.bytes / WASM_PAGE_BYTES));
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

/** Splits rows [0, rows) into `parts` ranges of about equal weight (cumulative weights in `prefix`, prefix[0] = 0). */
export function splitByWeight(prefix: ArrayLike<number>, rows: number, parts: number): [number, number][] {
  const total = prefix[rows];
  const ranges: [number, number][] = [];
  let begin = 0;
  for (let p = 0; p < parts; p++) {
    let end = begin;
    if (p === parts - 1) end = rows;
    else {
      const target = (total * (p + 1)) / parts;
      while (end < rows && prefix[end + 1] <= target) end++;
    }
    ranges.push([begin, end]);
    begin = end;
  }
  return ranges;
}

/** Splits rows [0, rows) into `parts` ranges of equal size. */
export function splitEvenly(rows: number, parts: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let p = 0; p < parts; p++) ranges.push([Math.floor((rows * p) / parts), Math.floor((rows * (p + 1)) / parts)]);
  return ranges;
}

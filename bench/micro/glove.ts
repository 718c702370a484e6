// GloVe micro-benchmarks: the AdaGrad update over co-occurrence records (TypeScript, scalar
// WebAssembly, SIMD WebAssembly) and co-occurrence counting (TypeScript, and the product kernel,
// whose code is scalar: it has no SIMD version). Their own shared memory, laid out as
// src/cooccur/layout.ts and src/glove/layout.ts lay out a GloVe run.
import { COUNT_BLOCK, HISTOGRAM_BYTES, RECORD_BYTES, maxProductFor, rowStartsFor } from '../../src/cooccur/layout.js';
import { TRAIN_CONFIG, parameterRowBytes } from '../../src/glove/layout.js';
import { instantiateKernels, type KernelExports } from '../../src/runtime/kernels.js';
import { MemoryLayout, paddedDim } from '../../src/runtime/memory-layout.js';
import type { Case } from './case.js';
import { instantiateScalarKernels } from './scalar-wasm.js';
import { mulberry32 } from '../lib/random.js';

export interface GloveMicroSettings {
  vocabSize: number;
  dim: number;
  /** Records in the synthetic co-occurrence set, and records trained per call. */
  records: number;
  recordsPerOp: number;
  xMax: number;
  alpha: number;
  /** Counting: corpus ids, ids per call, window (symmetric), dense-table cells. */
  corpusIds: number;
  idsPerOp: number;
  window: number;
  denseCells: number;
  sparseKeys: number;
}

export const GLOVE_SETTINGS: GloveMicroSettings = {
  vocabSize: 30_000,
  dim: 100,
  records: 1 << 19,
  recordsPerOp: 50_000,
  xMax: 100,
  alpha: 0.75,
  corpusIds: 1 << 20,
  idsPerOp: 20_000,
  window: 10,
  denseCells: 4 << 20,
  sparseKeys: 1 << 20,
};

interface GloveKernels {
  trainGloveChunk(config: number, records: number, count: number): number;
  countCooccurrences(block: number): number;
  sortReduceRun(block: number): number;
}

export function hasGloveKernels(k: KernelExports): boolean {
  return ['trainGloveChunk', 'countCooccurrences', 'sortReduceRun'].every((n) => typeof k[n] === 'function');
}

/** A Zipf sampler over ranks 1..n-1. */
function zipf(n: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let r = 1; r < n; r++) cdf[r] = total += 1 / r;
  return () => {
    const u = random() * total;
    let lo = 1;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function bitsFor(n: number): number {
  let bits = 0;
  while (2 ** bits <= n) bits++;
  return bits;
}

/** trainGloveChunk in plain TypeScript (double arithmetic, stored as f32). Offsets in bytes. */
function trainGloveJs(f32: Float32Array, u32: Uint32Array, i32: Int32Array, config: number, records: number, count: number): number {
  const c = config >> 2;
  const stride = i32[c + TRAIN_CONFIG.stride / 4];
  const rowFloats = i32[c + TRAIN_CONFIG.rowBytes / 4] >> 2;
  const words = u32[c + TRAIN_CONFIG.words / 4] >> 2;
  const contexts = u32[c + TRAIN_CONFIG.contexts / 4] >> 2;
  const eta = f32[c + TRAIN_CONFIG.eta / 4];
  const clip = f32[c + TRAIN_CONFIG.clip / 4];
  let cost = 0;
  for (let i = 0; i < count; i++) {
    const r = (records >> 2) + i * 4;
    const a = words + u32[r] * rowFloats;
    const b = contexts + u32[r + 1] * rowFloats;
    const logX = f32[r + 2];
    const weight = f32[r + 3];
    const ga = a + stride;
    const gb = b + stride;
    const ba = ga + stride;
    const bb = gb + stride;
    let dot = 0;
    for (let k = 0; k < stride; k++) dot += f32[a + k] * f32[b + k];
    const diff = dot + f32[ba] + f32[bb] - logX;
    const fdiff = weight * diff;
    if (!Number.isFinite(diff) || !Number.isFinite(fdiff)) continue;
    cost += 0.5 * fdiff * diff;
    for (let k = 0; k < stride; k++) {
      const wa = f32[a + k];
      const wb = f32[b + k];
      const ta = Math.min(Math.max(fdiff * wb, -clip), clip) * eta;
      const tb = Math.min(Math.max(fdiff * wa, -clip), clip) * eta;
      f32[a + k] = wa - ta / Math.sqrt(f32[ga + k]);
      f32[b + k] = wb - tb / Math.sqrt(f32[gb + k]);
      f32[ga + k] += ta * ta;
      f32[gb + k] += tb * tb;
    }
    const gba = f32[ba + 1];
    const gbb = f32[bb + 1];
    f32[ba] -= fdiff / Math.sqrt(gba);
    f32[bb] -= fdiff / Math.sqrt(gbb);
    f32[ba + 1] = gba + fdiff * fdiff;
    f32[bb + 1] = gbb + fdiff * fdiff;
  }
  return cost;
}

/**
 * Co-occurrence counting in plain TypeScript, the same pairs as assembly/cooccur.ts: pairs of frequent
 * words go to the same dense table (rowStart/dense), the others to a Map keyed by row · V + column.
 */
function countJs(
  i32: Int32Array, u32: Uint32Array, f64: Float64Array, ids: number, count: number, window: number,
  rowStart: number, dense: number, vocabSize: number, sparse: Map<number, number>,
): number {
  const reciprocal = Array.from({ length: window + 1 }, (_, d) => (d === 0 ? 0 : 1 / d));
  const emit = (row: number, col: number, d: number) => {
    const start = u32[rowStart + row];
    const length = u32[rowStart + row + 1] - start;
    if (col - 1 < length && col >= 1) {
      f64[dense + start + col - 1] += reciprocal[d];
    } else {
      const key = row * vocabSize + col;
      sparse.set(key, (sparse.get(key) ?? 0) + reciprocal[d]);
    }
  };
  let pairs = 0;
  const base = ids >> 2;
  for (let j = 0; j < count; j++) {
    const w = i32[base + j];
    if (w === 0) continue;
    const first = Math.max(0, j - window);
    for (let k = j - 1; k >= first; k--) {
      const c = i32[base + k];
      if (c === 0) break;
      emit(c, w, j - k);
      emit(w, c, j - k);
      pairs += 2;
    }
  }
  return pairs;
}

/** The cases, on a memory of their own (with their own instances of both WebAssembly modules). */
export function gloveCases(s: GloveMicroSettings = GLOVE_SETTINGS): Case[] {
  const random = mulberry32(777);
  const draw = zipf(s.vocabSize, random);
  const stride = paddedDim(s.dim);
  const rowBytes = parameterRowBytes(s.dim);
  const layout = new MemoryLayout();
  const config = layout.reserve('glove config', TRAIN_CONFIG.bytes);
  const words = layout.reserve('word rows', s.vocabSize * rowBytes);
  const contexts = layout.reserve('context rows', s.vocabSize * rowBytes);
  const records = layout.reserve('records', s.records * RECORD_BYTES);
  const maxProduct = maxProductFor(s.denseCells, s.vocabSize);
  const rowStartTable = rowStartsFor(maxProduct, s.vocabSize);
  const rowStart = layout.reserve('dense row starts', rowStartTable.byteLength);
  const dense = layout.reserve('dense table', rowStartTable[s.vocabSize] * 8);
  const sparse = layout.reserve('sparse keys', s.sparseKeys * 16);
  const histogram = layout.reserve('histogram', HISTOGRAM_BYTES);
  const reciprocal = layout.reserve('reciprocal', (s.window + 1) * 8);
  const abort = layout.reserve('abort', 64);
  const block = layout.reserve('count block', COUNT_BLOCK.bytes);
  const corpus = layout.reserve('corpus ids', s.corpusIds * 4);
  const memory = layout.createMemory();
  const simd = instantiateKernels(memory) as unknown as GloveKernels;
  const scalar = instantiateScalarKernels(memory);
  const buf = memory.buffer;
  const f32 = new Float32Array(buf);
  const u32 = new Uint32Array(buf);
  const i32 = new Int32Array(buf);
  const f64 = new Float64Array(buf);

  // Training: glove.c's initialisation, records of Zipf pairs with a count falling with the ranks.
  // Rows as glove.c initialises them: vector and bias uniform in [−0.5, 0.5)/dim, AdaGrad sums 1.
  for (const m of [words, contexts]) {
    for (let r = 0; r < s.vocabSize; r++) {
      const row = (m.offset + r * rowBytes) / 4;
      for (let c = 0; c < stride; c++) {
        f32[row + c] = c < s.dim ? (random() - 0.5) / s.dim : 0;
        f32[row + stride + c] = 1;
      }
      f32[row + 2 * stride] = (random() - 0.5) / s.dim;
      f32[row + 2 * stride + 1] = 1;
    }
  }
  const cv = new DataView(buf, config.offset, TRAIN_CONFIG.bytes);
  cv.setInt32(TRAIN_CONFIG.stride, stride, true);
  cv.setInt32(TRAIN_CONFIG.rowBytes, rowBytes, true);
  cv.setUint32(TRAIN_CONFIG.words, words.offset, true);
  cv.setUint32(TRAIN_CONFIG.contexts, contexts.offset, true);
  cv.setFloat32(TRAIN_CONFIG.eta, 0.05, true);
  cv.setFloat32(TRAIN_CONFIG.clip, 100, true);
  for (let i = 0; i < s.records; i++) {
    const w1 = draw();
    const w2 = draw();
    const x = 1 + Math.floor((2000 * random()) / Math.sqrt(w1 * w2));
    const r = records.offset / 4 + i * 4;
    u32[r] = w1;
    u32[r + 1] = w2;
    f32[r + 2] = Math.log(x);
    f32[r + 3] = x > s.xMax ? 1 : Math.pow(x / s.xMax, s.alpha);
  }

  // Counting: a Zipf corpus, the dense table for pairs whose rank product is small, as the product.
  for (let i = 0; i < s.corpusIds; i++) i32[corpus.offset / 4 + i] = draw();
  u32.set(rowStartTable, rowStart.offset / 4);
  for (let d = 1; d <= s.window; d++) f64[reciprocal.offset / 8 + d] = 1 / d;
  const bv = new DataView(buf, block.offset, COUNT_BLOCK.bytes);
  bv.setInt32(COUNT_BLOCK.window, s.window, true);
  bv.setInt32(COUNT_BLOCK.symmetric, 1, true);
  bv.setInt32(COUNT_BLOCK.rowBegin, 1, true);
  bv.setInt32(COUNT_BLOCK.rowEnd, s.vocabSize, true);
  bv.setUint32(COUNT_BLOCK.rowStart, rowStart.offset, true);
  bv.setUint32(COUNT_BLOCK.dense, dense.offset, true);
  bv.setUint32(COUNT_BLOCK.sparse, sparse.offset, true);
  bv.setInt32(COUNT_BLOCK.sparseCapacity, s.sparseKeys, true);
  bv.setInt32(COUNT_BLOCK.colBits, bitsFor(s.vocabSize), true);
  bv.setInt32(COUNT_BLOCK.distBits, bitsFor(s.window), true);
  bv.setInt32(COUNT_BLOCK.rowBits, bitsFor(s.vocabSize - 2), true);
  bv.setUint32(COUNT_BLOCK.abort, abort.offset, true);
  bv.setUint32(COUNT_BLOCK.reciprocal, reciprocal.offset, true);
  bv.setUint32(COUNT_BLOCK.histogram, histogram.offset, true);

  let recordCursor = 0;
  const nextRecords = () => {
    const at = recordCursor;
    recordCursor = (recordCursor + s.recordsPerOp) % (s.records - s.recordsPerOp);
    return records.offset + at * RECORD_BYTES;
  };
  let idCursor = 0;
  const nextIds = () => {
    const at = idCursor;
    idCursor = (idCursor + s.idsPerOp) % (s.corpusIds - s.idsPerOp);
    return corpus.offset + at * 4;
  };
  // One counting call of the product, as a worker does it: count until the sparse buffer fills,
  // sort and reduce it into a run, go on; the run left at the end is reduced too.
  const countWasm = (ids: number): number => {
    const before = bv.getBigInt64(COUNT_BLOCK.denseAdds, true) + bv.getBigInt64(COUNT_BLOCK.sparseAdds, true);
    bv.setUint32(COUNT_BLOCK.ids, ids, true);
    bv.setInt32(COUNT_BLOCK.idsCount, s.idsPerOp, true);
    bv.setInt32(COUNT_BLOCK.position, 0, true);
    for (;;) {
      const status = simd.countCooccurrences(block.offset);
      if (status === 1) simd.sortReduceRun(block.offset);
      else break;
    }
    simd.sortReduceRun(block.offset);
    return Number(bv.getBigInt64(COUNT_BLOCK.denseAdds, true) + bv.getBigInt64(COUNT_BLOCK.sparseAdds, true) - before);
  };
  const sparseMap = new Map<number, number>();
  const countTs = (ids: number): number => {
    const pairs = countJs(i32, u32, f64, ids, s.idsPerOp, s.window, rowStart.offset / 4, dense.offset / 8, s.vocabSize, sparseMap);
    sparseMap.clear();
    return pairs;
  };
  // Pairs per call vary a little with the chunk; the benchmarks count the average over the corpus.
  const probe = Array.from({ length: 8 }, (_, i) => corpus.offset + Math.floor((i * (s.corpusIds - s.idsPerOp)) / 8) * 4);
  const pairsPerCall = probe.reduce((sum, ids) => sum + countWasm(ids), 0) / probe.length;
  const tsPairs = countTs(probe[0]);
  const wasmPairs = countWasm(probe[0]);
  if (tsPairs !== wasmPairs) throw new Error(`co-occurrence benchmark: TypeScript counted ${tsPairs} pairs, WebAssembly ${wasmPairs}`);

  const trainGroup = `GloVe update, ${s.recordsPerOp} records/call`;
  const countGroup = `co-occurrence counting, ${s.idsPerOp} ids/call, window ${s.window}`;
  return [
    { group: trainGroup, variant: 'js', name: 'glove-js', unitsPerOp: s.recordsPerOp, unit: 'pairs', fn: () => {
      trainGloveJs(f32, u32, i32, config.offset, nextRecords(), s.recordsPerOp);
    } },
    { group: trainGroup, variant: 'wasm-scalar', name: 'glove-scalar', unitsPerOp: s.recordsPerOp, unit: 'pairs', fn: () => {
      scalar.trainGloveChunkScalar(config.offset, nextRecords(), s.recordsPerOp);
    } },
    { group: trainGroup, variant: 'wasm-simd', name: 'glove-simd', unitsPerOp: s.recordsPerOp, unit: 'pairs', fn: () => {
      simd.trainGloveChunk(config.offset, nextRecords(), s.recordsPerOp);
    } },
    { group: countGroup, variant: 'js', name: 'cooccur-js', unitsPerOp: pairsPerCall, unit: 'pairs', fn: () => {
      countTs(nextIds());
    } },
    { group: countGroup, variant: 'wasm (scalar code, no SIMD version)', name: 'cooccur-wasm', unitsPerOp: pairsPerCall, unit: 'pairs', fn: () => {
      countWasm(nextIds());
    } },
  ];
}

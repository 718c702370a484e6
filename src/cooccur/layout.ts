// The co-occurrence engine's memory: the kernels' count and merge blocks (offsets from the kernel ABI,
// src/abi/cooccur.ts), the control area, the counting plan (dense table for frequent pairs, sparse
// buffers, io buffers) inside a memory budget, and the one shared memory of a counting run. GloVe and
// PPMI + SVD both count through it; GloVe adds its training regions (src/glove/layout.ts).
import * as cb from '../abi/cooccur.js';
import { Wasm2VecError } from '../errors.js';
import { MAX_WASM_BYTES, MemoryLayout, raiseFlag, RESERVED_LOW_BYTES, WASM_PAGE_BYTES, createSharedMemory, formatBytes, type Region } from '../runtime/memory-layout.js';

// Field offsets of the kernels' blocks, by name, from the kernel ABI (src/abi/cooccur.ts).
export const COUNT_BLOCK = {
  ids: cb.CB_IDS, idsCount: cb.CB_IDS_COUNT, position: cb.CB_POSITION, window: cb.CB_WINDOW, symmetric: cb.CB_SYMMETRIC,
  rowBegin: cb.CB_ROW_BEGIN, rowEnd: cb.CB_ROW_END, rowStart: cb.CB_ROW_START, dense: cb.CB_DENSE, sparse: cb.CB_SPARSE,
  sparseCapacity: cb.CB_SPARSE_CAPACITY, sparseFill: cb.CB_SPARSE_FILL, colBits: cb.CB_COL_BITS, distBits: cb.CB_DIST_BITS,
  abort: cb.CB_ABORT, reciprocal: cb.CB_RECIPROCAL, denseAdds: cb.CB_DENSE_ADDS, sparseAdds: cb.CB_SPARSE_ADDS,
  histogram: cb.CB_HISTOGRAM, rowBits: cb.CB_ROW_BITS, progressBase: cb.CB_PROGRESS_BASE,
  bytes: cb.COUNT_BLOCK_BYTES,
} as const;

export const MERGE_BLOCK = {
  sources: cb.MB_SOURCES, sourceCount: cb.MB_SOURCE_COUNT, heap: cb.MB_HEAP, heapSize: cb.MB_HEAP_SIZE, rowStart: cb.MB_ROW_START,
  dense: cb.MB_DENSE, denseRow: cb.MB_DENSE_ROW, denseIndex: cb.MB_DENSE_INDEX, rowEnd: cb.MB_ROW_END, out: cb.MB_OUT,
  outCapacity: cb.MB_OUT_CAPACITY, outFill: cb.MB_OUT_FILL, pending: cb.MB_PENDING, fixSource: cb.MB_FIX_SOURCE,
  pendingKey: cb.MB_PENDING_KEY, pendingVal: cb.MB_PENDING_VAL, abort: cb.MB_ABORT, state: cb.MB_STATE,
  denseKey: cb.MB_DENSE_KEY, denseVal: cb.MB_DENSE_VAL, needSource: cb.MB_NEED_SOURCE,
  bytes: cb.MERGE_BLOCK_BYTES,
} as const;

export const { SOURCE_BYTES, RECORD_BYTES } = cb;

/** Radix-sort histogram: 2^11 u32 buckets (assembly/cooccur.ts RADIX_MAX_BITS). */
export const HISTOGRAM_BYTES = 4 << 11;
/** Most run files one merge reads at once (more are merged in several passes). */
export const MAX_FAN_IN = 128;

const MIB = 2 ** 20;

/** n rounded up to a multiple of `to` (a cache line by default). */
export function align(n: number, to = 64): number {
  return Math.ceil(n / to) * to;
}

export interface WorkerControl {
  countBlock: number;
  mergeBlock: number;
  histogram: number;
  /** MAX_FAN_IN source descriptors, then the heap (MAX_FAN_IN i32). */
  mergeSources: number;
  mergeHeap: number;
}

/** The engine's control area: the abort flag, the 1/distance weights, each worker's blocks. */
export interface CountControl {
  abort: number;
  reciprocal: number;
  workers: WorkerControl[];
  end: number;
  /** Every region, for the memory plan (--dry-run). */
  regions: Region[];
}

/**
 * Lays out the control area: the engine's regions, then the trainer's (`trainerRegions` takes them
 * from the same bump allocator; GloVe's training config, generator, cost table, rendezvous).
 */
export function planControl<Extra extends object = object>(
  threads: number, window: number, trainerRegions?: (bump: MemoryLayout) => Extra,
): CountControl & Extra {
  const bump = new MemoryLayout(RESERVED_LOW_BYTES);
  const abort = bump.take('abort flag', 64, 'atomic');
  const reciprocal = bump.take('1/distance weights', (window + 1) * 8);
  const extra = trainerRegions ? trainerRegions(bump) : ({} as Extra);
  const workers: WorkerControl[] = [];
  for (let t = 0; t < threads; t++) {
    workers.push({
      countBlock: bump.take(`worker ${t} count block`, COUNT_BLOCK.bytes, 'worker'),
      mergeBlock: bump.take(`worker ${t} merge block`, MERGE_BLOCK.bytes, 'worker'),
      histogram: bump.take(`worker ${t} radix histogram`, HISTOGRAM_BYTES, 'worker'),
      mergeSources: bump.take(`worker ${t} merge sources`, MAX_FAN_IN * SOURCE_BYTES, 'worker'),
      mergeHeap: bump.take(`worker ${t} merge heap`, MAX_FAN_IN * 4, 'worker'),
    });
  }
  return { ...extra, abort, reciprocal, workers, end: align(bump.totalBytes), regions: bump.regions };
}

/** Where counting puts things, inside the arena. */
export interface CountPlan {
  maxProduct: number;
  /** The word1 rows each worker owns: contiguous ranges covering 1..vocabSize−1. */
  ranges: [number, number][];
  /** Expected sparse pair occurrences per worker (the sparse buffers are sized from it). */
  sparseEstimates: number[];
  /** Dense cells of each row r: [rowStart[r], rowStart[r+1]) (r = 1..vocabSize−1; row 0 is empty). */
  rowStart: Uint32Array;
  rowStartOffset: number;
  denseOffset: number;
  denseEntries: number;
  /** The encoded corpus, when it is held in memory. */
  streamOffset?: number;
  workers: {
    sparse: number;
    /** Keys per half of the sparse region (the region is 16 bytes per key). */
    sparseCapacity: number;
    io: number;
    ioBytes: number;
    /** File mode: where the worker reads a window of the id file. */
    idsBuffer?: number;
    idsBufferIds?: number;
  }[];
  bytes: number;
  regions: Region[];
}

export interface BudgetSplit {
  /** Counting structures (ids, dense table, sparse buffers, io buffers). */
  count: number;
  /** Counted or shuffled records kept in memory; more go to files. */
  records: number;
  /** The external shuffle's chunk. */
  shuffleChunk: number;
}

/**
 * The part of a `memory` budget the counting trainers (GloVe, PPMI + SVD) use: at most what can
 * live in wasm32's 4 GiB beside the model or the counting tables.
 */
export function usableBudget(memoryBytes: number): number {
  return Math.min(memoryBytes, 3 * 2 ** 30);
}

/** How the `memory` budget is shared between the phases (they run one after the other). */
export function splitBudget(budgetBytes: number): BudgetSplit {
  return { count: budgetBytes / 2, records: budgetBytes / 2, shuffleChunk: budgetBytes / 2 };
}

/** Dense cells of row r: min(vocabSize − 1, ⌊P / r⌋), as the Stanford tool's max_product rule. */
export function denseEntriesFor(maxProduct: number, vocabSize: number): number {
  const words = vocabSize - 1;
  let total = 0;
  for (let r = 1; r < vocabSize; r++) {
    const n = Math.min(words, Math.floor(maxProduct / r));
    if (n === 0) break;
    total += n;
  }
  return total;
}

/** The largest max_product whose dense table has at most `entries` cells. */
export function maxProductFor(entries: number, vocabSize: number): number {
  const words = vocabSize - 1;
  if (denseEntriesFor(words * words, vocabSize) <= entries) return words * words;
  let lo = 0;
  let hi = words * words;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (denseEntriesFor(mid, vocabSize) <= entries) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function rowStartsFor(maxProduct: number, vocabSize: number): Uint32Array {
  const words = vocabSize - 1;
  const rowStart = new Uint32Array(vocabSize + 1);
  let at = 0;
  rowStart[0] = 0;
  rowStart[1] = 0;
  for (let r = 1; r < vocabSize; r++) {
    at += Math.min(words, Math.floor(maxProduct / r));
    rowStart[r + 1] = at;
  }
  return rowStart;
}

/**
 * Default size of the dense table: an eighth of the budget, and no more than this. A table that
 * stays in the cache beats a bigger one (text8_head, window 15: 8 MiB counts in a third of the
 * time of Stanford's 456 MB table; the pairs it misses go through the sorted runs).
 */
export const DENSE_TABLE_CAP_BYTES = 8 * MIB;

/** Rough cost of a pair that goes through a sparse run, relative to a dense add (measured on text8). */
const SPARSE_COST = 3;

/** cumulative[k] = occurrences of the words with ids 1..k−1. */
function cumulativeCounts(counts: ArrayLike<number>): Float64Array {
  const cumulative = new Float64Array(counts.length + 1);
  for (let r = 1; r < counts.length; r++) cumulative[r + 1] = cumulative[r] + counts[r];
  return cumulative;
}

/**
 * The share of row r's pairs that miss its dense cells, taking partners to follow the unigram
 * distribution: 1 − (occurrences of the ranks the row's dense cells cover) / all occurrences.
 */
function sparseShare(cumulative: Float64Array, rowStart: Uint32Array, r: number): number {
  const total = cumulative[cumulative.length - 1] || 1;
  const denseColumns = rowStart[r + 1] - rowStart[r];
  return 1 - cumulative[Math.min(cumulative.length - 1, denseColumns + 1)] / total;
}

/**
 * Splits rows 1..vocabSize−1 into `parts` contiguous ranges of about equal work. Row r receives about
 * count(r)·(window on each side) pairs; its share beyond the dense cells costs more (sort and merge).
 */
export function partitionRows(counts: ArrayLike<number>, rowStart: Uint32Array, parts: number): [number, number][] {
  const vocabSize = counts.length;
  const cumulative = cumulativeCounts(counts);
  const work = new Float64Array(vocabSize);
  let sum = 0;
  for (let r = 1; r < vocabSize; r++) {
    const share = sparseShare(cumulative, rowStart, r);
    work[r] = counts[r] * (1 - share + share * SPARSE_COST);
    sum += work[r];
  }
  const ranges: [number, number][] = [];
  let begin = 1;
  let acc = 0;
  for (let p = 0; p < parts; p++) {
    const target = (sum * (p + 1)) / parts;
    let end = begin;
    if (p === parts - 1) end = vocabSize;
    else while (end < vocabSize && (acc + work[end] <= target || end === begin)) acc += work[end++];
    ranges.push([begin, end]);
    begin = end;
  }
  return ranges;
}

/** Expected sparse pair occurrences of each range. */
export function estimateSparsePairs(counts: ArrayLike<number>, rowStart: Uint32Array, ranges: [number, number][], window: number, symmetric: boolean): number[] {
  const cumulative = cumulativeCounts(counts);
  const perOccurrence = window * (symmetric ? 2 : 1);
  return ranges.map(([begin, end]) => {
    let n = 0;
    for (let r = begin; r < end; r++) n += counts[r] * perOccurrence * sparseShare(cumulative, rowStart, r);
    return n;
  });
}

export interface CountPlanInput {
  budget: BudgetSplit;
  budgetBytes: number;
  vocabSize: number;
  /** Occurrences by word id (id 0, the line break, has no row). */
  counts: ArrayLike<number>;
  threads: number;
  window: number;
  symmetric: boolean;
  streamIds: number;
  streamInMemory: boolean;
  maxProduct?: number;
}

export function planCount(input: CountPlanInput, base: number): CountPlan {
  const { vocabSize, threads, window, budgetBytes } = input;
  const bump = new MemoryLayout(base);
  const streamOffset = input.streamInMemory ? bump.take('encoded corpus', input.streamIds * 4) : undefined;
  const maxProduct = input.maxProduct ?? maxProductFor(Math.floor(Math.min(budgetBytes / 8, DENSE_TABLE_CAP_BYTES) / 8), vocabSize);
  const rowStart = rowStartsFor(maxProduct, vocabSize);
  const denseEntries = rowStart[vocabSize];
  if (denseEntries * 8 > MAX_WASM_BYTES) throw new Wasm2VecError(`maxProduct ${maxProduct} needs a ${formatBytes(denseEntries * 8)} dense table; lower it`);
  const rowStartOffset = bump.take('dense row starts', rowStart.byteLength);
  const denseOffset = bump.take('dense co-occurrence table (rows owned by one worker each)', denseEntries * 8, 'worker');
  const ioBytes = align(clamp(budgetBytes / 64 / threads, 64 * 1024, 4 * MIB), 16);
  const perTarget = input.symmetric ? 2 * window : window;
  const idsBufferIds = input.streamInMemory ? undefined : Math.floor(clamp(budgetBytes / 32 / threads / 4, Math.max(16_384, 4 * window), 4 * MIB));
  const fixed = bump.totalBytes - base + threads * (ioBytes + (idsBufferIds ?? 0) * 4 + 256);
  const minimumKeys = Math.max(16_384, 8 * perTarget);
  // Sparse buffers: each worker's expected pairs with a margin, within the budget (shared in
  // proportion to the estimates). A worker that gets more spills a sorted run to a file.
  const ranges = partitionRows(input.counts, rowStart, threads);
  const estimates = estimateSparsePairs(input.counts, rowStart, ranges, window, input.symmetric);
  const budgetKeys = Math.max(0, Math.floor((input.budget.count - fixed) / 16));
  const estimated = estimates.reduce((a, b) => a + b, 0);
  const workers: CountPlan['workers'] = [];
  for (let t = 0; t < threads; t++) {
    const share = estimated > 0 ? (budgetKeys * estimates[t]) / estimated : budgetKeys / threads;
    const sparseCapacity = Math.floor(Math.max(minimumKeys, Math.min(share, 1.25 * estimates[t] + minimumKeys)));
    workers.push({
      sparse: bump.take(`worker ${t} sparse pairs`, sparseCapacity * 16, 'worker'),
      sparseCapacity,
      io: bump.take(`worker ${t} run file buffer`, ioBytes, 'worker'),
      ioBytes,
      idsBuffer: idsBufferIds === undefined ? undefined : bump.take(`worker ${t} id buffer`, idsBufferIds * 4, 'worker'),
      idsBufferIds,
    });
  }
  return { maxProduct, ranges, sparseEstimates: estimates, rowStart, rowStartOffset, denseOffset, denseEntries, streamOffset, workers, bytes: bump.totalBytes - base, regions: bump.regions };
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/**
 * The one shared memory of a run on the co-occurrence engine (GloVe; the counting of PPMI + SVD): a
 * control area (blocks, tables: the engine's, then the trainer's), an arena that each phase lays
 * out afresh (counting structures, then GloVe's shuffle chunk and parameter matrices), and the
 * in-memory records after it, grown once their number is known. Pages are only resident once
 * touched, so sizing a region generously costs address space, not RAM.
 */
export class CooccurMemory<Control extends CountControl = CountControl> {
  readonly memory: WebAssembly.Memory;
  readonly arena: number;
  readonly arenaBytes: number;
  readonly records: number;
  readonly maxRecords: number;

  constructor(readonly control: Control, arenaBytes: number, maxRecordsBytes: number) {
    this.arena = this.control.end;
    this.arenaBytes = align(arenaBytes);
    this.records = this.arena + this.arenaBytes;
    const limit = MAX_WASM_BYTES - this.records;
    if (limit < 0) {
      throw new Wasm2VecError(
        `counting co-occurrences needs ${formatBytes(this.records)} of WebAssembly memory for the model and counting, but wasm32 holds at most 4 GiB; ` +
          'reduce the vocabulary (minCount), dim or memory',
      );
    }
    this.maxRecords = Math.floor(Math.min(maxRecordsBytes, limit) / RECORD_BYTES);
    const initial = Math.ceil(this.records / WASM_PAGE_BYTES);
    const maximum = Math.max(initial, Math.ceil((this.records + this.maxRecords * RECORD_BYTES) / WASM_PAGE_BYTES));
    this.memory = createSharedMemory(initial, maximum);
  }

  /** Makes room for `count` records at `records`. */
  ensureRecords(count: number): void {
    if (count > this.maxRecords) throw new Error(`internal: ${count} records exceed the planned ${this.maxRecords}`);
    const needed = Math.ceil((this.records + count * RECORD_BYTES) / WASM_PAGE_BYTES);
    const current = this.memory.buffer.byteLength / WASM_PAGE_BYTES;
    if (needed > current) this.memory.grow(needed - current);
  }

  get bytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Raises the abort flag every counting and merging kernel polls (a trainer adds its own flags). */
  abort(): void {
    raiseFlag(this.memory.buffer, this.control.abort);
  }
}

/**
 * The memory plan of a run on the co-occurrence engine (GloVe, and the counting of PPMI + SVD) before it is
 * allocated: the control area, then the arena as each phase lays it out (counting, the shuffle's
 * chunk, training: they reuse one area, so the arena is their largest), then the records (the
 * co-occurrence pairs, known only after counting: at most the budget's share, more go to files).
 */
export function countingPhasesPlan(
  control: CountControl, count: CountPlan | undefined, shuffleChunkBytes: number, train: { bytes: number; regions: Region[] } | undefined, maxRecordsBytes: number,
): { regions: Region[]; totalBytes: number; recordsBytes: number } {
  const arenaBytes = align(Math.max(count?.bytes ?? 0, train?.bytes ?? 0, shuffleChunkBytes));
  const limit = Math.max(0, MAX_WASM_BYTES - control.end - arenaBytes);
  const recordsBytes = Math.floor(Math.min(maxRecordsBytes, limit) / RECORD_BYTES) * RECORD_BYTES;
  const phase = (name: string, regions: Region[]) => regions.map((r) => ({ ...r, name: `${name}: ${r.name}` }));
  const regions: Region[] = [
    ...control.regions,
    ...(count ? phase('counting', count.regions) : []),
    ...(shuffleChunkBytes > 0 ? [{ name: 'shuffle: chunk of records', offset: control.end, bytes: shuffleChunkBytes, sharing: 'worker' as const }] : []),
    ...(train ? phase('training', train.regions) : []),
    { name: 'co-occurrence records (at most; more go to temporary files)', offset: control.end + arenaBytes, bytes: recordsBytes, sharing: 'read-only' },
  ];
  return { regions, totalBytes: control.end + arenaBytes + recordsBytes, recordsBytes };
}

// Co-occurrence counting, main-thread side: plans the dense table and the sparse buffers, runs one
// count task per worker (each owns a contiguous range of word1 rows, so the dense table needs no
// locks and the workers' outputs concatenate into one sorted list), then one merge task per worker.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { AbortError, Wasm2VecError, fromSystemError } from '../errors.js';
import type { Store } from '../runtime/stores.js';
import { registerTempPath } from '../runtime/temp-files.js';
import { kernelModule } from '../runtime/kernels.js';
import { COUNT_BLOCK, RECORD_BYTES, type CountPlan, type CooccurMemory, splitBudget } from './layout.js';
import type { CountResult, CountTask, MergeResult, MergeTask, MergeOutput } from './shards.js';
import type { RecordSegment } from './record-file.js';
import { runOnWorkers } from '../runtime/worker-pool.js';

/** The default memory budget (GiB) of the trainers that count co-occurrences (GloVe, PPMI + SVD): half the RAM, at most 3 GiB. */
export function defaultCountingMemory(): number {
  return Math.min(3, totalmem() / 2 ** 30 / 2);
}

/** A private temporary directory, created on first use and removed (with everything in it) by remove(). */
export class TempDir {
  private dir: string | undefined;
  private release: (() => void) | undefined;
  constructor(private readonly parent: string = tmpdir()) {}

  get path(): string {
    if (this.dir === undefined) {
      try {
        this.dir = mkdtempSync(join(this.parent, 'wasm2vec-glove-'));
        this.release = registerTempPath(this.dir);
      } catch (error) {
        throw fromSystemError(error, 'create a temporary directory in', this.parent);
      }
    }
    return this.dir;
  }

  file(name: string): string {
    return join(this.path, name);
  }

  get created(): string | undefined {
    return this.dir;
  }

  remove(): void {
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.release?.();
    this.dir = undefined;
    this.release = undefined;
  }
}

/** The encoded corpus: ids in the shared memory, or in a file of little-endian int32. */
export type IdStream = Store<{ length: number }>;

export interface CountInput {
  gm: CooccurMemory;
  plan: CountPlan;
  /** Word counts by id (id 0 is the line break and has no row). */
  counts: ArrayLike<number>;
  stream: IdStream;
  window: number;
  symmetric: boolean;
  /** Weight of a pair d words apart (default 'harmonic', GloVe's 1/d). */
  weighting?: CooccurrenceWeighting;
  threads: number;
  budgetBytes: number;
  temp: TempDir;
  signal?: AbortSignal;
  onProgress?: (fraction: number, tokens: number) => void;
}

/**
 * How a pair d words apart is counted: 'harmonic' 1/d (GloVe), 'uniform' 1 (plain counts, as
 * hyperwords without dynamic window), 'linear' (window + 1 − d)/window, the expected count under
 * word2vec's and hyperwords' dynamic window (a window size drawn uniformly from 1..window).
 */
export type CooccurrenceWeighting = 'harmonic' | 'uniform' | 'linear';

/** The weight of a pair d words apart (1 ≤ d ≤ window). */
export function pairWeight(weighting: CooccurrenceWeighting, d: number, window: number): number {
  return weighting === 'harmonic' ? 1 / d : weighting === 'uniform' ? 1 : (window + 1 - d) / window;
}

export interface CountStats {
  maxProduct: number;
  denseEntries: number;
  /** Pair occurrences added to the dense table and to sparse buffers. */
  denseAdds: number;
  sparseAdds: number;
  /** What the plan expected sparseAdds to be (it sizes the sparse buffers). */
  sparseEstimate: number;
  /** Sorted runs written to temporary files (0 when everything fitted in memory). */
  spilledRuns: number;
  recordsIn: 'memory' | 'file';
  rowRanges: [number, number][];
  /** Seconds spent counting (workers' pass over the stream) and merging. */
  seconds: { count: number; merge: number };
}

export interface CountOutput {
  segments: RecordSegment[];
  pairs: number;
  stats: CountStats;
}

function bitsFor(n: number): number {
  let bits = 0;
  while (2 ** bits <= n) bits++;
  return bits;
}

/** Counts the co-occurrences of the stream into sorted records, in memory or in files. */
export async function countCooccurrences(input: CountInput): Promise<CountOutput> {
  const { gm, plan, stream, window, temp } = input;
  const vocabSize = input.counts.length;
  const memory = gm.memory;
  const buffer = () => memory.buffer;
  const module = kernelModule();

  new Uint32Array(buffer(), plan.rowStartOffset, plan.rowStart.length).set(plan.rowStart);
  const reciprocal = new Float64Array(buffer(), gm.control.reciprocal, window + 1);
  const weighting = input.weighting ?? 'harmonic';
  for (let d = 1; d <= window; d++) reciprocal[d] = pairWeight(weighting, d, window);
  new Int32Array(buffer(), gm.control.abort, 1)[0] = 0;

  const ranges = plan.ranges;
  const colBits = bitsFor(vocabSize);
  const distBits = bitsFor(window);
  const tempPath = temp.path;
  const tasks: CountTask[] = ranges.map(([rowBegin, rowEnd], t) => {
    const w = plan.workers[t];
    const c = gm.control.workers[t];
    const view = new DataView(buffer(), c.countBlock, COUNT_BLOCK.bytes);
    for (let i = 0; i < COUNT_BLOCK.bytes; i += 4) view.setInt32(i, 0, true);
    view.setInt32(COUNT_BLOCK.window, window, true);
    view.setInt32(COUNT_BLOCK.symmetric, input.symmetric ? 1 : 0, true);
    view.setInt32(COUNT_BLOCK.rowBegin, rowBegin, true);
    view.setInt32(COUNT_BLOCK.rowEnd, rowEnd, true);
    view.setUint32(COUNT_BLOCK.rowStart, plan.rowStartOffset, true);
    view.setUint32(COUNT_BLOCK.dense, plan.denseOffset, true);
    view.setUint32(COUNT_BLOCK.sparse, w.sparse, true);
    view.setInt32(COUNT_BLOCK.sparseCapacity, w.sparseCapacity, true);
    view.setInt32(COUNT_BLOCK.colBits, colBits, true);
    view.setInt32(COUNT_BLOCK.distBits, distBits, true);
    view.setInt32(COUNT_BLOCK.rowBits, bitsFor(Math.max(0, rowEnd - rowBegin - 1)), true);
    view.setUint32(COUNT_BLOCK.abort, gm.control.abort, true);
    view.setUint32(COUNT_BLOCK.reciprocal, gm.control.reciprocal, true);
    view.setUint32(COUNT_BLOCK.histogram, c.histogram, true);
    return {
      kind: 'cooccur-count',
      module,
      memory,
      worker: t,
      block: c.countBlock,
      sparse: w.sparse,
      rowStart: plan.rowStartOffset,
      dense: plan.denseOffset,
      rowBegin,
      rowEnd,
      window,
      stream: stream.kind === 'memory' ? stream : { ...stream, buffer: w.idsBuffer!, bufferIds: w.idsBufferIds! },
      tempDir: tempPath,
    };
  });

  const progress = () => {
    let done = 0;
    for (const task of tasks) {
      const view = new DataView(buffer(), task.block, COUNT_BLOCK.bytes);
      done += view.getFloat64(COUNT_BLOCK.progressBase, true) + view.getInt32(COUNT_BLOCK.position, true);
    }
    const total = Math.max(1, stream.length * tasks.length);
    input.onProgress?.(Math.min(1, done / total), Math.min(stream.length, done / tasks.length));
  };
  const countStarted = performance.now();
  const counted = await runWithProgress<CountTask, CountResult>(tasks, gm, input.signal, input.onProgress ? progress : undefined);
  if (counted.some((r) => r.aborted)) throw new AbortError();

  // Upper bounds of each worker's merged output decide where the records go.
  const bounds = counted.map((r) => r.denseNonzero + (r.memoryRun?.records ?? 0) + r.runs.reduce((n, f) => n + f.records, 0));
  const totalBound = bounds.reduce((a, b) => a + b, 0);
  const inMemory = totalBound <= Math.min(gm.maxRecords, Math.floor(splitBudget(input.budgetBytes).records / RECORD_BYTES));
  if (inMemory) gm.ensureRecords(totalBound);
  let outAt = gm.records;
  const outputs: MergeOutput[] = counted.map((_, t) => {
    if (!inMemory) return { kind: 'file', path: join(tempPath, `part-${t}.bin`) };
    const out: MergeOutput = { kind: 'memory', offset: outAt, capacity: bounds[t] };
    outAt += bounds[t] * RECORD_BYTES;
    return out;
  });
  const mergeTasks: MergeTask[] = counted.map((r, t) => {
    const w = plan.workers[t];
    const c = gm.control.workers[t];
    return {
      kind: 'cooccur-merge',
      module,
      memory,
      worker: t,
      block: c.mergeBlock,
      sources: c.mergeSources,
      heap: c.mergeHeap,
      abortFlag: gm.control.abort,
      dense: { rowStart: plan.rowStartOffset, dense: plan.denseOffset, rowBegin: ranges[t][0], rowEnd: ranges[t][1] },
      memoryRun: r.memoryRun,
      runs: r.runs,
      workspace: { offset: w.sparse, bytes: w.sparseCapacity * 16 },
      io: { offset: w.io, bytes: w.ioBytes },
      output: outputs[t],
      tempDir: tempPath,
    };
  });
  const mergeStarted = performance.now();
  const countSeconds = (mergeStarted - countStarted) / 1000;
  const merged = await runWithProgress<MergeTask, MergeResult>(mergeTasks, gm, input.signal, undefined);
  if (merged.some((r) => r.aborted)) throw new AbortError();

  const segments: RecordSegment[] = [];
  let pairs = 0;
  if (inMemory) {
    // Close the gaps between the workers' outputs (each was given its upper bound).
    const bytes = new Uint8Array(buffer());
    let at = gm.records;
    merged.forEach((m, t) => {
      const from = (outputs[t] as { offset: number }).offset;
      if (from !== at) bytes.copyWithin(at, from, from + m.records * RECORD_BYTES);
      at += m.records * RECORD_BYTES;
      pairs += m.records;
    });
    if (pairs > 0) segments.push({ kind: 'memory', offset: gm.records, count: pairs });
  } else {
    merged.forEach((m, t) => {
      pairs += m.records;
      if (m.records > 0) segments.push({ kind: 'file', path: (outputs[t] as { path: string }).path, offset: 0, count: m.records });
    });
  }
  return {
    segments,
    pairs,
    stats: {
      maxProduct: plan.maxProduct,
      denseEntries: plan.denseEntries,
      denseAdds: counted.reduce((n, r) => n + r.denseAdds, 0),
      sparseAdds: counted.reduce((n, r) => n + r.sparseAdds, 0),
      sparseEstimate: Math.round(plan.sparseEstimates.reduce((a, b) => a + b, 0)),
      spilledRuns: counted.reduce((n, r) => n + r.runs.length, 0),
      recordsIn: inMemory ? 'memory' : 'file',
      rowRanges: ranges,
      seconds: { count: countSeconds, merge: (performance.now() - mergeStarted) / 1000 },
    },
  };
}

async function runWithProgress<Task extends CountTask | MergeTask, Result>(
  tasks: Task[], gm: CooccurMemory, signal: AbortSignal | undefined, progress: (() => void) | undefined,
): Promise<Result[]> {
  try {
    return await runOnWorkers<Task, Result>(tasks, { signal, stop: () => gm.abort(), onTick: progress });
  } finally {
    progress?.();
  }
}



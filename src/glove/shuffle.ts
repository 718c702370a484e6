// The training order of the co-occurrence records: a seeded, reproducible, uniformly random
// permutation (glove.c trains in the order of a shuffled file too). Both variants scatter records to
// uniformly random buckets and Fisher–Yates shuffle each bucket (WASM kernels), which is an exact
// uniform permutation, unlike the Stanford tool's chunk-then-interleave shuffle:
//  - in memory, the buckets are cache-sized and live in the arena, free between counting and
//    training (one Fisher–Yates pass over hundreds of MB would miss the cache on every record);
//  - when the records do not fit the memory budget, the buckets are temporary files, each loaded
//    and shuffled in turn and appended to the output file.
// Records become training records (log X, f(X)) as they reach their final place. The same seed gives
// the same order for the same records and memory budget.
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { AbortError } from '../errors.js';
import type { KernelExports } from '../runtime/kernels.js';
import { RECORD_BYTES, splitBudget } from '../cooccur/layout.js';
import type { GloveMemory } from './layout.js';
import { describeBadRecord, type RecordSegment } from '../cooccur/record-file.js';
import { readExactly, writeAll, type Store } from '../runtime/stores.js';
import type { TempDir } from '../cooccur/count.js';

export type TrainingRecords = Store<{ count: number }>;

export interface ShuffleInput {
  gm: GloveMemory;
  kernels: KernelExports;
  segments: readonly RecordSegment[];
  count: number;
  seed: number;
  xMax: number;
  alpha: number;
  budgetBytes: number;
  temp: TempDir;
  signal?: AbortSignal;
  /** Check records read from this co-occurrence file (vocabSize counts the line-break id 0). */
  validate?: { path: string; vocabSize: number };
  onProgress?: (fraction: number) => void;
  /** Force the external shuffle with this chunk size (tests). */
  chunkRecords?: number;
  /** Records per bucket of the in-memory bucketed shuffle (tests; default 8192, about 128 KB). */
  bucketRecords?: number;
}

const NO_KEY = 0xffffffffffffffffn;
const MAX_BUCKETS = 512;
const LOAD_CHUNK_RECORDS = 1 << 18;

/** Shuffles the records into training order; they end in the shared memory or in a temporary file. */
export async function shuffleRecords(input: ShuffleInput): Promise<TrainingRecords> {
  const { gm, count } = input;
  const capacity = Math.min(gm.maxRecords, Math.floor(splitBudget(input.budgetBytes).records / RECORD_BYTES));
  const single = input.segments.length === 1 && input.segments[0].kind === 'memory' && input.segments[0].offset === gm.records;
  if (input.chunkRecords === undefined && (single || count <= capacity)) {
    if (!single) loadIntoMemory(input);
    throwIfAborted(input.signal);
    shuffleInMemory(input, gm.records, count, BigInt(input.seed), count * RECORD_BYTES <= gm.arenaBytes ? gm.arena : undefined);
    input.onProgress?.(1);
    return { kind: 'memory', offset: gm.records, count };
  }
  return externalShuffle(input);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}

const BUCKET_RECORDS = 8192;
const MAX_BUCKET_BITS = 11;
/** Records per kernel call: V8 runs a WebAssembly function's optimised code only from its next call on. */
const SLICE_RECORDS = 1 << 18;

/**
 * Shuffles records in place and converts them to training records. Records beyond the cache go
 * through random buckets in `scratch` (the arena, free between counting and training), which keeps
 * every pass but one sequential; a plain Fisher–Yates pass would miss the cache on every record.
 */
function shuffleInMemory(input: ShuffleInput, offset: number, count: number, seed: bigint, scratch?: number): void {
  const { kernels, gm } = input;
  const rng = gm.control.rng;
  kernels.seedRandom(rng, BigInt.asUintN(64, seed));
  const bucketRecords = input.bucketRecords ?? BUCKET_RECORDS;
  const bits = Math.min(MAX_BUCKET_BITS, Math.max(0, Math.ceil(Math.log2(count / bucketRecords))));
  if (scratch === undefined || bits === 0) {
    fisherYates(input, offset, count);
    return;
  }
  const buckets = 2 ** bits;
  const histogramAt = gm.control.workers[0].histogram;
  const histogram = new Uint32Array(gm.memory.buffer, histogramAt, buckets).fill(0);
  const saved = new Uint8Array(gm.memory.buffer, rng, 32).slice();
  for (let done = 0; done < count; done += SLICE_RECORDS) kernels.bucketDraw(Math.min(SLICE_RECORDS, count - done), bits, histogramAt, rng);
  const sizes = histogram.slice();
  let sum = 0;
  for (let b = 0; b < buckets; b++) {
    histogram[b] = sum;
    sum += sizes[b];
  }
  new Uint8Array(gm.memory.buffer, rng, 32).set(saved); // replay the same draws
  for (let done = 0; done < count; done += SLICE_RECORDS) {
    kernels.bucketScatter(offset, done, Math.min(count, done + SLICE_RECORDS), scratch, bits, histogramAt, rng);
  }
  const bytes = new Uint8Array(gm.memory.buffer);
  let start = 0;
  for (let b = 0; b < buckets; b++) {
    const from = scratch + start * RECORD_BYTES;
    fisherYates(input, from, sizes[b]);
    bytes.copyWithin(offset + start * RECORD_BYTES, from, from + sizes[b] * RECORD_BYTES);
    start += sizes[b];
  }
}

/** Fisher–Yates over `count` records at `offset`, converting them, in slices. */
function fisherYates(input: ShuffleInput, offset: number, count: number): void {
  for (let top = count; top > 0; top -= SLICE_RECORDS) {
    input.kernels.shuffleRange(offset, top, Math.max(0, top - SLICE_RECORDS), input.gm.control.rng, 1, input.xMax, input.alpha);
  }
}

/** Copies every segment, in order, into the records region (checking file records if asked). */
function loadIntoMemory(input: ShuffleInput): void {
  const { gm } = input;
  gm.ensureRecords(input.count);
  let at = gm.records;
  const checker = recordChecker(input);
  for (const segment of input.segments) {
    const bytes = segment.count * RECORD_BYTES;
    if (segment.kind === 'memory') {
      if (segment.offset !== at) new Uint8Array(gm.memory.buffer).copyWithin(at, segment.offset, segment.offset + bytes);
      at += bytes;
      continue;
    }
    const fd = openSync(segment.path, 'r');
    try {
      for (let done = 0; done < segment.count; done += LOAD_CHUNK_RECORDS) {
        throwIfAborted(input.signal);
        const n = Math.min(LOAD_CHUNK_RECORDS, segment.count - done);
        readExactly(fd, gm.memory, at, n * RECORD_BYTES, segment.offset + done * RECORD_BYTES, segment.path);
        checker?.(at, n);
        at += n * RECORD_BYTES;
      }
    } finally {
      closeSync(fd);
    }
  }
}

/** Checks chunks of file records in order with the validateRecords kernel. */
function recordChecker(input: ShuffleInput): ((offset: number, n: number) => void) | undefined {
  const v = input.validate;
  if (!v) return undefined;
  let previous = NO_KEY;
  let index = 0;
  return (offset, n) => {
    const bad = input.kernels.validateRecords(offset, n, v.vocabSize, previous);
    const view = new DataView(input.gm.memory.buffer);
    if (bad >= 0) {
      const before = bad > 0 ? keyAt(view, offset + (bad - 1) * RECORD_BYTES) : previous === NO_KEY ? undefined : previous;
      describeBadRecord(v.path, index + bad, view, offset + bad * RECORD_BYTES, v.vocabSize - 1, before);
    }
    if (n > 0) previous = keyAt(view, offset + (n - 1) * RECORD_BYTES);
    index += n;
  };
}

function keyAt(view: DataView, at: number): bigint {
  return (BigInt(view.getUint32(at, true)) << 32n) | BigInt(view.getUint32(at + 4, true));
}

/** sfc32: a small, fast 32-bit generator for the bucket draws. */
function sfc32(seed: number, salt: number): () => number {
  let a = (seed >>> 0) ^ 0x9e3779b9;
  let b = Math.floor(seed / 2 ** 32) ^ 0x243f6a88;
  let c = salt ^ 0xb7e15162;
  let d = 1;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

interface Source {
  count: number;
  /** Calls `visit` with chunks of at most `chunk` records (offset in the shared memory, count), in order. */
  forEachChunk(visit: (offset: number, n: number) => void): void;
  /** Places all records, in order, at `target` (count ≤ chunk). */
  loadTo(target: number): void;
}

async function externalShuffle(input: ShuffleInput): Promise<TrainingRecords> {
  const { gm, temp } = input;
  const chunk = Math.max(2, input.chunkRecords ?? Math.floor(Math.min(splitBudget(input.budgetBytes).shuffleChunk, gm.arenaBytes) / RECORD_BYTES));
  const buffer = gm.arena;
  const checker = recordChecker(input);
  const bytesView = () => new Uint8Array(gm.memory.buffer);

  const readFile = (path: string, offset: number, total: number, target: number | undefined, visit: (o: number, n: number) => void) => {
    const fd = openSync(path, 'r');
    try {
      let at = target ?? buffer;
      for (let done = 0; done < total; done += chunk) {
        throwIfAborted(input.signal);
        const n = Math.min(chunk, total - done);
        readExactly(fd, gm.memory, at, n * RECORD_BYTES, offset + done * RECORD_BYTES, path);
        visit(at, n);
        if (target !== undefined) at += n * RECORD_BYTES;
      }
    } finally {
      closeSync(fd);
    }
  };
  const segmentSource: Source = {
    count: input.count,
    forEachChunk(visit) {
      for (const segment of input.segments) {
        if (segment.kind === 'memory') {
          for (let done = 0; done < segment.count; done += chunk) visit(segment.offset + done * RECORD_BYTES, Math.min(chunk, segment.count - done));
        } else {
          readFile(segment.path, segment.offset, segment.count, undefined, (o, n) => {
            checker?.(o, n);
            visit(o, n);
          });
        }
      }
    },
    loadTo(target) {
      let at = target;
      for (const segment of input.segments) {
        if (segment.kind === 'memory') bytesView().copyWithin(at, segment.offset, segment.offset + segment.count * RECORD_BYTES);
        else readFile(segment.path, segment.offset, segment.count, at, (o, n) => checker?.(o, n));
        at += segment.count * RECORD_BYTES;
      }
    },
  };
  const fileSource = (path: string, count: number): Source => ({
    count,
    forEachChunk: (visit) => readFile(path, 0, count, undefined, visit),
    loadTo: (target) => readFile(path, 0, count, target, () => {}),
  });

  const outPath = temp.file('shuffled.bin');
  const out = openSync(outPath, 'w');
  let written = 0;
  let bucketSerial = 0;

  const scatter = (source: Source, buckets: number, random: () => number) => {
    const writeRecords = Math.max(256, Math.min(1 << 16, Math.floor(chunk / buckets)));
    const files = Array.from({ length: buckets }, () => {
      const path = temp.file(`bucket-${bucketSerial++}.bin`);
      return { path, fd: openSync(path, 'w'), count: 0, fill: 0, data: new Uint32Array(writeRecords * 4) };
    });
    const flush = (f: (typeof files)[number]) => {
      const bytes = new Uint8Array(f.data.buffer, 0, f.fill * RECORD_BYTES);
      let at = 0;
      while (at < bytes.length) at += writeSync(f.fd, bytes, at, bytes.length - at);
      f.fill = 0;
    };
    try {
      source.forEachChunk((offset, n) => {
        throwIfAborted(input.signal);
        const words = new Uint32Array(gm.memory.buffer, offset, n * 4);
        for (let i = 0; i < n; i++) {
          const f = files[Math.floor((random() * buckets) / 2 ** 32)];
          const d = f.fill * 4;
          const s = i * 4;
          f.data[d] = words[s];
          f.data[d + 1] = words[s + 1];
          f.data[d + 2] = words[s + 2];
          f.data[d + 3] = words[s + 3];
          f.count++;
          if (++f.fill === writeRecords) flush(f);
        }
      });
      for (const f of files) flush(f);
    } finally {
      for (const f of files) closeSync(f.fd);
    }
    return files.map((f) => ({ path: f.path, count: f.count }));
  };

  const shuffleInto = (source: Source, seed: number, depth: number): void => {
    throwIfAborted(input.signal);
    if (source.count <= chunk) {
      source.loadTo(buffer);
      shuffleInMemory(input, buffer, source.count, BigInt(seed) * 0x10001n + BigInt(depth));
      writeAll(out, gm.memory, buffer, source.count * RECORD_BYTES);
      written += source.count;
      input.onProgress?.(written / input.count);
      return;
    }
    // A bucket holds 0.9·chunk records on average; a rare bigger one is split again.
    const buckets = Math.min(MAX_BUCKETS, Math.max(2, Math.ceil(source.count / (0.9 * chunk))));
    const files = scatter(source, buckets, sfc32(seed, depth));
    try {
      files.forEach((file, b) => {
        if (file.count > 0) shuffleInto(fileSource(file.path, file.count), (seed * 31 + b + 1) % 2 ** 48, depth + 1);
        rmSync(file.path, { force: true });
      });
    } finally {
      for (const file of files) rmSync(file.path, { force: true });
    }
  };

  try {
    shuffleInto(segmentSource, input.seed, 0);
  } finally {
    closeSync(out);
  }
  if (written !== input.count || statSync(outPath).size !== written * RECORD_BYTES) {
    throw new Error(`internal: the shuffle wrote ${written} of ${input.count} records`);
  }
  return { kind: 'file', path: outPath, count: written };
}

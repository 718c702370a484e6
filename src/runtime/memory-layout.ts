// The one allocator of the shared WebAssembly memory, and the one place that says what in it is
// shared and how. TypeScript lays out every region before any thread runs and passes byte offsets
// to the kernels, which never allocate.
//
// Sharing: every region is one of
//  - 'hogwild'   matrices every worker reads and writes without locks (word2vec's input and output
//                vectors, GloVe's parameter rows): racy by design, as word2vec.c and glove.c are.
//                Sound because a lost or torn f32 update only perturbs one SGD step (Recht et al.
//                2011, "Hogwild!"); aligned f32 stores are never torn on wasm32, and no kernel
//                derives an address or a loop bound from a value in these regions.
//  - 'atomic'    control blocks whose counters and flags (words done, abort, epochs done) are read
//                and written only with Atomics / atomic.* (progress, the learning-rate schedule, stop,
//                the rendezvous where workers park: src/runtime/rendezvous.ts);
//                their other fields are written once before the workers start.
//  - 'worker'    one worker's private scratch (sentence buffer, gradients, count and merge blocks):
//                64-byte aligned, so two workers never share a cache line.
//  - 'read-only' tables written before the workers start and only read while they run (noise and
//                subsampling tables, sigmoid table, Huffman paths, the encoded corpus, records).
// Every layout tags its regions (MemoryLayout.reserve), so `describe()` prints the plan by class.
import { Wasm2VecError } from '../errors.js';

/** wasm32 addresses at most 4 GiB (65 536 pages of 64 KiB). */
export const WASM_PAGE_BYTES = 65_536;
export const MAX_WASM_PAGES = 65_536;
export const MAX_WASM_BYTES = WASM_PAGE_BYTES * MAX_WASM_PAGES;

/** The kernels' own static data lives below this address (asc --memoryBase); regions start above it. */
export const RESERVED_LOW_BYTES = 65_536;

/** Rows of a matrix are padded to a multiple of this many floats, so every row starts on a 16-byte boundary. */
export const FLOAT_LANES = 4;

export function paddedDim(dim: number): number {
  return Math.ceil(dim / FLOAT_LANES) * FLOAT_LANES;
}

/** How the threads use a region (see the file comment). */
export type Sharing = 'hogwild' | 'atomic' | 'worker' | 'read-only';

export interface Region {
  name: string;
  offset: number;
  bytes: number;
  sharing: Sharing;
}

/**
 * Lays out the regions of one WebAssembly memory, from `start` up. Regions are 64-byte aligned by
 * default (a cache line), so regions written by different workers never share a line.
 */
export class MemoryLayout {
  private end: number;
  readonly regions: Region[] = [];

  constructor(start = RESERVED_LOW_BYTES) {
    this.end = start;
  }

  reserve(name: string, bytes: number, sharing: Sharing = 'read-only', align = 64): Region {
    if (!Number.isFinite(bytes) || bytes < 0) throw new Error(`invalid region size for ${name}: ${bytes}`);
    const offset = Math.ceil(this.end / align) * align;
    const region = { name, offset, bytes, sharing };
    this.end = offset + bytes;
    this.regions.push(region);
    return region;
  }

  /** The offset of a new region (for layouts that keep offsets rather than regions). */
  take(name: string, bytes: number, sharing: Sharing = 'read-only', align = 64): number {
    return this.reserve(name, bytes, sharing, align).offset;
  }

  get totalBytes(): number {
    return this.end;
  }

  /** The plan, one line a region: offset, size, sharing class and name. */
  describe(): string[] {
    return this.regions.map((r) => `${String(r.offset).padStart(11)}  ${formatBytes(r.bytes).padStart(10)}  ${r.sharing.padEnd(9)}  ${r.name}`);
  }

  /** Throws a Wasm2VecError naming the biggest regions when the layout does not fit in wasm32. */
  assertFits(whatToReduce: string): void {
    if (this.end <= MAX_WASM_BYTES) return;
    const biggest = [...this.regions]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 4)
      .map((r) => `${r.name} ${formatBytes(r.bytes)}`)
      .join(', ');
    throw new Wasm2VecError(
      `the model needs ${formatBytes(this.end)} of WebAssembly memory but wasm32 holds at most 4 GiB ` +
        `(largest parts: ${biggest}); reduce ${whatToReduce}`,
    );
  }

  /** A shared memory exactly large enough for the layout. */
  createMemory(): WebAssembly.Memory {
    this.assertFits('the vocabulary or the dimension');
    const pages = Math.max(1, Math.ceil(this.end / WASM_PAGE_BYTES));
    return createSharedMemory(pages, pages);
  }
}

/**
 * A shared WebAssembly memory, or a Wasm2VecError saying why it could not be had. V8 reserves about
 * 10 GiB of address space for every wasm32 memory (guard regions that make bounds checks free),
 * whatever its maximum, so a virtual-memory limit (ulimit -v) below that fails here.
 */
export function createSharedMemory(initialPages: number, maximumPages: number): WebAssembly.Memory {
  try {
    // A web page that is not cross-origin isolated has no SharedArrayBuffer: the browser build then
    // trains on the page's one thread, on a plain memory and kernels built for one (src/browser/load.ts).
    return new WebAssembly.Memory({ initial: initialPages, maximum: maximumPages, shared: typeof SharedArrayBuffer !== 'undefined' });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new Wasm2VecError(
      `cannot allocate ${formatBytes(initialPages * WASM_PAGE_BYTES)} of WebAssembly memory: the process's virtual memory is limited ` +
        '(Node.js reserves about 10 GiB of address space per WebAssembly memory, beyond what is used); raise the limit (ulimit -v unlimited) or free memory',
      { cause: error },
    );
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (bytes >= 2 ** 10) return `${(bytes / 2 ** 10).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/**
 * The one way a run is stopped: an i32 flag in an 'atomic' region (or a SharedArrayBuffer) that the
 * kernels and shard loops poll; raiseFlag sets it from any thread (runOnWorkers' `stop`).
 */
export function raiseFlag(buffer: ArrayBufferLike, offset: number): void {
  Atomics.store(new Int32Array(buffer, offset, 1), 0, 1);
}

export function flagRaised(buffer: ArrayBufferLike, offset: number): boolean {
  return Atomics.load(new Int32Array(buffer, offset, 1), 0) !== 0;
}

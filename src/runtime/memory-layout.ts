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

export interface Region {
  name: string;
  offset: number;
  bytes: number;
}

/**
 * Lays out the regions of one WebAssembly memory: TypeScript owns the layout and passes byte
 * offsets to the kernels, which never allocate. Regions are 64-byte aligned (a cache line),
 * so regions written by different workers never share a line.
 */
export class MemoryLayout {
  private end = RESERVED_LOW_BYTES;
  readonly regions: Region[] = [];

  reserve(name: string, bytes: number, align = 64): Region {
    if (!Number.isFinite(bytes) || bytes < 0) throw new Error(`invalid region size for ${name}: ${bytes}`);
    const offset = Math.ceil(this.end / align) * align;
    const region = { name, offset, bytes };
    this.end = offset + bytes;
    this.regions.push(region);
    return region;
  }

  get totalBytes(): number {
    return this.end;
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
    return new WebAssembly.Memory({ initial: initialPages, maximum: maximumPages, shared: true });
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

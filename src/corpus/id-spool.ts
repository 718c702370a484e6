import { closeSync, openSync, readSync, writeSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BLOCK_IDS = 1 << 20;

/**
 * An append-only sequence of int32 token ids that keeps blocks in memory up to a byte budget
 * and spills the rest to a temporary file, so corpora larger than RAM can still be encoded.
 */
export class IdSpool {
  private block = new Int32Array(BLOCK_IDS);
  private fill = 0;
  private readonly kept: Int32Array[] = [];
  private readonly spilledLengths: number[] = [];
  private fd = -1;
  private dir: string | undefined;
  length = 0;

  constructor(private readonly memoryBudgetBytes: number = Number.POSITIVE_INFINITY) {}

  push(id: number): void {
    this.block[this.fill++] = id;
    if (this.fill === BLOCK_IDS) this.seal();
  }

  /** Appends a run of ids (copied). */
  pushAll(ids: Int32Array): void {
    let from = 0;
    while (from < ids.length) {
      const n = Math.min(ids.length - from, BLOCK_IDS - this.fill);
      this.block.set(ids.subarray(from, from + n), this.fill);
      this.fill += n;
      from += n;
      if (this.fill === BLOCK_IDS) this.seal();
    }
  }

  private seal(): void {
    this.length += this.fill;
    const full = this.fill === BLOCK_IDS ? this.block : this.block.slice(0, this.fill);
    if ((this.kept.length + 1) * BLOCK_IDS * 4 <= this.memoryBudgetBytes) {
      this.kept.push(full);
    } else {
      if (this.fd < 0) {
        this.dir = mkdtempSync(join(tmpdir(), 'wasm2vec-spool-'));
        this.fd = openSync(join(this.dir, 'ids.bin'), 'w+');
      }
      writeSync(this.fd, new Uint8Array(full.buffer, full.byteOffset, full.byteLength), 0, full.byteLength, this.spilledLengths.length * BLOCK_IDS * 4);
      this.spilledLengths.push(full.length);
    }
    this.block = new Int32Array(BLOCK_IDS);
    this.fill = 0;
  }

  /** Ends writing; the spool can then be replayed in order with blocks(). */
  finish(): void {
    if (this.fill > 0) this.seal();
  }

  get spilled(): boolean {
    return this.spilledLengths.length > 0;
  }

  *blocks(): Generator<Int32Array> {
    // Blocks kept in memory come first: spilling starts only once the budget is used up.
    yield* this.kept;
    const buffer = new Int32Array(BLOCK_IDS);
    for (let b = 0; b < this.spilledLengths.length; b++) {
      const bytes = this.spilledLengths[b] * 4;
      readSync(this.fd, new Uint8Array(buffer.buffer), 0, bytes, b * BLOCK_IDS * 4);
      yield buffer.subarray(0, this.spilledLengths[b]);
    }
  }

  dispose(): void {
    this.kept.length = 0;
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

/** Where the encoded corpus (final vocabulary ids) lives during training. */
export type EncodedCorpus =
  | { kind: 'memory'; length: number; offset: number }
  | { kind: 'file'; length: number; path: string; dispose(): void };

/**
 * Replays the spool with provisional ids rewritten through `remap` (−1 = dropped word).
 */
export function* remapBlocks(spool: IdSpool, remap: Int32Array): Generator<Int32Array> {
  const out = new Int32Array(BLOCK_IDS);
  for (const block of spool.blocks()) {
    let n = 0;
    for (let i = 0; i < block.length; i++) {
      const id = remap[block[i]];
      if (id >= 0) out[n++] = id;
    }
    yield out.subarray(0, n);
  }
}

/** Encodes into a temporary file of little-endian int32 ids, for streams that do not fit in memory. */
export function encodeToFile(spool: IdSpool, remap: Int32Array): EncodedCorpus {
  const dir = mkdtempSync(join(tmpdir(), 'wasm2vec-ids-'));
  const path = join(dir, 'corpus.ids');
  const fd = openSync(path, 'w');
  let length = 0;
  try {
    for (const ids of remapBlocks(spool, remap)) {
      writeSync(fd, new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength));
      length += ids.length;
    }
  } catch (error) {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  closeSync(fd);
  return { kind: 'file', length, path, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Encodes into `target` (a view of the shared memory) and returns how many ids were written. */
export function encodeToMemory(spool: IdSpool, remap: Int32Array, target: Int32Array): number {
  let length = 0;
  for (const ids of remapBlocks(spool, remap)) {
    target.set(ids, length);
    length += ids.length;
  }
  return length;
}

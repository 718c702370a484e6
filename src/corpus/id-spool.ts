import { nodeBuiltin } from '../runtime/node-builtins.js';
import { fromSystemError } from '../errors.js';
import { registerTempPath } from '../runtime/temp-files.js';
const { closeSync, openSync, readSync, writeSync, mkdtempSync, rmSync } = nodeBuiltin('node:fs');
const { tmpdir } = nodeBuiltin('node:os');
const { join } = nodeBuiltin('node:path');

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
  private releaseDir: (() => void) | undefined;
  length = 0;

  /** `tempDir`: where the spill file goes (the trainer's tempDir option; default the OS's). */
  constructor(
    private readonly memoryBudgetBytes: number = Number.POSITIVE_INFINITY,
    private readonly tempDir?: string,
  ) {}

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
      try {
        if (this.fd < 0) {
          this.dir = mkdtempSync(join(this.tempDir ?? tmpdir(), 'wasm2vec-spool-'));
          this.releaseDir = registerTempPath(this.dir);
          this.fd = openSync(join(this.dir, 'ids.bin'), 'w+');
        }
        writeAllSync(this.fd, new Uint8Array(full.buffer, full.byteOffset, full.byteLength), this.spilledLengths.length * BLOCK_IDS * 4);
      } catch (error) {
        throw fromSystemError(error, 'write the token spool in the temporary directory', this.dir ?? this.tempDir ?? tmpdir());
      }
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
    this.releaseDir?.();
    this.dir = undefined;
    this.releaseDir = undefined;
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

/** Encodes into a temporary file of little-endian int32 ids (in `tempDir`), for streams that do not fit in memory. */
export function encodeToFile(spool: IdSpool, remap: Int32Array, tempDir: string = tmpdir()): EncodedCorpus {
  let dir: string;
  try {
    dir = mkdtempSync(join(tempDir, 'wasm2vec-ids-'));
  } catch (error) {
    throw fromSystemError(error, 'create a temporary directory for the encoded corpus in', tempDir);
  }
  const release = registerTempPath(dir);
  const remove = () => {
    rmSync(dir, { recursive: true, force: true });
    release();
  };
  const path = join(dir, 'corpus.ids');
  let fd = -1;
  let length = 0;
  try {
    fd = openSync(path, 'w');
    for (const ids of remapBlocks(spool, remap)) {
      writeAllSync(fd, new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength), length * 4);
      length += ids.length;
    }
  } catch (error) {
    if (fd >= 0) closeSync(fd);
    remove();
    throw fromSystemError(error, 'write the encoded corpus to', path);
  }
  closeSync(fd);
  return { kind: 'file', length, path, dispose: remove };
}

/** writeSync until every byte is written (a write may be short). */
function writeAllSync(fd: number, bytes: Uint8Array, position: number): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off, position + off);
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

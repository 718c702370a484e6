/**
 * Atomic file replacement: write everything to a temporary file in the same directory, flush it to
 * disk, then rename it over the destination. Readers of `path` see either the old file or the complete
 * new one, never a partial write; if anything fails (or the signal aborts) the old file is left
 * untouched and the temporary file is removed. A symlink is followed (its target is replaced, the link
 * stays), an existing file keeps its permission bits, and a FIFO or device is written in place.
 */
import { nodeBuiltin } from './node-builtins.js';
import type { FileHandle } from 'node:fs/promises';
import { AbortError, Wasm2VecError, fromSystemError } from '../errors.js';
import { registerTempPath } from './temp-files.js';
const { randomBytes } = nodeBuiltin('node:crypto');
const { realpathSync, statSync } = nodeBuiltin('node:fs');
const { chmod, open, realpath, rename, stat, unlink } = nodeBuiltin('node:fs/promises');
const { dirname, resolve } = nodeBuiltin('node:path');

/** The sink handed to a `writeFileAtomic` callback. */
export interface WritableLike {
  /**
   * Append bytes (strings are encoded as UTF-8). The data is copied before the promise resolves, so the
   * caller may reuse its buffer afterwards. Await each call: the promise is what applies backpressure.
   */
  write(data: Uint8Array | string): Promise<void>;
  /** Bytes appended so far. */
  readonly bytesWritten: number;
}

export interface WriteFileAtomicOptions {
  /** fsync the file (and, best effort, its directory) before/after the rename. Default true. */
  fsync?: boolean;
  /** Permission bits of a newly created file. Default 0o666 (minus umask). */
  mode?: number;
  /** Size of each of the two internal buffers. Default 1 MiB. */
  bufferSize?: number;
  /** Aborting it stops the write: the temporary file is removed and `path` is left as it was. */
  signal?: AbortSignal;
}

/** Writes through two alternating buffers so formatting the next chunk overlaps the previous write. */
class BufferedSink implements WritableLike {
  private readonly bufs: [Buffer, Buffer];
  private cur = 0;
  private len = 0;
  private pos = 0;
  private pending: Promise<void> | null = null;
  bytesWritten = 0;

  constructor(
    private readonly fh: FileHandle,
    private readonly size: number,
    private readonly signal?: AbortSignal,
    private readonly positioned = true,
  ) {
    this.bufs = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
  }

  async write(data: Uint8Array | string): Promise<void> {
    if (this.signal?.aborted) throw new AbortError();
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    const n = bytes.length;
    this.bytesWritten += n;
    while (off < n) {
      const buf = this.bufs[this.cur];
      const k = Math.min(this.size - this.len, n - off);
      buf.set(off === 0 && k === n ? bytes : bytes.subarray(off, off + k), this.len);
      this.len += k;
      off += k;
      if (this.len === this.size) await this.flush();
    }
  }

  /** Start writing the current buffer; waits only for the write before it. */
  async flush(): Promise<void> {
    if (this.len === 0) return;
    if (this.pending) await this.pending;
    const p = writeAll(this.fh, this.bufs[this.cur], this.len, this.positioned ? this.pos : null);
    p.catch(() => {}); // observed later through `pending`; avoid an unhandled-rejection report meanwhile
    this.pending = p;
    this.pos += this.len;
    this.len = 0;
    this.cur ^= 1;
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.drain();
  }

  async drain(): Promise<void> {
    const p = this.pending;
    this.pending = null;
    if (p) await p;
  }
}

async function writeAll(fh: FileHandle, buf: Buffer, length: number, position: number | null): Promise<void> {
  let off = 0;
  while (off < length) {
    const { bytesWritten } = await fh.write(buf, off, length - off, position === null ? null : position + off);
    off += bytesWritten;
  }
}

/**
 * Atomically replace `path` with whatever `write` appends to the sink it is given.
 *
 * The data goes to `<path>.tmp-<pid>-<random>` (same directory, so the final rename is atomic), is
 * fsynced, and is renamed onto `path`. If `write` throws, any I/O fails or `options.signal` aborts,
 * the temporary file is removed, the earlier file at `path` (if any) is left intact, and the error is
 * rethrown (file-system errors as a Wasm2VecError naming the path and what to do).
 */
export async function writeFileAtomic(
  path: string,
  write: (out: WritableLike) => Promise<void>,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const size = Math.max(4096, options.bufferSize ?? 1 << 20);
  if (options.signal?.aborted) throw new AbortError();
  // Replace what a symlink points to, not the link; keep an existing file's permission bits.
  const target = await realpath(path).catch(() => path);
  const existing = await stat(target).catch(() => undefined);
  if (existing && !existing.isFile()) {
    if (existing.isDirectory()) throw new Wasm2VecError(`cannot write ${path}: it is a directory; give a file name`);
    return writeInPlace(path, target, write, size, options.signal);
  }
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  let fh: FileHandle;
  try {
    fh = await open(tmp, 'wx', options.mode ?? 0o666);
  } catch (error) {
    throw fromSystemError(error, 'write', path);
  }
  const release = registerTempPath(tmp);
  let closed = false;
  const sink = new BufferedSink(fh, size, options.signal);
  try {
    await write(sink);
    await sink.finish();
    if (options.signal?.aborted) throw new AbortError();
    if (options.fsync ?? true) await fh.sync();
    closed = true;
    await fh.close();
    if (existing && options.mode === undefined) await chmod(tmp, existing.mode & 0o7777);
    await rename(tmp, target);
    release();
  } catch (err) {
    await sink.drain().catch(() => {});
    if (!closed) await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    release();
    throw fromSystemError(err, 'write', path);
  }
  if (options.fsync ?? true) await syncDirectory(dirname(target));
}

/** A FIFO, a character device (/dev/stdout) or a socket cannot be renamed onto: stream into it. */
async function writeInPlace(path: string, target: string, write: (out: WritableLike) => Promise<void>, size: number, signal?: AbortSignal): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await open(target, 'w');
  } catch (error) {
    throw fromSystemError(error, 'write', path);
  }
  const sink = new BufferedSink(fh, size, signal, false);
  try {
    await write(sink);
    await sink.finish();
  } catch (err) {
    await sink.drain().catch(() => {});
    throw fromSystemError(err, 'write', path);
  } finally {
    await fh.close().catch(() => {});
  }
}

/**
 * Refuses, before anything is read or written, an output path that names one of the inputs (also
 * through a symlink or a hard link): writing it would destroy the input.
 */
export function refuseOutputOverInput(output: string, inputs: Array<string | undefined>, outputOption = 'output'): void {
  const out = identity(output);
  if (out === undefined) return;
  for (const input of inputs) {
    if (input === undefined || input === '-') continue;
    const id = identity(input);
    if (id !== undefined && (id.file === out.file || id.real === out.real)) {
      throw new Wasm2VecError(`--${outputOption} ${output} is the input file ${input}: writing it would destroy the input; choose another output path`);
    }
  }
}

function identity(path: string): { file: string; real: string } | undefined {
  try {
    const st = statSync(path);
    if (!st.isFile()) return undefined;
    return { file: `${st.dev}:${st.ino}`, real: realpathSync(resolve(path)) };
  } catch {
    return undefined;
  }
}

/** Best effort: make the rename itself durable (not supported on every platform). */
async function syncDirectory(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // ignore (e.g. Windows cannot open directories)
  } finally {
    await fh?.close().catch(() => {});
  }
}

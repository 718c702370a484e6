/**
 * Atomic file replacement: write everything to a temporary file in the same directory, flush it to
 * disk, then rename it over the destination. Readers of `path` see either the old file or the complete
 * new one, never a partial write; if anything fails the old file is left untouched and the temporary
 * file is removed.
 */
import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

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
  ) {
    this.bufs = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
  }

  async write(data: Uint8Array | string): Promise<void> {
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
    const p = writeAll(this.fh, this.bufs[this.cur], this.len, this.pos);
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

async function writeAll(fh: FileHandle, buf: Buffer, length: number, position: number): Promise<void> {
  let off = 0;
  while (off < length) {
    const { bytesWritten } = await fh.write(buf, off, length - off, position + off);
    off += bytesWritten;
  }
}

/**
 * Atomically replace `path` with whatever `write` appends to the sink it is given.
 *
 * The data goes to `<path>.tmp-<pid>-<random>` (same directory, so the final rename is atomic), is
 * fsynced, and is renamed onto `path`. If `write` throws or any I/O fails, the temporary file is
 * removed, the earlier file at `path` (if any) is left intact, and the error is rethrown.
 */
export async function writeFileAtomic(
  path: string,
  write: (out: WritableLike) => Promise<void>,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const fsync = options.fsync ?? true;
  const size = Math.max(4096, options.bufferSize ?? 1 << 20);
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  const fh = await open(tmp, 'wx', options.mode ?? 0o666);
  let closed = false;
  const sink = new BufferedSink(fh, size);
  try {
    await write(sink);
    await sink.finish();
    if (fsync) await fh.sync();
    closed = true;
    await fh.close();
    await rename(tmp, path);
  } catch (err) {
    await sink.drain().catch(() => {});
    if (!closed) await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw err;
  }
  if (fsync) await syncDirectory(dirname(path));
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

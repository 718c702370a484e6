/**
 * Shared plumbing for the embedding-file readers and writers: a bounded streaming byte reader,
 * limits, error helpers, and the strided row source the writers consume.
 *
 * Everything a reader throws because of the file's content is a `Wasm2VecError` whose message starts
 * with the file path.
 */
import { nodeBuiltin } from '../runtime/node-builtins.js';
import { Wasm2VecError } from '../errors.js';
const { open } = nodeBuiltin('node:fs/promises');

/** Longest word (in UTF-8 bytes) a reader accepts and a writer produces. */
export const MAX_WORD_BYTES = 64 * 1024;
/** Longest text a single numeric value may take in a text file (including surrounding blanks). */
export const MAX_VALUE_CHARS = 64;
/** Longest first line of a GloVe file (its dimension is not known before it is read). */
export const MAX_GLOVE_FIRST_LINE = 16 * 1024 * 1024;
/** Longest header line ("<count> <dim>"). */
export const MAX_HEADER_BYTES = 256;
/** Largest table (in floats) the readers will allocate; a Float32Array cannot be longer anyway. */
export const MAX_TABLE_FLOATS = 2 ** 32 - 1;
/** Size of the read buffer (it only grows when a single line is longer). */
export const READ_CHUNK_BYTES = 1 << 20;

/**
 * Rows of a matrix to write: row `i` (the vector of `words[i]`) is
 * `data[offset + i * rowStride .. offset + i * rowStride + dim)`. The trainer's matrices live in a
 * WebAssembly memory with padded rows; this lets it write them without first copying into a dense array.
 */
export interface StridedRows {
  words: readonly string[];
  dim: number;
  data: Float32Array;
  /** Floats between the starts of consecutive rows (>= dim). Defaults to `dim` (dense). */
  rowStride?: number;
  /** Float index of row 0 in `data`. Defaults to 0. */
  offset?: number;
}

/** Shorten and quote an offending value for an error message. */
export function quote(value: string, max = 40): string {
  const s = value.length > max ? value.slice(0, max) + '…' : value;
  return JSON.stringify(s);
}

/** Quote raw bytes from a file (decoded as UTF-8 with replacement) for an error message. */
export function quoteBytes(buf: Uint8Array, start: number, end: number, max = 40): string {
  const e = Math.min(end, start + max * 4);
  const s = Buffer.from(buf.buffer, buf.byteOffset + start, e - start).toString('utf8');
  return quote(end > e ? s + '…' : s, max);
}

export function fail(path: string, where: string, message: string): never {
  throw new Wasm2VecError(`${path}: ${where}${where ? ': ' : ''}${message}`);
}

/** Wrap a Node system error (ENOENT, EACCES, ENOSPC...) in a Wasm2VecError naming the file. */
export function wrapSystemError(path: string, verb: string, err: unknown): unknown {
  if (err instanceof Wasm2VecError) return err;
  if (err && typeof err === 'object' && typeof (err as { code?: unknown }).code === 'string') {
    return new Wasm2VecError(`cannot ${verb} ${path}: ${(err as Error).message}`, { cause: err });
  }
  return err;
}

export function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return Infinity;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new Wasm2VecError(`limit must be a positive integer, got ${String(limit)}`);
  }
  return limit;
}

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
export { IS_LITTLE_ENDIAN };

/**
 * A forward-only reader over a regular file that keeps a window `buf[start, end)` of unread bytes.
 * It never reads past the size the file had when it was opened, and never grows its buffer beyond
 * what the caller asks for (callers bound that by their per-line / per-row limits).
 */
/**
 * A model or table already in memory (a browser's File or fetched bytes): `name` stands for the
 * path in messages and gives the file-name hint of format detection.
 */
export interface BytesSource {
  name: string;
  bytes: Uint8Array;
}

/** Where a reader reads from: a file path, or bytes in memory. */
export type ReadSource = string | BytesSource;

/** The name a source goes by in messages: its path, or its name. */
export function sourceName(source: ReadSource): string {
  return typeof source === 'string' ? source : source.name;
}

/** What ByteReader reads through: a FileHandle's read() and close(). */
interface ReadHandle {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

/** A ReadHandle over bytes in memory. */
function bytesHandle(bytes: Uint8Array): ReadHandle {
  return {
    read: async (buffer, offset, length, position) => {
      const n = Math.max(0, Math.min(length, bytes.length - position));
      buffer.set(bytes.subarray(position, position + n), offset);
      return { bytesRead: n };
    },
    close: async () => {},
  };
}

export class ByteReader {
  buf: Buffer;
  /** First unread byte in `buf`. */
  start = 0;
  /** End of valid bytes in `buf`. */
  end = 0;
  /** File offset of `buf[0]`. */
  base = 0;
  /** True once every byte of the file (up to its size at open time) is in the buffer or consumed. */
  eof = false;
  private filePos = 0;

  private constructor(
    private readonly fh: ReadHandle,
    readonly path: string,
    readonly size: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(64, Math.min(READ_CHUNK_BYTES, size + 1)));
    this.eof = size === 0;
  }

  static async open(source: ReadSource): Promise<ByteReader> {
    if (typeof source !== 'string') return ByteReader.start(new ByteReader(bytesHandle(source.bytes), source.name, source.bytes.length));
    const path = source;
    let fh: Awaited<ReturnType<typeof open>>;
    try {
      fh = await open(path, 'r');
    } catch (err) {
      throw wrapSystemError(path, 'open', err);
    }
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new Wasm2VecError(`${path}: not a regular file`);
      return await ByteReader.start(new ByteReader(fh, path, st.size));
    } catch (err) {
      await fh.close().catch(() => {});
      throw wrapSystemError(path, 'read', err);
    }
  }

  /** Reads the first bytes; a UTF-8 byte order mark at the very start is skipped. */
  private static async start(r: ByteReader): Promise<ByteReader> {
    await r.fill(Math.min(3, r.size));
    if (r.end >= 3 && r.buf[0] === 0xef && r.buf[1] === 0xbb && r.buf[2] === 0xbf) r.start = 3;
    return r;
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => {});
  }

  /** File offset of `buf[i]`. */
  offsetOf(i: number): number {
    return this.base + i;
  }

  get available(): number {
    return this.end - this.start;
  }

  /**
   * Make at least `min` unread bytes available (fewer only at end of file). Moves the unread bytes to
   * the front of the buffer, growing it (to at most the size needed) when `min` exceeds its length.
   * Callers must re-read `buf`, `start`, `end` afterwards.
   */
  async fill(min: number): Promise<void> {
    if (this.available >= min || this.eof) return;
    if (this.start > 0) {
      if (this.available > 0) this.buf.copy(this.buf, 0, this.start, this.end);
      this.base += this.start;
      this.end -= this.start;
      this.start = 0;
    }
    if (min > this.buf.length) {
      const remaining = this.size - this.filePos;
      const want = Math.min(Math.max(min, this.buf.length * 2), this.end + remaining);
      if (want > this.buf.length) {
        const nb = Buffer.allocUnsafe(want);
        this.buf.copy(nb, 0, 0, this.end);
        this.buf = nb;
      }
    }
    // Read until the buffer is full or the file ends: that gives at least `min` bytes whenever the
    // file has them, and callers see large windows.
    while (!this.eof) {
      const toRead = Math.min(this.buf.length - this.end, this.size - this.filePos);
      if (toRead <= 0) {
        this.eof = this.filePos >= this.size;
        break;
      }
      let n: number;
      try {
        ({ bytesRead: n } = await this.fh.read(this.buf, this.end, toRead, this.filePos));
      } catch (err) {
        throw wrapSystemError(this.path, 'read', err);
      }
      if (n === 0) {
        // The file shrank while we were reading it.
        this.eof = true;
        break;
      }
      this.end += n;
      this.filePos += n;
      if (this.filePos >= this.size) this.eof = true;
    }
  }

  /** Bytes of the file not yet consumed (from `start`). */
  get remainingInFile(): number {
    return this.size - this.offsetOf(this.start);
  }

  /**
   * Consume the next `target.length` bytes of the file into `target`: the buffered ones are copied,
   * the rest is read straight from the file (large binary matrices never pass through `buf`).
   * Returns the number of bytes stored, fewer only when the file ends first.
   */
  async readInto(target: Uint8Array): Promise<number> {
    const fromBuffer = Math.min(this.available, target.length);
    target.set(this.buf.subarray(this.start, this.start + fromBuffer));
    this.start += fromBuffer;
    let done = fromBuffer;
    if (done === target.length) return done;
    // The window is empty: read directly, then leave an empty window at the new file position.
    while (done < target.length && this.filePos < this.size) {
      const want = Math.min(target.length - done, this.size - this.filePos, 1 << 30);
      let n: number;
      try {
        ({ bytesRead: n } = await this.fh.read(target, done, want, this.filePos));
      } catch (err) {
        throw wrapSystemError(this.path, 'read', err);
      }
      if (n === 0) break; // the file shrank while we were reading it
      done += n;
      this.filePos += n;
    }
    this.resetWindow(this.filePos);
    return done;
  }

  /** Consume `n` bytes without reading them (at most to the end of the file). */
  skip(n: number): void {
    if (n <= this.available) {
      this.start += n;
      return;
    }
    this.resetWindow(Math.min(this.size, this.offsetOf(this.end) + (n - this.available)));
  }

  /** Empty the window and continue reading at file offset `pos`. */
  private resetWindow(pos: number): void {
    this.filePos = pos;
    this.base = pos;
    this.start = 0;
    this.end = 0;
    this.eof = pos >= this.size;
  }
}

/**
 * Parse the "<count> <dim>" header line starting at the reader's position; consumes it.
 * Returns the header and the file offset just after it.
 */
export async function readHeader(
  r: ByteReader,
): Promise<{ count: number; dim: number }> {
  await r.fill(MAX_HEADER_BYTES + 1);
  const { buf, start, end } = r;
  const nl = buf.indexOf(10, start);
  const lineEnd = nl < 0 || nl > end ? end : nl;
  if (r.available === 0) fail(r.path, '', 'file is empty');
  if (lineEnd - start > MAX_HEADER_BYTES) {
    fail(r.path, 'line 1', `invalid header ${quoteBytes(buf, start, lineEnd)}: expected "<word count> <dimension>"`);
  }
  const line = buf.toString('latin1', start, lineEnd);
  const m = /^[ \t]*(\d+)[ \t]+(\d+)[ \t]*\r?$/.exec(line);
  if (!m) {
    fail(r.path, 'line 1', `invalid header ${quoteBytes(buf, start, lineEnd)}: expected "<word count> <dimension>" (two positive integers)`);
  }
  const count = Number(m[1]);
  const dim = Number(m[2]);
  if (m[1].length > 15 || m[2].length > 15) {
    fail(r.path, 'line 1', `header ${quote(line.trim())} has an absurdly large number`);
  }
  if (count === 0) fail(r.path, 'line 1', `header ${quote(line.trim())} declares 0 words`);
  if (dim === 0) fail(r.path, 'line 1', `header ${quote(line.trim())} declares dimension 0`);
  r.start = nl < 0 || nl > end ? end : nl + 1;
  return { count, dim };
}

/** Reject a claimed table that cannot possibly fit in the rest of the file (before allocating it). */
export function checkClaimedSize(
  r: ByteReader,
  count: number,
  dim: number,
  minRowBytes: number,
  what: string,
): void {
  const remaining = r.remainingInFile;
  const need = count * minRowBytes - 1;
  if (need > remaining) {
    fail(
      r.path,
      'line 1',
      `header claims ${count} words of dimension ${dim}, which needs at least ${need} bytes of ${what}, ` +
        `but only ${remaining} bytes follow the header (lying header or truncated file)`,
    );
  }
  if (count * dim > MAX_TABLE_FLOATS) {
    fail(r.path, 'line 1', `header claims ${count} × ${dim} values, more than the ${MAX_TABLE_FLOATS} supported`);
  }
}

/** Validate a row source before writing; returns the normalized stride and offset. */
export function checkRows(rows: StridedRows): { stride: number; offset: number } {
  const { words, dim, data } = rows;
  const stride = rows.rowStride ?? dim;
  const offset = rows.offset ?? 0;
  if (!Number.isInteger(dim) || dim < 1) throw new Wasm2VecError(`cannot write embeddings: dim must be a positive integer, got ${String(dim)}`);
  if (!(data instanceof Float32Array)) throw new Wasm2VecError('cannot write embeddings: data must be a Float32Array');
  if (!Number.isInteger(stride) || stride < dim) {
    throw new Wasm2VecError(`cannot write embeddings: rowStride must be an integer >= dim (${dim}), got ${String(stride)}`);
  }
  if (!Number.isInteger(offset) || offset < 0) throw new Wasm2VecError(`cannot write embeddings: offset must be a non-negative integer, got ${String(offset)}`);
  if (words.length === 0) throw new Wasm2VecError('cannot write embeddings: the table has no words');
  const needed = offset + (words.length - 1) * stride + dim;
  if (data.length < needed) {
    throw new Wasm2VecError(
      `cannot write embeddings: ${words.length} rows of ${dim} floats with stride ${stride} need ${needed} floats, data has ${data.length}`,
    );
  }
  const seen = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (typeof w !== 'string' || w.length === 0) throw new Wasm2VecError(`cannot write embeddings: word #${i} is empty`);
    for (let j = 0; j < w.length; j++) {
      const c = w.charCodeAt(j);
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        throw new Wasm2VecError(`cannot write embeddings: word #${i} ${quote(w)} contains whitespace`);
      }
    }
    if (w.length * 3 > MAX_WORD_BYTES && Buffer.byteLength(w, 'utf8') > MAX_WORD_BYTES) {
      throw new Wasm2VecError(`cannot write embeddings: word #${i} ${quote(w)} is longer than ${MAX_WORD_BYTES} bytes`);
    }
    if (seen.has(w)) throw new Wasm2VecError(`cannot write embeddings: duplicate word ${quote(w)} (#${i})`);
    seen.add(w);
  }
  return { stride, offset };
}

export function nonFiniteWriteError(word: string, index: number, value: number): Wasm2VecError {
  return new Wasm2VecError(`cannot write embeddings: the vector of ${quote(word)} has a non-finite value ${value} at index ${index}`);
}

/**
 * Output chunk used by the writers: they format rows straight into `buf` and hand full chunks to the
 * sink. Grows when a single row does not fit.
 */
export class OutChunk {
  buf: Buffer = Buffer.allocUnsafe(1 << 20);
  pos = 0;
  constructor(private readonly sink: { write(data: Uint8Array): Promise<void> }) {}
  /** Make room for `n` more bytes, flushing to the sink if needed. */
  async reserve(n: number): Promise<void> {
    if (this.pos + n <= this.buf.length) return;
    await this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }
  async flush(): Promise<void> {
    if (this.pos > 0) {
      await this.sink.write(this.buf.subarray(0, this.pos));
      this.pos = 0;
    }
  }
}

/**
 * Text embedding files: word2vec text (`-binary 0`), fastText .vec (same layout) and, with
 * `header: false`, GloVe. One streaming reader and one writer serve all three.
 *
 * Layouts (byte-for-byte what the reference tools write):
 *   word2vec text:  "%lld %lld\n" header, then per word  "%s " + dim × "%lf " + "\n"  (trailing space)
 *   fastText .vec:  "%d %d\n" header,     then per word  "%s " + dim × "%.5g " + "\n" (trailing space)
 *   GloVe text:     no header,            then per word  "%s"  + dim × " %lf" + "\n"  (no trailing space)
 * `%lf` means 6 decimals, rounded exactly like glibc's printf (round-half-even on the exact value);
 * `%.5g` likewise (see fasttext-vec.ts).
 *
 * Reading: lines may end in "\n" or "\r\n"; values may be separated by runs of spaces/tabs; blank
 * lines are skipped; the last line may lack its "\n". Words are decoded as UTF-8 (invalid sequences
 * become U+FFFD). Rejected with a Wasm2VecError naming the file, the line and the offending text:
 * bad or lying headers, NaN/Infinity or out-of-float32-range values, malformed numbers, rows with the
 * wrong number of values, words over MAX_WORD_BYTES bytes, empty words, duplicate words, fewer rows
 * than the header declares, and extra rows after them.
 */
import type { EmbeddingTable } from './types.js';
import type { WritableLike } from '../runtime/atomic-write.js';
import {
  ByteReader,
  type ReadSource,
  sourceName,
  MAX_GLOVE_FIRST_LINE,
  MAX_TABLE_FLOATS,
  MAX_VALUE_CHARS,
  MAX_WORD_BYTES,
  OutChunk,
  checkClaimedSize,
  checkRows,
  fail,
  nonFiniteWriteError,
  quote,
  quoteBytes,
  readHeader,
  type StridedRows,
} from './common.js';
import { MAX_G5_BYTES, writeG5 } from './fasttext-vec.js';

// ---------------------------------------------------------------------------------------------------
// Number formatting: C's "%lf" (6 decimals) for float32 values.

const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 48 + Math.floor(i / 10);
  PAIRS[2 * i + 1] = 48 + (i % 10);
}

/** Most bytes `writeFixed6` can produce for a float32 (sign + 39 integer digits + "." + 6 decimals). */
export const MAX_FIXED6_BYTES = 47;

/**
 * Write `x` (which must be a finite float32 value, e.g. read from a Float32Array) as C's `printf("%lf")`
 * would: 6 decimals, round-half-even on the exact binary value, "-" for negative values including -0.
 * Returns the new position.
 *
 * Exactness: a float32 has a 24-bit significand and 10^6 = 15625 · 2^6 with 15625 < 2^14, so
 * `x * 1e6` is computed exactly in double precision; rounding it to an integer is then exact too.
 */

/** Writes '.' and the six digits of f (0 ≤ f < 10^6) at pos; returns the position after them. */
function writeFraction6(buf: Uint8Array, pos: number, f: number): number {
  buf[pos] = 46;
  const a = (f / 10000) | 0;
  const rem = f - a * 10000;
  const b = (rem / 100) | 0;
  const c = rem - b * 100;
  buf[pos + 1] = PAIRS[2 * a];
  buf[pos + 2] = PAIRS[2 * a + 1];
  buf[pos + 3] = PAIRS[2 * b];
  buf[pos + 4] = PAIRS[2 * b + 1];
  buf[pos + 5] = PAIRS[2 * c];
  buf[pos + 6] = PAIRS[2 * c + 1];
  return pos + 7;
}

export function writeFixed6(buf: Uint8Array, pos: number, x: number): number {
  let v = x;
  if (v < 0 || (v === 0 && 1 / v < 0)) {
    buf[pos++] = 45;
    v = -v;
  }
  if (v < 2000) {
    // Common case: everything fits in int32 arithmetic.
    const scaled = v * 1e6;
    let n = scaled | 0;
    const frac = scaled - n;
    if (frac > 0.5 || (frac === 0.5 && (n & 1) === 1)) n += 1;
    const ip = (n / 1000000) | 0;
    const f = n - ip * 1000000;
    if (ip < 10) {
      buf[pos++] = 48 + ip;
    } else if (ip < 100) {
      buf[pos++] = PAIRS[2 * ip];
      buf[pos++] = PAIRS[2 * ip + 1];
    } else if (ip < 1000) {
      const h = (ip / 100) | 0;
      const r = ip - h * 100;
      buf[pos++] = 48 + h;
      buf[pos++] = PAIRS[2 * r];
      buf[pos++] = PAIRS[2 * r + 1];
    } else {
      const h = (ip / 100) | 0;
      const r = ip - h * 100;
      buf[pos++] = PAIRS[2 * h];
      buf[pos++] = PAIRS[2 * h + 1];
      buf[pos++] = PAIRS[2 * r];
      buf[pos++] = PAIRS[2 * r + 1];
    }
    return writeFraction6(buf, pos, f);
  }
  if (v < 1e9) {
    const scaled = v * 1e6;
    let n = Math.floor(scaled);
    const frac = scaled - n;
    if (frac > 0.5 || (frac === 0.5 && n % 2 === 1)) n += 1;
    const f = n % 1e6;
    const ip = (n - f) / 1e6;
    if (ip < 10) {
      buf[pos++] = 48 + ip;
    } else {
      let digits = 2;
      for (let t = 100; t <= ip; t *= 10) digits++;
      let q = ip;
      for (let i = pos + digits - 1; i >= pos; i--) {
        const d = q % 10;
        buf[i] = 48 + d;
        q = (q - d) / 10;
      }
      pos += digits;
    }
    return writeFraction6(buf, pos, f);
  }
  // float32 values >= 2^24 are integers, so their decimal expansion is exact.
  const s = BigInt(v).toString() + '.000000';
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  return pos;
}

/** `writeFixed6` as a string (for tests and small outputs). */
export function formatFixed6(x: number): string {
  const b = new Uint8Array(MAX_FIXED6_BYTES + 1);
  const n = writeFixed6(b, 0, Math.fround(x));
  return Buffer.from(b.buffer, 0, n).toString('latin1');
}

// ---------------------------------------------------------------------------------------------------
// Writer

/**
 * Write rows as text to `out`. `header: true` gives the word2vec/fastText text layout, `header: false`
 * the GloVe layout. Values are printed as C's "%lf" (`'fixed6'`, word2vec.c and GloVe) or "%.5g"
 * (`'g5'`, fastText's .vec). Non-finite values are rejected (the file would not load).
 */
export async function writeTextRows(out: WritableLike, rows: StridedRows, header: boolean, numbers: 'fixed6' | 'g5' = 'fixed6'): Promise<void> {
  const { stride, offset } = checkRows(rows);
  const { words, dim, data } = rows;
  const chunk = new OutChunk(out);
  if (header) {
    const h = `${words.length} ${dim}\n`;
    await chunk.reserve(h.length);
    chunk.pos += chunk.buf.write(h, chunk.pos, 'latin1');
  }
  const g5 = numbers === 'g5';
  const valueBytes = dim * ((g5 ? MAX_G5_BYTES : MAX_FIXED6_BYTES) + 1);
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const need = word.length * 3 + 2 + valueBytes;
    if (chunk.pos + need > chunk.buf.length) {
      await chunk.reserve(need);
      if (data.length === 0) throw new Error('cannot write embeddings: the Float32Array was detached during the write (WebAssembly memory grown?)');
    }
    const buf = chunk.buf;
    let pos = chunk.pos;
    pos += buf.write(word, pos, 'utf8');
    const base = offset + i * stride;
    if (header) {
      buf[pos++] = 32;
      for (let j = 0; j < dim; j++) {
        const v = data[base + j];
        if (v - v !== 0) throw nonFiniteWriteError(word, j, v);
        pos = g5 ? writeG5(buf, pos, v) : writeFixed6(buf, pos, v);
        buf[pos++] = 32;
      }
    } else {
      for (let j = 0; j < dim; j++) {
        const v = data[base + j];
        if (v - v !== 0) throw nonFiniteWriteError(word, j, v);
        buf[pos++] = 32;
        pos = writeFixed6(buf, pos, v);
      }
    }
    buf[pos++] = 10;
    chunk.pos = pos;
  }
  await chunk.flush();
}

// ---------------------------------------------------------------------------------------------------
// Number parsing

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
  1e19, 1e20, 1e21, 1e22,
];

/** End of the token most recently scanned by `parseNumber`. */
let tokenEnd = 0;

/**
 * Parse a decimal number `[+-]digits[.digits][(e|E)[+-]digits]` (digits may be omitted on one side of
 * the point) starting at `p`; the token ends at a space, tab or `e`. Returns the value as a double
 * (identical to `parseFloat` on the token) and sets `tokenEnd`; returns NaN if the token is not a
 * well-formed number (then `tokenEnd` is the end of the whole token).
 */
function parseNumber(b: Uint8Array, p: number, e: number): number {
  const start = p;
  let c = b[p];
  let neg = false;
  if (c === 45) {
    neg = true;
    p++;
  } else if (c === 43) {
    p++;
  }
  let m = 0;
  let sig = 0;
  let exp = 0;
  let digits = 0;
  while (p < e) {
    const d = b[p] - 48;
    if (d < 0 || d > 9) break;
    m = m * 10 + d;
    if (m !== 0) sig++;
    digits++;
    p++;
  }
  if (p < e && b[p] === 46) {
    p++;
    while (p < e) {
      const d = b[p] - 48;
      if (d < 0 || d > 9) break;
      m = m * 10 + d;
      if (m !== 0) sig++;
      exp--;
      digits++;
      p++;
    }
  }
  let ok = digits > 0;
  if (ok && p < e && (b[p] | 0x20) === 101) {
    p++;
    let eneg = false;
    if (p < e && (b[p] === 45 || b[p] === 43)) {
      eneg = b[p] === 45;
      p++;
    }
    let ev = 0;
    let edigits = 0;
    while (p < e) {
      const d = b[p] - 48;
      if (d < 0 || d > 9) break;
      if (ev < 100000) ev = ev * 10 + d;
      edigits++;
      p++;
    }
    if (edigits === 0) ok = false;
    exp += eneg ? -ev : ev;
  }
  if (ok && p < e && b[p] !== 32 && b[p] !== 9) ok = false;
  if (!ok) {
    while (p < e && b[p] !== 32 && b[p] !== 9) p++;
    tokenEnd = p;
    return NaN;
  }
  tokenEnd = p;
  let v: number;
  if (m === 0) v = 0;
  else if (sig <= 15 && exp >= -22 && exp <= 22) v = exp < 0 ? m / POW10[-exp] : m * POW10[exp];
  else return parseFloat(Buffer.from(b.buffer, b.byteOffset + start, p - start).toString('latin1'));
  return neg ? -v : v;
}

const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

// ---------------------------------------------------------------------------------------------------
// Reader

export interface TextReadOptions {
  /** True for word2vec text / fastText .vec ("<count> <dim>" first line), false for GloVe. */
  header: boolean;
  /** Read at most this many words. */
  limit?: number;
}

class TextParser {
  words: string[] = [];
  seen = new Map<string, number>();
  vectors: Float32Array;
  rows = 0;
  /** Rows to read (header count capped by the limit); Infinity for GloVe until the end. */
  toRead: number;
  done = false;
  /** Line number of the current line (1-based). */
  line = 0;

  constructor(
    readonly r: ByteReader,
    public dim: number, // 0 = unknown (GloVe, before the first row)
    readonly declared: number, // header count, or 0 for GloVe
    toRead: number,
    private readonly limit: number,
  ) {
    this.toRead = toRead;
    this.vectors = new Float32Array(dim > 0 ? toRead * dim : 0);
  }

  err(message: string): never {
    fail(this.r.path, `line ${this.line}`, message);
  }

  /** Parse one line (without its "\n" / "\r\n") of `b[s, e)`. */
  parseLine(b: Buffer, s: number, e: number): void {
    let p = s;
    // word
    while (p < e && b[p] !== 32 && b[p] !== 9) p++;
    if (p === s) {
      while (p < e && (b[p] === 32 || b[p] === 9 || b[p] === 13)) p++;
      if (p === e) return; // blank line
      this.err(`empty word (the line starts with whitespace): ${quoteBytes(b, s, e)}`);
    }
    if (p - s > MAX_WORD_BYTES) this.err(`word longer than ${MAX_WORD_BYTES} bytes: ${quoteBytes(b, s, p)}`);
    if (this.rows >= this.toRead) {
      if (this.rows >= this.limit) {
        this.done = true;
        return;
      }
      this.err(`more rows than the ${this.declared} declared in the header (line 1), starting with word ${quoteBytes(b, s, p)}`);
    }
    const word = b.toString('utf8', s, p);
    const dim = this.dim;
    let k = 0;
    if (dim === 0) {
      // First GloVe row: collect values to learn the dimension.
      const vals: number[] = [];
      for (;;) {
        while (p < e && (b[p] === 32 || b[p] === 9)) p++;
        if (p >= e) break;
        const t = p;
        const v = parseNumber(b, p, e);
        p = tokenEnd;
        this.checkValue(v, word, vals.length, b, t, p);
        vals.push(Math.fround(v));
      }
      if (vals.length === 0) this.err(`word ${quote(word)} has no values`);
      k = vals.length;
      this.startGlove(k);
      this.vectors.set(vals);
    } else {
      const vec = this.vectors;
      if (this.rows * dim + dim > vec.length) this.grow();
      const out = this.vectors;
      const base = this.rows * dim;
      for (;;) {
        while (p < e && (b[p] === 32 || b[p] === 9)) p++;
        if (p >= e) break;
        const t = p;
        const v = parseNumber(b, p, e);
        p = tokenEnd;
        const f = Math.fround(v);
        if (f - f !== 0) this.checkValue(v, word, k, b, t, p);
        if (k < dim) out[base + k] = f;
        k++;
      }
      if (k !== dim) {
        this.err(`expected ${dim} values after word ${quote(word)}, found ${k}${k < dim && this.r.eof && e === this.r.end ? ' (truncated file?)' : ''}`);
      }
    }
    const prev = this.seen.get(word);
    if (prev !== undefined) this.err(`duplicate word ${quote(word)} (first seen on line ${prev})`);
    this.seen.set(word, this.line);
    this.words.push(word);
    this.rows++;
    if (this.rows >= this.limit) this.done = true;
  }

  private checkValue(v: number, word: string, index: number, b: Buffer, t: number, p: number): void {
    const f = Math.fround(v);
    if (f - f === 0) return;
    const tok = b.toString('latin1', t, p);
    const where = `value #${index + 1} of word ${quote(word)}`;
    if (Number.isNaN(v)) {
      if (NON_FINITE.test(tok)) this.err(`${where} is not finite: ${quote(tok)}`);
      this.err(`${where} is not a number: ${quoteBytes(b, t, p)}`);
    }
    if (!Number.isFinite(v)) this.err(`${where} is not finite: ${quote(tok)}`);
    this.err(`${where} is out of float32 range: ${quote(tok)}`);
  }

  private startGlove(dim: number): void {
    this.dim = dim;
    // Estimate the row count from the first line's length; grow later if needed. Every row takes at
    // least 2·dim+1 bytes of text, so the allocation stays proportional to the file size.
    const firstLen = Math.max(2 * dim + 1, this.lastLineLength);
    const est = Math.ceil((this.r.remainingInFile / firstLen) * 1.1) + 16;
    const rows = Math.max(1, Math.min(this.limit, est, Math.floor(MAX_TABLE_FLOATS / dim)));
    this.toRead = this.limit;
    this.vectors = new Float32Array(rows * dim);
  }

  /** Length (bytes, with its newline) of the line being parsed; set by the driver. */
  lastLineLength = 1;

  private grow(): void {
    const dim = this.dim;
    const cap = this.vectors.length / dim;
    const maxRows = Math.floor(MAX_TABLE_FLOATS / dim);
    if (cap >= maxRows) this.err(`too many values: more than ${MAX_TABLE_FLOATS}`);
    // Rows still to come take at least 2·dim+1 bytes each.
    const more = Math.ceil(this.r.remainingInFile / (2 * dim + 1)) + 1;
    const rows = Math.min(maxRows, this.limit, Math.max(cap + 1, Math.min(Math.ceil(cap * 1.5), cap + more)));
    const nv = new Float32Array(rows * dim);
    nv.set(this.vectors);
    this.vectors = nv;
  }

  result(): EmbeddingTable {
    const used = this.rows * this.dim;
    const vectors = this.vectors.length === used ? this.vectors : this.vectors.slice(0, used);
    return { words: this.words, dim: this.dim, vectors };
  }
}

/** Read a word2vec text / fastText .vec (`header: true`) or GloVe (`header: false`) file. */
export async function readTextEmbeddings(source: ReadSource, options: TextReadOptions): Promise<EmbeddingTable> {
  const path = sourceName(source);
  const limit = options.limit ?? Infinity;
  const r = await ByteReader.open(source);
  try {
    let parser: TextParser;
    if (options.header) {
      const { count, dim } = await readHeader(r);
      const toRead = Math.min(count, limit);
      // Smallest possible row: "w" + dim × " 0" + "\n" (the last one may lack its "\n").
      checkClaimedSize(r, toRead, dim, 2 * dim + 2, 'text');
      parser = new TextParser(r, dim, count, toRead, limit);
      parser.line = 1;
    } else {
      if (r.available === 0) fail(path, '', 'file is empty');
      parser = new TextParser(r, 0, 0, Infinity, limit);
    }
    await parseLines(r, parser);
    if (parser.rows === 0) fail(path, '', 'no vectors found');
    if (parser.declared > 0 && parser.rows < parser.toRead) {
      fail(
        path,
        `line ${parser.line}`,
        `the header declares ${parser.declared} words but the file ends after ${parser.rows} rows (truncated file?)`,
      );
    }
    return parser.result();
  } finally {
    await r.close();
  }
}

async function parseLines(r: ByteReader, parser: TextParser): Promise<void> {
  for (;;) {
    const b = r.buf;
    const end = r.end;
    let start = r.start;
    while (start < end) {
      const nl = b.indexOf(10, start);
      if (nl < 0 || nl >= end) break;
      parser.line++;
      parser.lastLineLength = nl + 1 - start;
      parser.parseLine(b, start, nl > start && b[nl - 1] === 13 ? nl - 1 : nl);
      start = nl + 1;
      if (parser.done) break;
    }
    r.start = start;
    if (parser.done) return;
    if (r.eof) {
      if (start < end) {
        // last line without "\n"
        parser.line++;
        parser.lastLineLength = end - start;
        parser.parseLine(b, start, b[end - 1] === 13 ? end - 1 : end);
        r.start = end;
      }
      return;
    }
    // An incomplete line fills the window: check it is not hostile before reading (and buffering) more.
    const avail = end - start;
    if (avail > MAX_WORD_BYTES) {
      let p = start;
      const stop = start + MAX_WORD_BYTES + 1;
      while (p < stop && b[p] !== 32 && b[p] !== 9) p++;
      if (p === stop) fail(r.path, `line ${parser.line + 1}`, `word longer than ${MAX_WORD_BYTES} bytes: ${quoteBytes(b, start, p)}`);
    }
    const maxLine = parser.dim > 0 ? MAX_WORD_BYTES + 2 + parser.dim * MAX_VALUE_CHARS : MAX_GLOVE_FIRST_LINE;
    if (avail >= maxLine) {
      fail(r.path, `line ${parser.line + 1}`, `line longer than ${maxLine} bytes${parser.dim > 0 ? ` (for ${parser.dim} values)` : ''}: ${quoteBytes(b, start, end)}`);
    }
    await r.fill(avail + 1);
  }
}

/** Read a word2vec text (or fastText .vec) file. */
export function readWord2VecText(path: string, options: { limit?: number } = {}): Promise<EmbeddingTable> {
  return readTextEmbeddings(path, { header: true, limit: options.limit });
}

/** Write rows in word2vec text layout (also fastText .vec). */
export function writeWord2VecText(out: WritableLike, rows: StridedRows): Promise<void> {
  return writeTextRows(out, rows, true);
}

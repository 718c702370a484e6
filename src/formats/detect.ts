/**
 * Detect an embedding file's format from its content (the first MiB); the file name's extension is
 * only used to choose between layouts the content cannot tell apart (".vec" → fasttext-vec rather than
 * word2vec-text; ".bin" for a file that has a header but no rows to look at).
 *
 *  - fastText's magic number 793712314 (int32 LE) first     → fasttext-bin (checked before anything else)
 *  - first line "<count> <dim>" and rows of text numbers   → word2vec-text (fasttext-vec for *.vec)
 *  - first line "<count> <dim>" and rows of raw bytes      → word2vec-binary
 *  - no header, first line "word number number ..."        → glove-text
 *  - anything else                                         → Wasm2VecError
 */
import type { EmbeddingFormat } from './types.js';
import { ByteReader, type ReadSource, sourceName, MAX_HEADER_BYTES, MAX_WORD_BYTES, fail, quoteBytes } from './common.js';
import { FASTTEXT_MAGIC } from './fasttext-binary.js';

const HEADER = /^[ \t]*(\d+)[ \t]+(\d+)[ \t]*\r?$/;
const BROKEN_HEADER = /^[ \t]*[-+]?\d+[ \t]+[-+]?\d+[ \t]*\r?$/;

/** Bytes that can appear in the value part of a text row (numbers, nan/inf spellings, blanks). */
const TEXTISH = new Uint8Array(256);
for (const c of '0123456789+-.eEnNaAiIfFtTyY \t\r\n') TEXTISH[c.charCodeAt(0)] = 1;

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Does the line `b[s, e)` look like a text row "word v1 ... vk" (k >= 1, values made of TEXTISH
 * bytes)? Returns the number of value tokens, or -1.
 */
function textRowTokens(b: Uint8Array, s: number, e: number): number {
  if (e > s && b[e - 1] === 13) e--;
  let p = s;
  while (p < e && !isBlank(b[p])) p++;
  if (p === s) return -1; // empty word
  let tokens = 0;
  while (p < e) {
    while (p < e && isBlank(b[p])) p++;
    if (p >= e) break;
    tokens++;
    while (p < e && !isBlank(b[p])) {
      if (!TEXTISH[b[p]]) return -1;
      p++;
    }
  }
  return tokens > 0 ? tokens : -1;
}

function verifyTextRows(b: Uint8Array, p: number, e: number, dim: number, complete: boolean): boolean {
  let verified = 0;
  while (verified < 3 && p < e) {
    let le = b.indexOf(10, p);
    if (le < 0 || le >= e) {
      if (!complete) break;
      le = e;
    }
    let q = p;
    while (q < le && (isBlank(b[q]) || b[q] === 13)) q++;
    if (q < le) {
      if (textRowTokens(b, p, le) !== dim) return false;
      verified++;
    }
    p = le + 1;
  }
  return verified > 0;
}

/**
 * Bytes that cannot appear in a UTF-8 text file: control characters other than tab/CR/LF, DEL, bytes
 * that never occur in UTF-8, and continuation bytes right after an ASCII byte. Raw float32 rows
 * almost always contain some; a text file misread as binary rows has none.
 */
function hasBinaryBytes(b: Uint8Array, s: number, e: number): boolean {
  let prev = 0;
  for (let i = s; i < e; i++) {
    const c = b[i];
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f || c === 0xc0 || c === 0xc1 || c >= 0xf5) return true;
    if (c >= 0x80 && c < 0xc0 && prev < 0x80) return true;
    prev = c;
  }
  return false;
}

function verifyBinaryRows(b: Uint8Array, p: number, e: number, dim: number): boolean {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let verified = 0;
  let binaryBytes = false; // text rows misread as binary would have only text bytes
  while (verified < 3) {
    while (p < e && (b[p] === 10 || b[p] === 13)) p++;
    if (p >= e) break;
    const ws = p;
    while (p < e && b[p] !== 32 && b[p] !== 10 && p - ws <= MAX_WORD_BYTES) p++;
    if (p >= e) break; // the sample ends inside the word
    if (b[p] !== 32 || p === ws || p - ws > MAX_WORD_BYTES) return false;
    p++;
    if (p + 4 * dim > e) break; // the sample ends inside the vector
    for (let j = 0; j < dim; j++) {
      const v = view.getFloat32(p + 4 * j, true);
      if (v - v !== 0) return false;
    }
    if (!binaryBytes) binaryBytes = hasBinaryBytes(b, p, p + 4 * dim);
    p += 4 * dim;
    verified++;
  }
  return verified > 0 && binaryBytes;
}

/**
 * Detect the format of a file whose first bytes are `b[s, e)`. `complete` says whether that is the
 * whole file; `fileName` (optional) provides the extension hint and names the file in errors.
 */
export function detectFormatFromBytes(
  b: Uint8Array,
  options: { complete: boolean; fileName?: string; start?: number; end?: number },
): EmbeddingFormat {
  const s = options.start ?? 0;
  const e = options.end ?? b.length;
  const name = options.fileName ?? '<data>';
  const ext = options.fileName ? extension(options.fileName) : '';
  if (e <= s) fail(name, '', 'file is empty');
  // fastText's .bin starts with its magic number (bytes ba 16 4f 2f), which no text file can: the
  // fastText reader then reports a wrong version or anything else precisely.
  if (e - s >= 4 && (b[s] | (b[s + 1] << 8) | (b[s + 2] << 16) | (b[s + 3] << 24)) === FASTTEXT_MAGIC) return 'fasttext-bin';
  const lineEnd = (from: number): number => {
    const i = b.indexOf(10, from);
    return i < 0 || i >= e ? -1 : i;
  };
  const nl = lineEnd(s);
  const l1End = nl < 0 ? e : nl;
  let header: RegExpExecArray | null = null;
  if (l1End - s <= MAX_HEADER_BYTES && (nl >= 0 || options.complete)) {
    header = HEADER.exec(Buffer.from(b.buffer, b.byteOffset + s, l1End - s).toString('latin1'));
  }
  if (header) {
    const dim = Number(header[2]);
    const text: EmbeddingFormat = ext === '.vec' ? 'fasttext-vec' : 'word2vec-text';
    if (nl < 0 || nl + 1 >= e) return ext === '.bin' ? 'word2vec-binary' : text;
    // Up to 3 complete rows that parse as text rows with `dim` values → text.
    if (verifyTextRows(b, nl + 1, e, dim, options.complete)) return text;
    // Up to 3 rows that parse as binary rows with finite values → binary.
    if (verifyBinaryRows(b, nl + 1, e, dim)) return 'word2vec-binary';
    // Otherwise (a broken file) pick the reader that will report the problem best: text if the rest of
    // the first row (up to its newline, at most 4·dim bytes) is made of text bytes.
    let w = nl + 1;
    while (w < e && (b[w] === 10 || b[w] === 13)) w++;
    while (w < e && b[w] !== 32) w++;
    const stop = Math.min(e, w + 1 + 4 * dim);
    for (let i = w + 1; i < stop && b[i] !== 10; i++) if (!TEXTISH[b[i]]) return 'word2vec-binary';
    return text;
  }
  // "-5 100" and the like: a broken header rather than a 1-dimensional GloVe row; let the word2vec
  // text reader report it.
  if (l1End - s <= MAX_HEADER_BYTES && BROKEN_HEADER.test(Buffer.from(b.buffer, b.byteOffset + s, l1End - s).toString('latin1'))) {
    return ext === '.bin' ? 'word2vec-binary' : 'word2vec-text';
  }
  if (textRowTokens(b, s, l1End) > 0) return 'glove-text';
  fail(
    name,
    '',
    `not a recognized embedding file: line 1 ${quoteBytes(b, s, Math.min(l1End, s + 80))} is neither a ` +
      `"<count> <dim>" header (word2vec/fastText) nor a GloVe row "word v1 v2 ..."`,
  );
}

/** Detect the format of the embedding file at `path` from its first MiB. */
export async function detectEmbeddingFormat(source: ReadSource): Promise<EmbeddingFormat> {
  const r = await ByteReader.open(source);
  try {
    return detectFormatFromBytes(r.buf, { complete: r.eof, fileName: sourceName(source), start: r.start, end: r.end });
  } finally {
    await r.close();
  }
}

/** The file name's extension with its dot, lowercased ('' for none), as path.extname gives it, for paths and names alike. */
function extension(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

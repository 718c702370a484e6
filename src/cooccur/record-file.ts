/**
 * The co-occurrence file (`--save-cooccur` / `--cooccur`): counted records with the vocabulary they
 * refer to, so one count can be trained on many times.
 *
 * Layout (all integers little-endian):
 *
 *   offset  size  field
 *        0     8  magic "W2VCOOC1"
 *        8     4  u32 format version, 1
 *       12     4  u32 flags: bit 0 = symmetric window (the other bits are 0)
 *       16     4  u32 window
 *       20     4  u32 words W: vocabulary size, 1 ≤ W < 2^24
 *       24     8  u64 minCount the vocabulary was cut at
 *       32     8  u64 tokens in the corpus
 *       40     8  u64 vocabulary bytes V
 *       48     8  u64 records R
 *       56     8  reserved, 0
 *       64     V  vocabulary: W lines "word count\n" in UTF-8, most frequent first; a word is
 *                 non-empty, has no space or line feed, and appears once; count is a positive integer
 *   64 + V     P  zero padding to a multiple of 16 bytes
 *   64 + V + P   R × 16  records: u32 word1, u32 word2, f64 X; words are 1-based line numbers of the
 *                 vocabulary; X is finite and > 0 (the sum of 1/distance over the corpus); records
 *                 are sorted by (word1, word2) with no pair twice
 *
 * The file size must be exactly 64 + V + P + 16·R. Every field is checked when the file is read;
 * the records are checked as they are loaded (validateRecords kernel).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { writeFileAtomic, type WritableLike } from '../runtime/atomic-write.js';
import { Wasm2VecError } from '../errors.js';
import { RECORD_BYTES } from './layout.js';

export const COOCCUR_MAGIC = 'W2VCOOC1';
export const COOCCUR_VERSION = 1;
export const COOCCUR_HEADER_BYTES = 64;
const MAX_WORDS = 2 ** 24 - 1;
const MAX_VOCABULARY_BYTES = 2 ** 31;

export interface CooccurMetadata {
  window: number;
  symmetric: boolean;
  minCount: number;
  corpusTokens: number;
}

export interface CooccurHeader extends CooccurMetadata {
  /** Vocabulary words (file line i+1 is word id i+1). */
  words: string[];
  counts: number[];
  records: number;
  /** Byte offset of the first record. */
  recordsOffset: number;
}

/** Where records are: a region of the shared memory, or a range of a file. */
export type RecordSegment =
  | { kind: 'memory'; offset: number; count: number }
  | { kind: 'file'; path: string; offset: number; count: number };

function vocabularyText(words: readonly string[], counts: ArrayLike<number>, first: number): Buffer {
  const lines: string[] = [];
  for (let i = first; i < words.length; i++) {
    // The tokenizer splits on both, so no vocabulary word has them.
    if (words[i] === '' || /[ \n]/.test(words[i])) throw new Error(`internal: vocabulary word ${JSON.stringify(words[i])} cannot be written`);
    lines.push(`${words[i]} ${counts[i]}\n`);
  }
  return Buffer.from(lines.join(''), 'utf8');
}

/**
 * Writes records (sorted, from `segments`) with their vocabulary, atomically. `words[0]` is the line
 * break token and is not written: record word ids are indices into `words`.
 */
export async function writeCooccurFile(
  path: string,
  meta: CooccurMetadata,
  words: readonly string[],
  counts: ArrayLike<number>,
  segments: readonly RecordSegment[],
  memory: WebAssembly.Memory,
): Promise<void> {
  const vocabulary = vocabularyText(words, counts, 1);
  const records = segments.reduce((n, s) => n + s.count, 0);
  const header = Buffer.alloc(COOCCUR_HEADER_BYTES);
  header.write(COOCCUR_MAGIC, 0, 'latin1');
  header.writeUInt32LE(COOCCUR_VERSION, 8);
  header.writeUInt32LE(meta.symmetric ? 1 : 0, 12);
  header.writeUInt32LE(meta.window, 16);
  header.writeUInt32LE(words.length - 1, 20);
  header.writeBigUInt64LE(BigInt(meta.minCount), 24);
  header.writeBigUInt64LE(BigInt(meta.corpusTokens), 32);
  header.writeBigUInt64LE(BigInt(vocabulary.length), 40);
  header.writeBigUInt64LE(BigInt(records), 48);
  const padding = Buffer.alloc((16 - (vocabulary.length % 16)) % 16);
  try {
    await writeFileAtomic(path, async (out) => {
      await out.write(header);
      await out.write(vocabulary);
      await out.write(padding);
      for (const segment of segments) await writeSegment(out, segment, memory);
    });
  } catch (error) {
    throw new Wasm2VecError(`cannot write the co-occurrence file ${path}: ${(error as Error).message}`, { cause: error });
  }
}

const COPY_CHUNK_BYTES = 4 << 20;

async function writeSegment(out: WritableLike, segment: RecordSegment, memory: WebAssembly.Memory): Promise<void> {
  const bytes = segment.count * RECORD_BYTES;
  if (segment.kind === 'memory') {
    for (let at = 0; at < bytes; at += COPY_CHUNK_BYTES) {
      await out.write(new Uint8Array(memory.buffer, segment.offset + at, Math.min(COPY_CHUNK_BYTES, bytes - at)));
    }
    return;
  }
  const fd = openSync(segment.path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.min(COPY_CHUNK_BYTES, Math.max(bytes, 1)));
    for (let at = 0; at < bytes; ) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, bytes - at), segment.offset + at);
      if (n <= 0) throw new Error(`${segment.path} ended early`);
      await out.write(buffer.subarray(0, n));
      at += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads and checks the header and vocabulary of a co-occurrence file. */
export function readCooccurHeader(path: string): CooccurHeader {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new Wasm2VecError(`cannot open the co-occurrence file ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Wasm2VecError(`the co-occurrence file ${path} is not a regular file`);
    const size = stat.size;
    const bad = (what: string) => new Wasm2VecError(`${path} is not a valid co-occurrence file: ${what}`);
    if (size < COOCCUR_HEADER_BYTES) throw bad(`it has ${size} bytes, less than the ${COOCCUR_HEADER_BYTES}-byte header`);
    const header = Buffer.alloc(COOCCUR_HEADER_BYTES);
    readSync(fd, header, 0, COOCCUR_HEADER_BYTES, 0);
    if (header.toString('latin1', 0, 8) !== COOCCUR_MAGIC) throw bad(`wrong magic ${JSON.stringify(header.toString('latin1', 0, 8))} (expected "${COOCCUR_MAGIC}")`);
    const version = header.readUInt32LE(8);
    if (version !== COOCCUR_VERSION) throw bad(`format version ${version}, this wasm2vec reads version ${COOCCUR_VERSION}`);
    const flags = header.readUInt32LE(12);
    if ((flags & ~1) !== 0) throw bad(`unknown flags 0x${flags.toString(16)}`);
    const window = header.readUInt32LE(16);
    if (window < 1 || window > 65_535) throw bad(`window ${window} is outside 1..65535`);
    const wordCount = header.readUInt32LE(20);
    if (wordCount < 1 || wordCount > MAX_WORDS) throw bad(`vocabulary size ${wordCount} is outside 1..${MAX_WORDS}`);
    const minCount = safeNumber(header.readBigUInt64LE(24), 'minCount', bad);
    const corpusTokens = safeNumber(header.readBigUInt64LE(32), 'corpus token count', bad);
    const vocabularyBytes = safeNumber(header.readBigUInt64LE(40), 'vocabulary size in bytes', bad);
    const records = safeNumber(header.readBigUInt64LE(48), 'record count', bad);
    if (header.readBigUInt64LE(56) !== 0n) throw bad('the reserved header field is not 0');
    if (vocabularyBytes > MAX_VOCABULARY_BYTES || COOCCUR_HEADER_BYTES + vocabularyBytes > size) {
      throw bad(`the vocabulary claims ${vocabularyBytes} bytes but the file has ${size}`);
    }
    const padding = (16 - (vocabularyBytes % 16)) % 16;
    const recordsOffset = COOCCUR_HEADER_BYTES + vocabularyBytes + padding;
    const expected = recordsOffset + records * RECORD_BYTES;
    if (expected !== size) {
      throw bad(`${records} records need a file of ${expected} bytes, it has ${size} (${size < expected ? 'truncated' : 'trailing bytes'})`);
    }
    const text = Buffer.alloc(vocabularyBytes + padding);
    readSync(fd, text, 0, text.length, COOCCUR_HEADER_BYTES);
    for (let i = vocabularyBytes; i < text.length; i++) if (text[i] !== 0) throw bad('the padding after the vocabulary is not zero');
    let decoded: string;
    try {
      decoded = new TextDecoder('utf-8', { fatal: true }).decode(text.subarray(0, vocabularyBytes));
    } catch {
      throw bad('the vocabulary is not valid UTF-8');
    }
    const lines = decoded.split('\n');
    if (lines.pop() !== '') throw bad('the vocabulary does not end with a line break');
    if (lines.length !== wordCount) throw bad(`the header says ${wordCount} words, the vocabulary has ${lines.length} lines`);
    const words: string[] = [];
    const counts: number[] = [];
    const seen = new Set<string>();
    lines.forEach((line, i) => {
      const match = /^([^ ]+) ([1-9][0-9]{0,15})$/u.exec(line);
      if (!match) throw bad(`vocabulary line ${i + 1} is not "word count": ${JSON.stringify(line.slice(0, 80))}`);
      const count = Number(match[2]);
      if (!Number.isSafeInteger(count)) throw bad(`vocabulary line ${i + 1}: count ${match[2]} is too large`);
      if (seen.has(match[1])) throw bad(`vocabulary line ${i + 1}: the word ${JSON.stringify(match[1])} appears twice`);
      seen.add(match[1]);
      words.push(match[1]);
      counts.push(count);
    });
    return { window, symmetric: (flags & 1) !== 0, minCount, corpusTokens, words, counts, records, recordsOffset };
  } finally {
    closeSync(fd);
  }
}

function safeNumber(value: bigint, what: string, bad: (what: string) => Wasm2VecError): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw bad(`the ${what} ${value} is too large`);
  return Number(value);
}

/** Throws a clear error for the first record that `validateRecords` rejected. */
export function describeBadRecord(path: string, index: number, view: DataView, at: number, vocabularyWords: number, previous: bigint | undefined): never {
  const w1 = view.getUint32(at, true);
  const w2 = view.getUint32(at + 4, true);
  const x = view.getFloat64(at + 8, true);
  let why: string;
  if (w1 < 1 || w1 > vocabularyWords || w2 < 1 || w2 > vocabularyWords) why = `word ids (${w1}, ${w2}) are outside 1..${vocabularyWords}`;
  else if (!(x > 0) || !Number.isFinite(x)) why = `value ${x} is not a finite positive number`;
  else {
    const p = previous ?? 0n;
    why = `pair (${w1}, ${w2}) is not after the previous pair (${Number(p >> 32n)}, ${Number(p & 0xffffffffn)}): records must be sorted with no duplicates`;
  }
  throw new Wasm2VecError(`${path} is not a valid co-occurrence file: record ${index}: ${why}`);
}

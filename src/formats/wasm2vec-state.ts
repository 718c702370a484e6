/**
 * The wasm2vec training state file (".w2v"): everything a word2vec or GloVe run needs to continue
 * where it stopped (checkpoints and --resume) or to go on training (--init / initialModel).
 * All integers and floats little-endian. Two versions, one per body layout:
 *
 * Version 1: a word2vec state (the header has no "trainer" field).
 *
 *   offset  bytes  field
 *   0       8      magic "W2VSTATE"
 *   8       4      u32 version (1)
 *   12      4      u32 H: byte length of the header (at most MAX_STATE_HEADER_BYTES)
 *   16      H      header, UTF-8 JSON: { dim, vocabSize, inputRows, outputRows, hsRows, vocabularyBytes,
 *                  options, schedule } (see StateHeader below)
 *   …       V      vocabulary, vocabSize × (u32 byte length, UTF-8 word); V = vocabularyBytes
 *   …       8·n    counts, vocabSize × f64 (exact integers)
 *   …       4·r·d  input matrix (syn0), inputRows × dim f32: the words' rows, then (subword models) the
 *                  n-gram bucket rows
 *   …       4·o·d  negative sampling's output matrix (syn1neg), outputRows × dim f32 (0 rows without)
 *   …       4·h·d  hierarchical softmax's inner-node matrix (syn1), hsRows × dim f32 (0 rows without);
 *                  the Huffman tree itself is not stored: it is rebuilt from the counts (deterministic)
 *   end−4   4      u32 CRC-32 of every byte before it
 *
 * `options` are the run's resolved options (JSON values only: no input, callbacks or signal).
 * `schedule` is where the run stands: words done by all workers (the learning rate's position),
 * words total (epochs × training words), the corpus's training words and tokens, and per worker its
 * shard [start, end), the epoch it is in (0-based; = epochs when done), its next id in the shard, its
 * random state (u64 as a decimal string) and its current learning rate.
 *
 * Version 2: the header names its trainer; "glove" (GloVe's state, src/glove/state.ts) is the only
 * one (word2vec states are still written as version 1, which earlier builds read).
 *
 *   0       16     magic, u32 version (2), u32 H, as version 1
 *   16      H      header, UTF-8 JSON: { trainer: "glove", dim, vocabSize, vocabularyBytes, options,
 *                  schedule: { epochs, iterationsDone, costs, pairs, corpusTokens, givenVocabulary? } }
 *                  (GloveStateHeader)
 *   …       V      vocabulary, as version 1: the trainer's ids, the line-break token "</s>" first (id 0;
 *                  its rows are never trained)
 *   …       8·n    counts, vocabSize × f64
 *   …       4·n·p  word rows, vocabSize × p f32 with p = 2·dim + 2: the vector W (dim), the bias b,
 *                  AdaGrad's accumulated squared steps of the vector (dim) and of the bias
 *   …       4·n·p  context rows W̃, b̃ and their AdaGrad sums, the same way
 *   end−4   4      u32 CRC-32 of every byte before it
 *
 * GloVe's AdaGrad sums are stored as the kernel keeps them: without the 1 glove.c starts them at
 * (assembly/glove.ts says why), so a restored run continues bit for bit. Its schedule is the number of
 * iterations of `epochs` done and the mean cost J/N of each (costs), with the co-occurring pairs and
 * corpus tokens of the counted corpus (what a resume checks the recounted corpus against).
 *
 * Reading treats the file as untrusted, like the embedding readers: every length is checked against
 * the file size before anything is allocated, every header field's type and range is checked, the
 * vocabulary must be valid UTF-8 with unique non-empty words, and the checksum must match; anything
 * else is a Wasm2VecError naming the file and the byte offset. readTrainingState (word2vec) and
 * readGloveState refuse the other trainer's state with a one-line error naming the file.
 */
import { nodeBuiltin } from '../runtime/node-builtins.js';
import { Wasm2VecError } from '../errors.js';
import { writeFileAtomic, type WriteFileAtomicOptions } from '../runtime/atomic-write.js';
import { ByteReader, MAX_WORD_BYTES, fail, wrapSystemError } from './common.js';
const { crc32 } = nodeBuiltin('node:zlib');

export const STATE_MAGIC = 'W2VSTATE';
/** The version word2vec states are written in. */
export const STATE_VERSION = 1;
/** The version GloVe states are written in (the first with a trainer field). */
export const GLOVE_STATE_VERSION = 2;
/**
 * The JSON header holds options, per-worker positions and (GloVe) one cost per iteration done, at most
 * MAX_STATE_ITERATIONS of 24 characters: a larger one is a corrupt file.
 */
export const MAX_STATE_HEADER_BYTES = 1 << 25;
/** Iterations a GloVe state's schedule can hold (continued runs add up). */
export const MAX_STATE_ITERATIONS = 1_000_000;
/** Workers a state can describe (far above any thread count the trainers accept). */
const MAX_STATE_WORKERS = 4096;

/** One worker's place in the schedule. */
export interface WorkerSchedule {
  start: number;
  end: number;
  /** Epoch the worker is in, 0-based (= epochs once its share is done). */
  epoch: number;
  /** Its next id in [start, end]. */
  position: number;
  random: bigint;
  alpha: number;
}

export interface TrainingSchedule {
  wordsDone: number;
  wordsTotal: number;
  /** Vocabulary tokens per epoch, and all tokens of the corpus. */
  trainWords: number;
  corpusTokens: number;
  workers: WorkerSchedule[];
}

/** A matrix of `rows` × `dim` floats, row r at data[offset + r·stride]: dense, or a padded view of the trainer's memory. */
export interface StateMatrix {
  data: Float32Array;
  rows: number;
  stride: number;
  offset?: number;
}

export interface TrainingState {
  /** The resolved training options (JSON values only). */
  options: Record<string, unknown>;
  dim: number;
  words: string[];
  counts: number[];
  /** Words' rows then n-gram bucket rows. */
  input: StateMatrix;
  /** syn1neg, vocabSize rows (0 rows without negative sampling). */
  output: StateMatrix;
  /** syn1, vocabSize − 1 rows (0 rows without hierarchical softmax). */
  hsOutput: StateMatrix;
  schedule: TrainingSchedule;
}

/** A GloVe run's place: iterations done of `epochs`, with the mean cost J/N of each. */
export interface GloveSchedule {
  epochs: number;
  iterationsDone: number;
  costs: number[];
  /** Co-occurring pairs (records per iteration) and tokens of the counted corpus. */
  pairs: number;
  corpusTokens: number;
  /** The vocabulary was given (a continued run, initialModel), not counted from the corpus: a resume counts over it too. */
  givenVocabulary?: boolean;
}

/**
 * `rows` rows of GLOVE_ROW_FLOATS(dim) floats in the file's order (vector, bias, AdaGrad sums of the
 * vector, of the bias): copyRow puts row r at out[at…]. Read from a file, `data` holds them densely.
 */
export interface GloveRows {
  rows: number;
  copyRow(row: number, out: Float32Array, at: number): void;
  data?: Float32Array;
}

/** Floats per GloVe row in a state file: vector, bias, the vector's AdaGrad sums, the bias's. */
export function gloveRowFloats(dim: number): number {
  return 2 * dim + 2;
}

export interface GloveTrainingState {
  trainer: 'glove';
  /** The resolved training options (JSON values only). */
  options: Record<string, unknown>;
  dim: number;
  /** The vocabulary without GloVe's line-break token (id 0 in the trainer's memory). */
  words: string[];
  counts: number[];
  wordRows: GloveRows;
  contextRows: GloveRows;
  schedule: GloveSchedule;
}

interface GloveStateHeader {
  trainer: 'glove';
  dim: number;
  vocabSize: number;
  vocabularyBytes: number;
  options: Record<string, unknown>;
  schedule: GloveSchedule;
}

/** A block of rows the writer copies out, `cols` floats each. */
interface RowSource {
  rows: number;
  cols: number;
  copyRow(row: number, out: Float32Array, at: number): void;
}

function matrixRows(matrix: StateMatrix, dim: number): RowSource {
  return {
    rows: matrix.rows,
    cols: dim,
    copyRow: (row, out, at) => {
      const from = (matrix.offset ?? 0) + row * matrix.stride;
      out.set(matrix.data.subarray(from, from + dim), at);
    },
  };
}

interface StateHeader {
  dim: number;
  vocabSize: number;
  inputRows: number;
  outputRows: number;
  hsRows: number;
  vocabularyBytes: number;
  options: Record<string, unknown>;
  schedule: Omit<TrainingSchedule, 'workers'> & { workers: (Omit<WorkerSchedule, 'random'> & { random: string })[] };
}

const FIXED_BYTES = 16;
const ROWS_PER_WRITE = 4096;

/** A run's resolved options as JSON values (a state's `options`): callbacks, undefined values and the `unsaved` keys left out. */
export function stateOptions(o: object, unsaved: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(o)) {
    if (unsaved.has(key) || typeof value === 'function' || value === undefined) continue;
    out[key] = JSON.parse(JSON.stringify(value)) as unknown;
  }
  return out;
}

/** The first of `names` whose value differs between a state's options and a run's (both as stateOptions gives them). */
export function firstDifferingOption(
  saved: Record<string, unknown>, now: Record<string, unknown>, names: readonly string[],
): { name: string; saved: string; now: string } | undefined {
  for (const name of names) {
    const a = JSON.stringify(saved[name] ?? null);
    const b = JSON.stringify(now[name] ?? null);
    if (a !== b) return { name, saved: a, now: b };
  }
  return undefined;
}

/** Writes a word2vec state file atomically (a temporary file renamed into place; removed on any failure). */
export async function writeTrainingState(path: string, state: TrainingState, options: WriteFileAtomicOptions = {}): Promise<void> {
  const { words, counts, dim } = state;
  const header: Omit<StateHeader, 'vocabularyBytes'> = {
    dim,
    vocabSize: words.length,
    inputRows: state.input.rows,
    outputRows: state.output.rows,
    hsRows: state.hsOutput.rows,
    options: state.options,
    schedule: { ...state.schedule, workers: state.schedule.workers.map((w) => ({ ...w, random: w.random.toString() })) },
  };
  const matrices = [state.input, state.output, state.hsOutput].map((m) => matrixRows(m, dim));
  await writeState(path, STATE_VERSION, header, words, counts, matrices, options);
}

/** Writes a GloVe state file (version 2) atomically. */
export async function writeGloveState(path: string, state: GloveTrainingState, options: WriteFileAtomicOptions = {}): Promise<void> {
  const { words, dim } = state;
  const header: Omit<GloveStateHeader, 'vocabularyBytes'> = { trainer: 'glove', dim, vocabSize: words.length, options: state.options, schedule: state.schedule };
  const cols = gloveRowFloats(dim);
  for (const table of [state.wordRows, state.contextRows]) {
    if (table.rows !== words.length) throw new Error(`GloVe state has ${words.length} words but ${table.rows} rows`);
  }
  const matrices = [state.wordRows, state.contextRows].map((t) => ({ rows: t.rows, cols, copyRow: t.copyRow }));
  await writeState(path, GLOVE_STATE_VERSION, header, words, state.counts, matrices, options);
}

async function writeState(
  path: string, version: number, header: Record<string, unknown>, words: string[], counts: number[], matrices: RowSource[], options: WriteFileAtomicOptions,
): Promise<void> {
  if (counts.length !== words.length) throw new Error(`state has ${words.length} words but ${counts.length} counts`);
  const encodedWords = words.map((w) => Buffer.from(w, 'utf8'));
  const vocabularyBytes = encodedWords.reduce((sum, w) => sum + 4 + w.length, 0);
  const headerBytes = Buffer.from(JSON.stringify({ ...header, vocabularyBytes }), 'utf8');
  if (headerBytes.length > MAX_STATE_HEADER_BYTES) throw new Wasm2VecError(`${path}: the state header (${headerBytes.length} bytes) is too large`);
  await writeFileAtomic(path, async (out) => {
    let crc = 0;
    const put = async (bytes: Uint8Array) => {
      crc = crc32(bytes, crc);
      await out.write(bytes);
    };
    const fixed = Buffer.alloc(FIXED_BYTES);
    fixed.write(STATE_MAGIC, 0, 'latin1');
    fixed.writeUInt32LE(version, 8);
    fixed.writeUInt32LE(headerBytes.length, 12);
    await put(fixed);
    await put(headerBytes);
    const vocabulary = Buffer.allocUnsafe(vocabularyBytes);
    let at = 0;
    for (const w of encodedWords) {
      vocabulary.writeUInt32LE(w.length, at);
      w.copy(vocabulary, at + 4);
      at += 4 + w.length;
    }
    await put(vocabulary);
    await put(new Uint8Array(Float64Array.from(counts).buffer));
    for (const matrix of matrices) {
      const cols = matrix.cols;
      const block = new Float32Array(Math.min(ROWS_PER_WRITE, Math.max(1, matrix.rows)) * cols);
      for (let row = 0; row < matrix.rows; row += ROWS_PER_WRITE) {
        const rows = Math.min(ROWS_PER_WRITE, matrix.rows - row);
        for (let r = 0; r < rows; r++) matrix.copyRow(row + r, block, r * cols);
        await put(new Uint8Array(block.buffer, 0, rows * cols * 4));
      }
    }
    const trailer = Buffer.alloc(4);
    trailer.writeUInt32LE(crc >>> 0, 0);
    await out.write(trailer);
  }, options);
}

/** Reads a word2vec state file written by writeTrainingState (matrices dense: stride = dim). */
export async function readTrainingState(path: string): Promise<TrainingState> {
  const state = await readStateFile(path);
  if ('trainer' in state) {
    throw new Wasm2VecError(`${path}: this is a GloVe training state; it continues with \`wasm2vec glove\` (trainGlove), not word2vec's train`);
  }
  return state;
}

/** Reads a GloVe state file written by writeGloveState (rows dense in `data`). */
export async function readGloveState(path: string): Promise<GloveTrainingState> {
  const state = await readStateFile(path);
  if (!('trainer' in state)) {
    throw new Wasm2VecError(`${path}: this is a word2vec training state; it continues with \`wasm2vec train\` (train), not GloVe`);
  }
  return state;
}

/** Reads a state file of either trainer. */
export async function readStateFile(path: string): Promise<TrainingState | GloveTrainingState> {
  let reader: ByteReader;
  try {
    reader = await ByteReader.open(path);
  } catch (err) {
    throw wrapSystemError(path, 'read', err);
  }
  try {
    return await parseState(reader, path);
  } finally {
    await reader.close();
  }
}

async function parseState(reader: ByteReader, path: string): Promise<TrainingState | GloveTrainingState> {
  // ByteReader skips a UTF-8 byte order mark, which a state file never starts with: read from 0.
  if (reader.size < FIXED_BYTES + 4) fail(path, 'byte 0', `not a wasm2vec state file: ${reader.size} bytes, too short`);
  let crc = 0;
  let offset = 0;
  const take = async (bytes: number, what: string): Promise<Buffer> => {
    const left = reader.size - offset - 4;
    if (bytes > left) fail(path, `byte ${offset}`, `truncated: the ${what} needs ${bytes} bytes but only ${Math.max(0, left)} remain before the checksum; the file is damaged or was cut short`);
    const buf = Buffer.allocUnsafe(bytes);
    const got = await readAt(reader, buf, offset);
    if (got !== bytes) fail(path, `byte ${offset + got}`, `truncated while reading the ${what}`);
    crc = crc32(buf, crc);
    offset += bytes;
    return buf;
  };
  const fixed = await take(FIXED_BYTES, 'file header');
  if (fixed.toString('latin1', 0, 8) !== STATE_MAGIC) fail(path, 'byte 0', 'not a wasm2vec state file (no "W2VSTATE" magic); give a file written by --save-state or --checkpoint');
  const version = fixed.readUInt32LE(8);
  if (version !== STATE_VERSION && version !== GLOVE_STATE_VERSION) {
    fail(path, 'byte 8', `state file version ${version} is not supported (this wasm2vec reads versions ${STATE_VERSION} and ${GLOVE_STATE_VERSION})`);
  }
  const headerLength = fixed.readUInt32LE(12);
  if (headerLength > MAX_STATE_HEADER_BYTES) fail(path, 'byte 12', `header length ${headerLength} exceeds ${MAX_STATE_HEADER_BYTES} bytes`);
  const headerBytes = await take(headerLength, 'JSON header');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch {
    fail(path, `byte ${FIXED_BYTES}`, 'the JSON header is not valid UTF-8 JSON');
  }
  const glove = version === GLOVE_STATE_VERSION ? checkGloveHeader(raw, path) : undefined;
  const header = glove ? undefined : checkHeader(raw, path);
  const { dim, vocabSize, vocabularyBytes } = (glove ?? header)!;
  // Everything that follows, checked against the file size before anything is allocated.
  const matrixFloats = glove ? 2 * vocabSize * gloveRowFloats(dim) : (header!.inputRows + header!.outputRows + header!.hsRows) * dim;
  const needed = vocabularyBytes + vocabSize * 8 + matrixFloats * 4;
  const remaining = reader.size - offset - 4;
  if (needed !== remaining) {
    fail(path, `byte ${offset}`, `the header describes ${needed} bytes of vocabulary and matrices but the file holds ${remaining}; the file is ${needed > remaining ? 'truncated' : 'damaged (trailing bytes)'}`);
  }
  const vocabularyStart = offset;
  const vocabulary = await take(vocabularyBytes, 'vocabulary');
  const words: string[] = [];
  const seen = new Set<string>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let at = 0;
  for (let i = 0; i < vocabSize; i++) {
    if (at + 4 > vocabulary.length) fail(path, `byte ${vocabularyStart + at}`, `vocabulary ends after ${i} of ${vocabSize} words`);
    const length = vocabulary.readUInt32LE(at);
    if (length === 0 || length > MAX_WORD_BYTES || at + 4 + length > vocabulary.length) {
      fail(path, `byte ${vocabularyStart + at}`, `word ${i} has an invalid length ${length}`);
    }
    let word: string;
    try {
      word = decoder.decode(vocabulary.subarray(at + 4, at + 4 + length));
    } catch {
      fail(path, `byte ${vocabularyStart + at + 4}`, `word ${i} is not valid UTF-8`);
    }
    if (seen.has(word)) fail(path, `byte ${vocabularyStart + at + 4}`, `word ${JSON.stringify(word.slice(0, 40))} appears twice in the vocabulary`);
    seen.add(word);
    words.push(word);
    at += 4 + length;
  }
  if (at !== vocabulary.length) fail(path, `byte ${vocabularyStart + at}`, `${vocabulary.length - at} stray bytes after the vocabulary`);
  const countsStart = offset;
  const countBytes = await take(vocabSize * 8, 'counts');
  const counts = Array.from(new Float64Array(countBytes.buffer.slice(countBytes.byteOffset, countBytes.byteOffset + countBytes.length)));
  counts.forEach((c, i) => {
    if (!Number.isSafeInteger(c) || c < 0) fail(path, `byte ${countsStart + 8 * i}`, `count of word ${i} is ${c}, not a non-negative integer`);
  });
  /** rows × cols finite floats; with `sums`, the columns from `sums` on are AdaGrad sums (≥ 0 each, 2 per GloVe row half). */
  const matrix = async (rows: number, cols: number, what: string, isSum?: (col: number) => boolean): Promise<Float32Array> => {
    const start = offset;
    const bytes = await take(rows * cols * 4, what);
    const data = new Float32Array(bytes.buffer, bytes.byteOffset, rows * cols);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) fail(path, `byte ${start + 4 * i}`, `the ${what} holds ${data[i]}`);
      if (isSum && data[i] < 0 && isSum(i % cols)) fail(path, `byte ${start + 4 * i}`, `the ${what} holds a negative AdaGrad sum ${data[i]}`);
    }
    return data;
  };
  let state: TrainingState | GloveTrainingState;
  if (glove) {
    const cols = gloveRowFloats(dim);
    const isSum = (col: number) => col > dim;
    const rowsOf = (data: Float32Array): GloveRows => ({ rows: vocabSize, data, copyRow: (row, out, to) => out.set(data.subarray(row * cols, (row + 1) * cols), to) });
    const wordRows = rowsOf(await matrix(vocabSize, cols, 'word rows', isSum));
    const contextRows = rowsOf(await matrix(vocabSize, cols, 'context rows', isSum));
    state = { trainer: 'glove', options: glove.options, dim, words, counts, wordRows, contextRows, schedule: glove.schedule };
  } else {
    const h = header!;
    const dense = async (rows: number, what: string): Promise<StateMatrix> => ({ data: await matrix(rows, dim, what), rows, stride: dim });
    const input = await dense(h.inputRows, 'input matrix');
    const output = await dense(h.outputRows, 'output matrix (syn1neg)');
    const hsOutput = await dense(h.hsRows, 'hierarchical softmax matrix (syn1)');
    state = {
      options: h.options,
      dim,
      words,
      counts,
      input,
      output,
      hsOutput,
      schedule: { ...h.schedule, workers: h.schedule.workers.map((w) => ({ ...w, random: BigInt(w.random) })) },
    };
  }
  const trailer = Buffer.allocUnsafe(4);
  if ((await readAt(reader, trailer, offset)) !== 4) fail(path, `byte ${offset}`, 'truncated: the checksum is missing');
  if (trailer.readUInt32LE(0) !== crc >>> 0) fail(path, `byte ${offset}`, 'checksum mismatch: the file is damaged; use an earlier checkpoint');
  return state;
}

async function readAt(reader: ByteReader, target: Buffer, offset: number): Promise<number> {
  // The reader is forward-only: every call here continues where the previous one stopped.
  if (reader.offsetOf(reader.start) !== offset) reader.skip(offset - reader.offsetOf(reader.start));
  return reader.readInto(target);
}

function checkHeader(raw: unknown, path: string): StateHeader {
  const where = `byte ${FIXED_BYTES} (header)`;
  const bad = (field: string, value: unknown): never => fail(path, where, `field ${field} is ${JSON.stringify(value)?.slice(0, 40)}, which is not valid`);
  const object = (value: unknown, field: string): Record<string, unknown> => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) bad(field, value);
    return value as Record<string, unknown>;
  };
  const int = (o: Record<string, unknown>, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const v = o[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) bad(field, v);
    return v as number;
  };
  const h = object(raw, 'header');
  const dim = int(h, 'dim', 1, 10_000);
  const vocabSize = int(h, 'vocabSize', 1, 2 ** 31);
  const inputRows = int(h, 'inputRows', vocabSize, 2 ** 31);
  const outputRows = int(h, 'outputRows', 0, vocabSize);
  if (outputRows !== 0 && outputRows !== vocabSize) bad('outputRows', outputRows);
  const hsRows = int(h, 'hsRows', 0, vocabSize);
  if (hsRows !== 0 && hsRows !== vocabSize - 1) bad('hsRows', hsRows);
  const vocabularyBytes = int(h, 'vocabularyBytes', 5 * vocabSize);
  const options = object(h.options, 'options');
  const s = object(h.schedule, 'schedule');
  const trainWords = int(s, 'trainWords', 0);
  const wordsTotal = int(s, 'wordsTotal', 0);
  const wordsDone = int(s, 'wordsDone', 0);
  const corpusTokens = int(s, 'corpusTokens', 0);
  if (!Array.isArray(s.workers) || s.workers.length < 1 || s.workers.length > MAX_STATE_WORKERS) bad('schedule.workers', s.workers);
  const workers = (s.workers as unknown[]).map((value, t) => {
    const w = object(value, `schedule.workers[${t}]`);
    const start = int(w, 'start', 0);
    const end = int(w, 'end', start);
    const epoch = int(w, 'epoch', 0);
    const position = int(w, 'position', start, end);
    if (typeof w.random !== 'string' || !/^\d{1,20}$/.test(w.random) || BigInt(w.random) >= 2n ** 64n) bad(`schedule.workers[${t}].random`, w.random);
    if (typeof w.alpha !== 'number' || !Number.isFinite(w.alpha) || w.alpha < 0) bad(`schedule.workers[${t}].alpha`, w.alpha);
    return { start, end, epoch, position, random: w.random as string, alpha: w.alpha as number };
  });
  return { dim, vocabSize, inputRows, outputRows, hsRows, vocabularyBytes, options, schedule: { wordsDone, wordsTotal, trainWords, corpusTokens, workers } };
}

function checkGloveHeader(raw: unknown, path: string): GloveStateHeader {
  const where = `byte ${FIXED_BYTES} (header)`;
  const bad = (field: string, value: unknown): never => fail(path, where, `field ${field} is ${JSON.stringify(value)?.slice(0, 40)}, which is not valid`);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) bad('header', raw);
  const h = raw as Record<string, unknown>;
  if (h.trainer !== 'glove') bad('trainer', h.trainer);
  const int = (o: Record<string, unknown>, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const v = o[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) bad(field, v);
    return v as number;
  };
  const dim = int(h, 'dim', 1, 10_000);
  // GloVe's ids are 24-bit (records pack them): fewer than 2^24 words.
  const vocabSize = int(h, 'vocabSize', 1, 2 ** 24 - 2);
  const vocabularyBytes = int(h, 'vocabularyBytes', 5 * vocabSize);
  if (h.options === null || typeof h.options !== 'object' || Array.isArray(h.options)) bad('options', h.options);
  const s = h.schedule;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) bad('schedule', s);
  const schedule = s as Record<string, unknown>;
  const epochs = int(schedule, 'epochs', 1, MAX_STATE_ITERATIONS);
  const iterationsDone = int(schedule, 'iterationsDone', 0, epochs);
  const costs = schedule.costs;
  if (!Array.isArray(costs) || costs.length !== iterationsDone || !costs.every((c) => typeof c === 'number' && Number.isFinite(c) && c >= 0)) bad('schedule.costs', costs);
  const pairs = int(schedule, 'pairs', 1);
  const corpusTokens = int(schedule, 'corpusTokens', 0);
  const givenVocabulary = schedule.givenVocabulary;
  if (givenVocabulary !== undefined && typeof givenVocabulary !== 'boolean') bad('schedule.givenVocabulary', givenVocabulary);
  return {
    trainer: 'glove', dim, vocabSize, vocabularyBytes, options: h.options as Record<string, unknown>,
    schedule: { epochs, iterationsDone, costs: (costs as number[]).slice(), pairs, corpusTokens, ...(givenVocabulary ? { givenVocabulary: true } : {}) },
  };
}

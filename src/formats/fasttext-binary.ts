/**
 * fastText's .bin model files, as fastText 0.9.2 writes them (FastText::saveModel). All numbers are
 * little-endian; int32 unless noted:
 *
 *   magic 793712314, version 12
 *   Args:        dim, ws, epoch, minCount, neg, wordNgrams, loss (hs 1, ns 2, softmax 3, ova 4),
 *                model (cbow 1, sg 2, sup 3), bucket, minn, maxn, lrUpdateRate, float64 t
 *   Dictionary:  size, nwords, nlabels, int64 ntokens, int64 pruneidx_size (-1: not pruned), then per
 *                entry: the word's bytes, a NUL, int64 count, int8 type (0 word, 1 label); then
 *                pruneidx_size pairs of int32
 *   uint8 quant (1: the input matrix is product-quantized, a .ftz)
 *   input:       int64 rows (nwords + bucket), int64 cols (dim), rows × cols float32: the words' own
 *                rows, then one row per n-gram hash bucket
 *   uint8 qout (1: the output matrix is quantized)
 *   output:      int64 rows (nwords for unsupervised models), int64 cols (dim), rows × cols float32
 *
 * Only unsupervised (skipgram / cbow) models with dense matrices are supported here (supervised ones:
 * src/formats/fasttext-supervised.ts). The reader treats the
 * file as untrusted: every problem is a Wasm2VecError naming the file, the byte offset and the value
 * found — wrong magic or version, supervised models and labels, quantized models, pruned
 * dictionaries, sizes that disagree with each other or with the file size (checked before anything
 * large is allocated), truncation, trailing bytes and non-finite values. The matrices are streamed
 * straight from the file into the model's Float32Array, and written from it in chunks.
 */
import type { WritableLike, WriteFileAtomicOptions } from '../runtime/atomic-write.js';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { Wasm2VecError } from '../errors.js';
import type { FastTextModelInfo, SubwordVectorsParts } from './types.js';
import { subwordBuckets, type SubwordSettings } from '../corpus/subwords.js';
import { ByteReader, type ReadSource, sourceName, IS_LITTLE_ENDIAN, checkLimit, MAX_TABLE_FLOATS, MAX_WORD_BYTES, OutChunk, fail, quote, quoteBytes, wrapSystemError } from './common.js';

export const FASTTEXT_MAGIC = 793712314;
export const FASTTEXT_VERSION = 12;
/** Format versions fastText 0.9.2 loads (11 differs from 12 only for supervised models). */
const READABLE_VERSIONS = [11, 12];

const LOSS_NAMES = ['', 'hs', 'ns', 'softmax', 'ova'] as const;
/** magic + version + 12 int32 args + float64 t */
const HEADER_BYTES = 64;
/** size, nwords, nlabels, int64 ntokens, int64 pruneidx_size */
const DICTIONARY_HEADER_BYTES = 28;
/** Smallest dictionary entry: a 1-byte word, NUL, int64 count, int8 type. */
const MIN_ENTRY_BYTES = 11;
/** Bytes written per chunk when a matrix is dense (a multiple of 4). */
const WRITE_CHUNK_BYTES = 4 << 20;

/**
 * What the writer needs from a model: exactly the public fields of `SubwordVectors` (so any
 * SubwordVectors is one), kept structural so that this module does not import the class.
 */
export interface FastTextModelSource {
  readonly words: readonly string[];
  readonly dim: number;
  readonly input: Float32Array;
  readonly stride: number;
  readonly subwords: SubwordSettings;
  readonly counts?: readonly number[];
  readonly output?: Float32Array;
  readonly outputRows?: number;
  readonly info?: FastTextModelInfo;
  /** The words' vectors, when the model has computed them (SubwordVectors does): they must be finite. */
  readonly vectors?: Float32Array;
}

/** Does `x` carry what a fastText .bin needs (a SubwordVectors, or anything shaped like one)? */
export function isFastTextModelSource(x: unknown): x is FastTextModelSource {
  if (x === null || typeof x !== 'object') return false;
  const m = x as Partial<Record<keyof FastTextModelSource, unknown>>;
  const s = m.subwords as Partial<SubwordSettings> | undefined;
  return (
    Array.isArray(m.words) &&
    typeof m.dim === 'number' &&
    m.input instanceof Float32Array &&
    typeof m.stride === 'number' &&
    s !== null &&
    typeof s === 'object' &&
    typeof s.minn === 'number' &&
    typeof s.maxn === 'number' &&
    typeof s.buckets === 'number'
  );
}

/** Whether words get character n-grams (then every n-gram is hashed modulo the bucket count). */
function hasNgrams(minn: number, maxn: number): boolean {
  return maxn > 0 && minn <= maxn;
}

// ---------------------------------------------------------------------------------------------------
// Reader

export interface ReadFastTextOptions {
  /**
   * Keep only the first `limit` words (the most frequent). The n-gram buckets are all kept, so other
   * words still get vectors from their n-grams; the output matrix is then not kept.
   */
  limit?: number;
}

/** Reads a fastText .bin model into the parts of a `SubwordVectors` (`new SubwordVectors(parts)`). */
export async function readFastTextBinary(source: ReadSource, options: ReadFastTextOptions = {}): Promise<SubwordVectorsParts> {
  const path = sourceName(source);
  const limit = options.limit === Infinity ? Infinity : checkLimit(options.limit);
  const r = await ByteReader.open(source);
  try {
    r.start = 0; // a byte order mark means nothing here
    if (r.size === 0) fail(path, '', 'file is empty');
    return await readModel(r, limit);
  } finally {
    await r.close();
  }
}

async function readModel(r: ByteReader, limit: number): Promise<SubwordVectorsParts> {
  const path = r.path;
  const at = (offset: number) => `byte offset ${offset}`;

  /** Make `n` bytes available for `what`; fails as truncated if the file ends first. Returns their offset in buf. */
  const need = async (n: number, what: string): Promise<number> => {
    if (r.available < n) await r.fill(n);
    if (r.available < n) {
      fail(path, at(r.offsetOf(r.start)), `truncated file: ${what} needs ${n} bytes but the file ends after ${r.available} (file size ${r.size})`);
    }
    const p = r.start;
    r.start += n;
    return p;
  };
  const int32 = async (what: string): Promise<[number, number]> => {
    const p = await need(4, what);
    return [r.buf.readInt32LE(p), r.offsetOf(p)];
  };
  const int64 = async (what: string): Promise<[bigint, number]> => {
    const p = await need(8, what);
    return [r.buf.readBigInt64LE(p), r.offsetOf(p)];
  };
  const uint8 = async (what: string): Promise<[number, number]> => {
    const p = await need(1, what);
    return [r.buf[p], r.offsetOf(p)];
  };

  // ---- magic, version, args
  await r.fill(HEADER_BYTES);
  if (r.available < 4) fail(path, at(0), `not a fastText model: the file has only ${r.available} bytes (truncated file?)`);
  const [magic] = await int32('the magic number');
  if (magic !== FASTTEXT_MAGIC) {
    fail(
      path,
      at(0),
      `not a fastText .bin model: magic number ${magic} (0x${(magic >>> 0).toString(16).padStart(8, '0')}), expected ${FASTTEXT_MAGIC}` +
        ' (the earliest fastText models, which had none, are not supported)',
    );
  }
  const [version, versionAt] = await int32('the format version');
  if (!READABLE_VERSIONS.includes(version)) {
    fail(path, at(versionAt), `unsupported fastText format version ${version}: this reader knows version 12 (and 11), as fastText 0.9.2`);
  }
  const args: Record<string, [number, number]> = {};
  for (const name of ['dim', 'ws', 'epoch', 'minCount', 'neg', 'wordNgrams', 'loss', 'model', 'bucket', 'minn', 'maxn', 'lrUpdateRate']) {
    args[name] = await int32(`the argument ${name}`);
  }
  const tAt = r.offsetOf(await need(8, 'the argument t'));
  const t = r.buf.readDoubleLE(r.start - 8);
  const arg = (name: string) => args[name][0];
  const badArg = (name: string, why: string): never => fail(path, at(args[name][1]), `invalid argument ${name} ${args[name][0]}: ${why}`);
  const model = arg('model');
  if (model === 3) fail(path, at(args.model[1]), 'supervised fastText models are not supported (model sup): only skipgram and cbow models hold word vectors; load a classifier with Classifier.load or wasm2vec predict');
  if (model !== 1 && model !== 2) badArg('model', 'expected 1 (cbow) or 2 (skipgram)');
  const loss = arg('loss');
  if (loss < 1 || loss > 4) badArg('loss', 'expected 1 (hs), 2 (ns), 3 (softmax) or 4 (ova)');
  const dim = arg('dim');
  if (dim < 1) badArg('dim', 'the dimension must be positive');
  const bucket = arg('bucket');
  const minn = arg('minn');
  const maxn = arg('maxn');
  if (bucket < 0) badArg('bucket', 'must not be negative');
  if (minn < 0) badArg('minn', 'must not be negative');
  if (maxn < 0) badArg('maxn', 'must not be negative');
  if (hasNgrams(minn, maxn) && bucket === 0) badArg('bucket', `a model with character n-grams (minn ${minn}, maxn ${maxn}) needs at least one bucket`);
  if (!Number.isFinite(t)) fail(path, at(tAt), `invalid argument t ${t}: the sampling threshold must be finite`);

  // ---- dictionary
  const [size, sizeAt] = await int32('the dictionary size');
  const [nwords, nwordsAt] = await int32('the dictionary word count');
  const [nlabels, nlabelsAt] = await int32('the dictionary label count');
  if (nlabels !== 0) {
    if (nlabels > 0) fail(path, at(nlabelsAt), `supervised fastText models are not supported: the dictionary has ${nlabels} labels`);
    fail(path, at(nlabelsAt), `invalid dictionary: ${nlabels} labels`);
  }
  if (nwords < 1) fail(path, at(nwordsAt), `invalid dictionary: ${nwords} words`);
  if (size !== nwords + nlabels) fail(path, at(sizeAt), `invalid dictionary: size ${size} is not ${nwords} words + ${nlabels} labels`);
  const [ntokens, ntokensAt] = await int64('the dictionary token count');
  if (ntokens < 0n || ntokens > BigInt(Number.MAX_SAFE_INTEGER)) fail(path, at(ntokensAt), `invalid dictionary: token count ${ntokens}`);
  const [pruneSize, pruneAt] = await int64('the dictionary prune index size');
  if (pruneSize !== -1n) {
    if (pruneSize >= 0n) {
      fail(path, at(pruneAt), `pruned dictionaries are not supported (prune index of ${pruneSize} entries; fastText prunes only quantized models)`);
    }
    fail(path, at(pruneAt), `invalid dictionary: prune index size ${pruneSize}`);
  }
  // Every entry takes at least MIN_ENTRY_BYTES; the two matrix headers and flags 34 more.
  const minRest = size * MIN_ENTRY_BYTES + 34;
  if (minRest > r.remainingInFile) {
    fail(
      path,
      at(sizeAt),
      `the dictionary claims ${size} words, which need at least ${minRest} more bytes, but only ${r.remainingInFile} follow ` +
        '(lying header or truncated file)',
    );
  }
  const keep = Math.min(nwords, limit);
  const words: string[] = new Array(keep);
  const counts: number[] = new Array(keep);
  const seen = new Map<string, number>();
  for (let i = 0; i < size; i++) {
    // The word runs up to a NUL.
    let nul = -1;
    for (;;) {
      const { buf, start, end } = r;
      const z = buf.indexOf(0, start);
      if (z >= 0 && z < end && z - start <= MAX_WORD_BYTES) {
        nul = z;
        break;
      }
      if (end - start > MAX_WORD_BYTES) fail(path, at(r.offsetOf(start)), `dictionary entry #${i + 1}: word longer than ${MAX_WORD_BYTES} bytes: ${quoteBytes(buf, start, end)}`);
      if (r.eof) fail(path, at(r.offsetOf(start)), `truncated file: dictionary entry #${i + 1} of ${size} (${quoteBytes(buf, start, end)}) ends without its NUL`);
      await r.fill(end - start + 1);
    }
    const wordAt = r.offsetOf(r.start);
    if (nul === r.start) fail(path, at(wordAt), `dictionary entry #${i + 1} has an empty word`);
    const word = r.buf.toString('utf8', r.start, nul);
    r.start = nul + 1;
    const [count, countAt] = await int64(`the count of word ${quote(word)}`);
    if (count < 0n || count > BigInt(Number.MAX_SAFE_INTEGER)) fail(path, at(countAt), `invalid count ${count} of word ${quote(word)}`);
    const [type, typeAt] = await uint8(`the entry type of word ${quote(word)}`);
    if (type !== 0) {
      if (type === 1) fail(path, at(typeAt), `supervised fastText models are not supported: ${quote(word)} is a label`);
      fail(path, at(typeAt), `invalid entry type ${type} of word ${quote(word)} (expected 0 for a word)`);
    }
    const prev = seen.get(word);
    if (prev !== undefined) fail(path, at(wordAt), `duplicate word ${quote(word)} (first seen at byte offset ${prev})`);
    seen.set(word, wordAt);
    if (i < keep) {
      words[i] = word;
      counts[i] = Number(count);
    }
  }
  seen.clear();

  // ---- input matrix
  const [quant, quantAt] = await uint8('the quantization flag');
  if (quant !== 0) fail(path, at(quantAt), `quantized fastText models (.ftz) are not supported (quantization flag ${quant}); use the .bin model`);
  const inputRows = await matrixHeader(r, 'input', nwords + bucket, `${nwords} words + ${bucket} buckets`, dim, need);
  const inputAt = r.offsetOf(r.start);
  const rowBytes = 4 * dim;
  const outputBytes = rowBytes * nwords;
  const rest = inputRows * rowBytes + 1 + 16 + outputBytes;
  if (rest > r.remainingInFile) {
    fail(
      path,
      at(inputAt),
      `truncated file: the input matrix (${inputRows} × ${dim}) and the output matrix (${nwords} × ${dim}) need ${rest} more bytes ` +
        `(flag and header included) but only ${r.remainingInFile} follow`,
    );
  }
  const keptRows = keep + bucket;
  if (keptRows * dim > MAX_TABLE_FLOATS) fail(path, at(inputAt), `the input matrix has ${keptRows} × ${dim} values, more than the ${MAX_TABLE_FLOATS} supported`);
  const input = allocate(path, keptRows * dim, 'the input matrix');
  // Word rows (the first `keep`), then the bucket rows.
  await readRows(r, input, 0, keep, dim, `the input matrix`);
  if (keep < nwords) r.skip((nwords - keep) * rowBytes);
  await readRows(r, input, keep, bucket, dim, 'the input matrix', nwords);
  checkFinite(path, input, 0, keep, dim, inputAt, 0, 'input');
  checkFinite(path, input, keep, bucket, dim, inputAt, nwords, 'input');

  // ---- output matrix
  const [qout, qoutAt] = await uint8('the output quantization flag');
  if (qout !== 0) fail(path, at(qoutAt), `quantized fastText models (.ftz) are not supported (output quantization flag ${qout})`);
  await matrixHeader(r, 'output', nwords, `the ${nwords} words`, dim, need);
  const outputAt = r.offsetOf(r.start);
  let output: Float32Array | undefined;
  if (keep === nwords) {
    output = allocate(path, nwords * dim, 'the output matrix');
    await readRows(r, output, 0, nwords, dim, 'the output matrix');
    checkFinite(path, output, 0, nwords, dim, outputAt, 0, 'output');
  } else {
    r.skip(outputBytes);
  }
  if (r.remainingInFile > 0) {
    await r.fill(1);
    fail(path, at(r.offsetOf(r.start)), `unexpected ${r.remainingInFile} bytes after the output matrix: ${quoteBytes(r.buf, r.start, Math.min(r.end, r.start + 16))}`);
  }

  const lossName = LOSS_NAMES[loss];
  const info: FastTextModelInfo | undefined =
    lossName === 'hs' || lossName === 'ns'
      ? {
          model: model === 1 ? 'cbow' : 'skipgram',
          loss: lossName,
          window: arg('ws'),
          epochs: arg('epoch'),
          minCount: arg('minCount'),
          negative: arg('neg'),
          sample: t,
          lrUpdateRate: arg('lrUpdateRate'),
          wordNgrams: arg('wordNgrams'),
          corpusTokens: Number(ntokens),
        }
      : undefined; // softmax / one-vs-all: the vectors are usable, the training setup is not representable
  return {
    words,
    dim,
    input,
    stride: dim,
    subwords: { minn, maxn, buckets: bucket },
    counts,
    output,
    outputRows: output ? nwords : undefined,
    info,
  };
}

/** Reads a DenseMatrix header and checks it against the expected shape; returns the rows. */
async function matrixHeader(
  r: ByteReader,
  name: 'input' | 'output',
  rows: number,
  rowsWhy: string,
  dim: number,
  need: (n: number, what: string) => Promise<number>,
): Promise<number> {
  const p = await need(16, `the ${name} matrix header`);
  const m = r.buf.readBigInt64LE(p);
  const n = r.buf.readBigInt64LE(p + 8);
  const offset = r.offsetOf(p);
  if (m !== BigInt(rows)) fail(r.path, `byte offset ${offset}`, `the ${name} matrix has ${m} rows, expected ${rows} (${rowsWhy})`);
  if (n !== BigInt(dim)) fail(r.path, `byte offset ${offset + 8}`, `the ${name} matrix has ${n} columns, expected the dimension ${dim}`);
  return rows;
}

function allocate(path: string, floats: number, what: string): Float32Array {
  try {
    return new Float32Array(floats);
  } catch (err) {
    if (err instanceof RangeError) throw new Wasm2VecError(`${path}: cannot allocate ${what} (${floats} floats): ${err.message}`, { cause: err });
    throw err;
  }
}

/** Reads `count` rows of `dim` float32 into `target` from row `first` on (the file has been sized already). */
async function readRows(r: ByteReader, target: Float32Array, first: number, count: number, dim: number, what: string, fileRow = first): Promise<void> {
  if (count === 0) return;
  const bytes = new Uint8Array(target.buffer, target.byteOffset + first * dim * 4, count * dim * 4);
  const offset = r.offsetOf(r.start);
  const got = await r.readInto(bytes);
  if (got < bytes.length) {
    fail(r.path, `byte offset ${offset + got}`, `truncated file: ${what} (row ${fileRow + Math.floor(got / (4 * dim))}) ends early (the file shrank while being read?)`);
  }
  if (!IS_LITTLE_ENDIAN) {
    for (let i = 0; i < bytes.length; i += 4) {
      const a = bytes[i];
      const b = bytes[i + 1];
      bytes[i] = bytes[i + 3];
      bytes[i + 1] = bytes[i + 2];
      bytes[i + 2] = b;
      bytes[i + 3] = a;
    }
  }
}

/** Rejects a NaN or infinity among rows [first, first + count) of `m`; `fileRow` is the first one's row in the file. */
function checkFinite(path: string, m: Float32Array, first: number, count: number, dim: number, matrixAt: number, fileRow: number, name: string): void {
  const end = (first + count) * dim;
  for (let i = first * dim; i < end; i++) {
    const v = m[i];
    if (v - v !== 0) {
      const row = fileRow + Math.floor(i / dim) - first;
      const col = i % dim;
      fail(path, `byte offset ${matrixAt + 4 * (row * dim + col)}`, `the ${name} matrix has a non-finite value ${v} at row ${row}, column ${col}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Writer

/** Defaults for what a model without `info` does not say: fastText's skipgram defaults. */
const DEFAULT_INFO: Omit<FastTextModelInfo, 'corpusTokens'> = {
  model: 'skipgram',
  loss: 'ns',
  window: 5,
  epochs: 5,
  minCount: 1,
  negative: 5,
  sample: 1e-4,
  lrUpdateRate: 100,
  wordNgrams: 1,
};

function int32Field(name: string, v: number): number {
  if (!Number.isInteger(v) || v < -(2 ** 31) || v > 2 ** 31 - 1) {
    throw new Wasm2VecError(`cannot write the fastText model: ${name} ${v} is not a 32-bit integer`);
  }
  return v;
}

/**
 * Writes a model in fastText's .bin layout. Without `output`, the output matrix is written as zeros;
 * an output of fewer rows than words (wasm2vec's hierarchical softmax keeps words − 1 inner nodes)
 * is padded with zero rows to the words.length rows fastText expects. Without `info`, fastText's
 * skipgram defaults are recorded (ns, ws 5, epoch 5, minCount 1, neg 5, t 1e-4) and ntokens is the
 * sum of the counts (0 without counts); counts default to 1.
 */
export async function writeFastTextBinary(out: WritableLike, model: FastTextModelSource): Promise<void> {
  const { words, dim, input, stride, subwords } = model;
  const fail = (message: string): never => {
    throw new Wasm2VecError(`cannot write the fastText model: ${message}`);
  };
  if (!Number.isInteger(dim) || dim < 1) fail(`dim must be a positive integer, got ${String(dim)}`);
  if (!Number.isInteger(stride) || stride < dim) fail(`the stride (${String(stride)}) must be an integer of at least dim (${dim})`);
  if (words.length === 0) fail('the model has no words');
  const { minn, maxn, buckets } = subwords;
  for (const [name, v] of [['minn', minn], ['maxn', maxn], ['buckets', buckets]] as const) {
    if (int32Field(`subwords.${name}`, v) < 0) fail(`subwords.${name} must not be negative, got ${v}`);
  }
  if (hasNgrams(minn, maxn) && buckets === 0) fail(`a model with character n-grams (minn ${minn}, maxn ${maxn}) needs at least one bucket`);
  int32Field('the number of words', words.length);
  const inputRows = words.length + buckets;
  if (input.length < (inputRows - 1) * stride + dim) {
    fail(`the input matrix holds ${input.length} floats, ${words.length} words + ${buckets} buckets need ${inputRows} rows × ${stride}`);
  }
  const counts = model.counts;
  if (counts !== undefined && counts.length !== words.length) fail(`${counts.length} counts for ${words.length} words`);
  let outputRows = 0;
  if (model.output !== undefined) {
    outputRows = model.outputRows ?? words.length;
    if (!Number.isInteger(outputRows) || outputRows < 0 || outputRows > words.length) {
      fail(`the output matrix has ${outputRows} rows; fastText's unsupervised models have one per word (${words.length})`);
    }
    if (outputRows > 0 && model.output.length < (outputRows - 1) * stride + dim) {
      fail(`the output matrix holds ${model.output.length} floats, ${outputRows} rows × ${stride} need more`);
    }
  }

  // fastText (and this reader) would compute these from the rows: an overflow would make them infinite.
  const vectors = model.vectors;
  if (vectors instanceof Float32Array) {
    for (let i = 0; i < vectors.length; i++) {
      const v = vectors[i];
      if (v - v !== 0) fail(`the vector of word ${quote(words[Math.floor(i / dim)] ?? '?')} is not finite (${v}): the sum of its rows overflows float32`);
    }
  }

  // Dictionary entries, validated while they are encoded.
  const encoded: Buffer[] = new Array(words.length);
  const seen = new Set<string>();
  let dictionaryBytes = DICTIONARY_HEADER_BYTES;
  let countSum = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (typeof w !== 'string' || w.length === 0) fail(`word #${i} is empty`);
    if (w.includes('\0')) fail(`word #${i} ${quote(w)} contains a NUL character`);
    if (seen.has(w)) fail(`duplicate word ${quote(w)} (#${i})`);
    seen.add(w);
    const b = Buffer.from(w, 'utf8');
    if (b.length > MAX_WORD_BYTES) fail(`word #${i} ${quote(w)} is longer than ${MAX_WORD_BYTES} bytes`);
    encoded[i] = b;
    dictionaryBytes += b.length + 10;
    const c = counts === undefined ? 1 : counts[i];
    if (!Number.isSafeInteger(c) || c < 0) fail(`the count of ${quote(w)} is not a non-negative integer: ${c}`);
    countSum += c;
  }
  seen.clear();

  const info = model.info;
  const setup = info ?? DEFAULT_INFO;
  const corpusTokens = info ? info.corpusTokens : counts === undefined ? 0 : countSum;
  if (!Number.isSafeInteger(corpusTokens) || corpusTokens < 0) fail(`the corpus token count is not a non-negative integer: ${corpusTokens}`);
  if (!Number.isFinite(setup.sample)) fail(`the sampling threshold is not finite: ${setup.sample}`);

  const chunk = new OutChunk(out);
  const header = Buffer.alloc(HEADER_BYTES);
  const fields = [
    FASTTEXT_MAGIC,
    FASTTEXT_VERSION,
    int32Field('dim', dim),
    int32Field('window', setup.window),
    int32Field('epochs', setup.epochs),
    int32Field('minCount', setup.minCount),
    int32Field('negative', setup.negative),
    int32Field('wordNgrams', setup.wordNgrams),
    setup.loss === 'hs' ? 1 : 2,
    setup.model === 'cbow' ? 1 : 2,
    buckets,
    minn,
    maxn,
    int32Field('lrUpdateRate', setup.lrUpdateRate),
  ];
  fields.forEach((v, i) => header.writeInt32LE(v, 4 * i));
  header.writeDoubleLE(setup.sample, 4 * fields.length);
  await put(chunk, header);

  const dict = Buffer.alloc(DICTIONARY_HEADER_BYTES);
  dict.writeInt32LE(words.length, 0);
  dict.writeInt32LE(words.length, 4);
  dict.writeInt32LE(0, 8);
  dict.writeBigInt64LE(BigInt(corpusTokens), 12);
  dict.writeBigInt64LE(-1n, 20);
  await put(chunk, dict);
  const entryTail = Buffer.alloc(10);
  for (let i = 0; i < words.length; i++) {
    entryTail[0] = 0;
    entryTail.writeBigInt64LE(BigInt(counts === undefined ? 1 : counts[i]), 1);
    entryTail[9] = 0;
    await put(chunk, encoded[i]);
    await put(chunk, entryTail);
  }
  encoded.length = 0;

  await put(chunk, Buffer.from([0])); // quant
  await writeMatrix(chunk, out, input, inputRows, inputRows, dim, stride, 'input', words);
  await put(chunk, Buffer.from([0])); // qout
  await writeMatrix(chunk, out, model.output, outputRows, words.length, dim, stride, 'output', words);
  await chunk.flush();
}

async function put(chunk: OutChunk, bytes: Uint8Array): Promise<void> {
  await chunk.reserve(bytes.length);
  chunk.buf.set(bytes, chunk.pos);
  chunk.pos += bytes.length;
}

/**
 * Writes a DenseMatrix of `rows` rows: the first `present` come from `data` (row i at i·stride), the
 * rest are zeros. Dense little-endian data goes to the sink in large slices without a copy of the
 * whole matrix; non-finite values are refused.
 */
async function writeMatrix(
  chunk: OutChunk,
  out: WritableLike,
  data: Float32Array | undefined,
  present: number,
  rows: number,
  dim: number,
  stride: number,
  name: string,
  words: readonly string[],
): Promise<void> {
  const head = Buffer.alloc(16);
  head.writeBigInt64LE(BigInt(rows), 0);
  head.writeBigInt64LE(BigInt(dim), 8);
  await put(chunk, head);
  const check = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const v = data![i];
      if (v - v !== 0) {
        const row = Math.floor(i / stride);
        const what = name === 'input' ? (row < words.length ? `word ${quote(words[row])}` : `n-gram bucket ${row - words.length}`) : `row ${row}`;
        throw new Wasm2VecError(`cannot write the fastText model: the ${name} matrix has a non-finite value ${v} (${what}, column ${i % stride})`);
      }
    }
  };
  const rowBytes = 4 * dim;
  if (data !== undefined && present > 0) {
    if (stride === dim && IS_LITTLE_ENDIAN) {
      await chunk.flush();
      const bytes = new Uint8Array(data.buffer, data.byteOffset, present * rowBytes);
      for (let p = 0; p < bytes.length; p += WRITE_CHUNK_BYTES) {
        const q = Math.min(bytes.length, p + WRITE_CHUNK_BYTES);
        check(p / 4, q / 4);
        await out.write(bytes.subarray(p, q));
      }
    } else {
      for (let row = 0; row < present; row++) {
        const base = row * stride;
        check(base, base + dim);
        await chunk.reserve(rowBytes);
        const b = chunk.buf;
        if (IS_LITTLE_ENDIAN) {
          b.set(new Uint8Array(data.buffer, data.byteOffset + base * 4, rowBytes), chunk.pos);
        } else {
          for (let j = 0; j < dim; j++) b.writeFloatLE(data[base + j], chunk.pos + 4 * j);
        }
        chunk.pos += rowBytes;
      }
    }
  }
  const zeros = rows - (data === undefined ? 0 : present);
  if (zeros > 0) {
    let left = zeros * rowBytes;
    while (left > 0) {
      const n = Math.min(left, chunk.buf.length);
      await chunk.reserve(n);
      chunk.buf.fill(0, chunk.pos, chunk.pos + n);
      chunk.pos += n;
      left -= n;
    }
  }
}

/** Atomically writes a fastText .bin model (a temporary file renamed into place). */
export async function writeFastTextModel(path: string, model: FastTextModelSource, options: WriteFileAtomicOptions = {}): Promise<void> {
  try {
    await writeFileAtomic(path, (out) => writeFastTextBinary(out, model), options);
  } catch (err) {
    throw wrapSystemError(path, 'write', err);
  }
}

/**
 * fastText's getWordVector for every vocabulary word: the mean of its own row and its n-gram rows,
 * summed in float32 as fastText does (what fastText prints as .vec).
 */
export function fastTextWordVectors(parts: Pick<SubwordVectorsParts, 'words' | 'dim' | 'input' | 'stride' | 'subwords'>): Float32Array {
  const { words, dim, input, stride, subwords } = parts;
  const out = new Float32Array(words.length * dim);
  const sum = new Float32Array(dim);
  for (let i = 0; i < words.length; i++) {
    sum.fill(0);
    addRow(input, i * stride, sum, dim);
    const buckets = subwordBuckets(words[i], subwords);
    for (const b of buckets) addRow(input, (words.length + b) * stride, sum, dim);
    const inv = Math.fround(1 / (1 + buckets.length));
    for (let d = 0; d < dim; d++) out[i * dim + d] = sum[d] * inv;
  }
  return out;
}

function addRow(matrix: Float32Array, start: number, into: Float32Array, dim: number): void {
  for (let d = 0; d < dim; d++) into[d] += matrix[start + d];
}

/**
 * Reads a fastText .bin model (readFastTextBinary) and computes its words' vectors, which must be
 * finite: a file whose rows are finite can still overflow float32 when they are summed.
 */
export async function readFastTextModelParts(source: ReadSource, options: ReadFastTextOptions = {}): Promise<SubwordVectorsParts & { wordVectors: Float32Array }> {
  const path = sourceName(source);
  const parts = await readFastTextBinary(source, options);
  const vectors = fastTextWordVectors(parts);
  const dim = parts.dim;
  for (let i = 0; i < vectors.length; i++) {
    const v = vectors[i];
    if (v - v !== 0) {
      throw new Wasm2VecError(
        `${path}: the vector of word ${JSON.stringify(parts.words[Math.floor(i / dim)])} is not finite (${v} in column ${i % dim}): ` +
          'the sum of its rows overflows float32',
      );
    }
  }
  return { ...parts, wordVectors: vectors };
}

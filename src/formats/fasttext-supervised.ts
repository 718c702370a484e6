/**
 * fastText's supervised .bin models (text classifiers), as fastText 0.9.2 writes them
 * (FastText::saveModel with model sup): the layout of src/formats/fasttext-binary.ts, with labels in
 * the dictionary (type 1, after the words) and an output matrix of one row per label. The reader
 * treats the file as untrusted (every problem is a Wasm2VecError naming the file and byte offset);
 * quantized (.ftz) and pruned models are refused. The writer expands a compact input matrix (only
 * the n-gram buckets seen in training) to fastText's words + bucket rows, unseen buckets as zeros.
 * This module knows nothing of the Classifier class: it reads and writes plain parts.
 */
import { nodeBuiltin } from '../runtime/node-builtins.js';
import { Wasm2VecError } from '../errors.js';
import { writeFileAtomic, type WritableLike } from '../runtime/atomic-write.js';
import { wrapSystemError } from './common.js';
import { FASTTEXT_MAGIC, FASTTEXT_VERSION } from './fasttext-binary.js';
const { readFile, stat } = nodeBuiltin('node:fs/promises');

export type SupervisedLossName = 'hs' | 'ns' | 'softmax' | 'ova';
const LOSS_CODES: Record<SupervisedLossName, number> = { hs: 1, ns: 2, softmax: 3, ova: 4 };
const LOSS_NAMES = ['', 'hs', 'ns', 'softmax', 'ova'] as const;
const MODEL_SUPERVISED = 3;

export interface SupervisedArgs {
  dim: number;
  ws: number;
  epoch: number;
  minCount: number;
  neg: number;
  wordNgrams: number;
  loss: SupervisedLossName;
  bucket: number;
  minn: number;
  maxn: number;
  lrUpdateRate: number;
  t: number;
}

export interface SupervisedModelParts {
  args: SupervisedArgs;
  words: string[];
  wordCounts: number[];
  labels: string[];
  labelCounts: number[];
  ntokens: number;
  /** Input rows × stride floats: words, then buckets (all of them, or those `bucketRows` maps). */
  input: Float32Array;
  stride: number;
  /** bucket → row of `input` (−1: never trained, zero); undefined when `input` has every bucket. */
  bucketRows?: Int32Array;
  /** One row per label, stride floats each. */
  output: Float32Array;
}

/** Reads a fastText supervised .bin. */
export async function readFastTextSupervised(path: string): Promise<SupervisedModelParts> {
  let data: Buffer;
  try {
    const size = (await stat(path)).size;
    if (size > 2 ** 31 - 1) throw new Wasm2VecError(`${path}: ${size} bytes is more than this reader loads (2 GiB)`);
    data = await readFile(path);
  } catch (err) {
    throw wrapSystemError(path, 'read', err);
  }
  let p = 0;
  const fail = (offset: number, message: string): never => {
    throw new Wasm2VecError(`${path}: byte offset ${offset}: ${message}`);
  };
  const need = (n: number, what: string) => {
    if (p + n > data.length) fail(p, `truncated file: ${what} needs ${n} bytes but the file ends after ${data.length - p}`);
  };
  const i32 = (what: string) => (need(4, what), (p += 4), data.readInt32LE(p - 4));
  const i64 = (what: string) => (need(8, what), (p += 8), Number(data.readBigInt64LE(p - 8)));
  if (data.length === 0) fail(0, 'file is empty');
  const magic = i32('the magic number');
  if (magic !== FASTTEXT_MAGIC) fail(0, `not a fastText model (magic ${magic}, expected ${FASTTEXT_MAGIC})`);
  const version = i32('the version');
  if (version !== FASTTEXT_VERSION && version !== 11) fail(4, `fastText format version ${version} is not supported (expected 11 or 12)`);
  const fields = ['dim', 'ws', 'epoch', 'minCount', 'neg', 'wordNgrams', 'loss', 'model', 'bucket', 'minn', 'maxn', 'lrUpdateRate'];
  const raw: Record<string, number> = {};
  const at: Record<string, number> = {};
  for (const f of fields) (at[f] = p), (raw[f] = i32(`the argument ${f}`));
  need(8, 'the argument t');
  const t = data.readDoubleLE(p);
  p += 8;
  if (raw.model !== MODEL_SUPERVISED) fail(at.model, `not a supervised model (model ${raw.model}); read skipgram and cbow models with readEmbeddings`);
  const loss = LOSS_NAMES[raw.loss] as SupervisedLossName | '' | undefined;
  if (!loss) fail(at.loss, `unknown loss ${raw.loss} (expected 1 hs, 2 ns, 3 softmax, 4 ova)`);
  if (!(raw.dim >= 1 && raw.dim <= 100_000)) fail(at.dim, `dimension ${raw.dim} is out of range`);
  if (raw.bucket < 0) fail(at.bucket, `negative bucket count ${raw.bucket}`);
  const sizeAt = p;
  const size = i32('the dictionary size');
  const nwords = i32('the word count');
  const nlabels = i32('the label count');
  const ntokens = i64('the token count');
  const pruneAt = p;
  const pruned = i64('the pruned-index size');
  if (size < 0 || nwords < 0 || nlabels < 1 || size !== nwords + nlabels) {
    fail(sizeAt, `inconsistent dictionary: size ${size}, ${nwords} words, ${nlabels} labels`);
  }
  if (size * 11 > data.length - p) fail(sizeAt, `dictionary of ${size} entries cannot fit in the ${data.length - p} bytes left`);
  const words: string[] = [];
  const wordCounts: number[] = [];
  const labels: string[] = [];
  const labelCounts: number[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for (let e = 0; e < size; e++) {
    const entryAt = p;
    const nul = data.indexOf(0, p);
    if (nul < 0) fail(p, `truncated file: entry ${e} has no terminating NUL`);
    const word = decoder.decode(data.subarray(p, nul));
    p = nul + 1;
    const count = i64(`the count of entry ${e}`);
    need(1, `the type of entry ${e}`);
    const type = data[p++];
    if (type === 0 && e < nwords) (words.push(word), wordCounts.push(count));
    else if (type === 1 && e >= nwords) (labels.push(word), labelCounts.push(count));
    else fail(entryAt, `entry ${e} ${JSON.stringify(word.slice(0, 40))} has type ${type}; words (0) come first, then labels (1)`);
  }
  if (pruned > 0) fail(pruneAt, 'pruned (quantized) models are not supported');
  need(1, 'the quantization flag');
  if (data[p++] !== 0) fail(p - 1, 'quantized models (.ftz) are not supported');
  const matrix = (what: string, rows: number): Float32Array => {
    const headerAt = p;
    const m = i64(`the ${what} row count`);
    const n = i64(`the ${what} column count`);
    if (m !== rows || n !== raw.dim) fail(headerAt, `the ${what} matrix is ${m} × ${n}, expected ${rows} × ${raw.dim}`);
    need(m * n * 4, `the ${what} matrix`);
    const values = new Float32Array(m * n);
    new Uint8Array(values.buffer).set(data.subarray(p, p + m * n * 4));
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) fail(p + i * 4, `the ${what} matrix holds a non-finite value (row ${Math.floor(i / n)})`);
    }
    p += m * n * 4;
    return values;
  };
  const input = matrix('input', nwords + raw.bucket);
  need(1, 'the output quantization flag');
  if (data[p++] !== 0) fail(p - 1, 'quantized output matrices are not supported');
  const output = matrix('output', nlabels);
  if (p !== data.length) fail(p, `${data.length - p} unexpected bytes after the output matrix`);
  return {
    args: {
      dim: raw.dim, ws: raw.ws, epoch: raw.epoch, minCount: raw.minCount, neg: raw.neg, wordNgrams: raw.wordNgrams, loss: loss as SupervisedLossName,
      bucket: raw.bucket, minn: raw.minn, maxn: raw.maxn, lrUpdateRate: raw.lrUpdateRate, t,
    },
    words, wordCounts, labels, labelCounts, ntokens, input, stride: raw.dim, output,
  };
}

/** Writes a supervised model as fastText 0.9.2's .bin, atomically. */
export async function writeFastTextSupervised(path: string, parts: SupervisedModelParts): Promise<void> {
  try {
    await writeFileAtomic(path, (out) => writeSupervisedTo(out, parts));
  } catch (err) {
    throw wrapSystemError(path, 'write', err);
  }
}

export async function writeSupervisedTo(out: WritableLike, parts: SupervisedModelParts): Promise<void> {
  const { args, words, labels } = parts;
  const dim = args.dim;
  const header = Buffer.alloc(64);
  let p = 0;
  for (const v of [FASTTEXT_MAGIC, FASTTEXT_VERSION, dim, args.ws, args.epoch, args.minCount, args.neg, args.wordNgrams, LOSS_CODES[args.loss],
    MODEL_SUPERVISED, args.bucket, args.minn, args.maxn, args.lrUpdateRate]) p = header.writeInt32LE(v, p);
  header.writeDoubleLE(args.t, p);
  await out.write(header);
  const dict = Buffer.alloc(28);
  dict.writeInt32LE(words.length + labels.length, 0);
  dict.writeInt32LE(words.length, 4);
  dict.writeInt32LE(labels.length, 8);
  dict.writeBigInt64LE(BigInt(parts.ntokens), 12);
  dict.writeBigInt64LE(-1n, 20);
  await out.write(dict);
  const entry = async (word: string, count: number, type: number) => {
    if (word.includes('\0') || word === '') throw new Wasm2VecError(`cannot write ${JSON.stringify(word)} to a fastText model: empty or holds a NUL`);
    const bytes = Buffer.from(word, 'utf8');
    const tail = Buffer.alloc(10);
    tail.writeBigInt64LE(BigInt(Math.round(count)), 1);
    tail[9] = type;
    await out.write(Buffer.concat([bytes, tail]));
  };
  for (let i = 0; i < words.length; i++) await entry(words[i], parts.wordCounts[i], 0);
  for (let i = 0; i < labels.length; i++) await entry(labels[i], parts.labelCounts[i], 1);
  await out.write(new Uint8Array([0]));
  // Input matrix: words' rows, then every bucket (the compact rows where they were trained).
  const rows = words.length + args.bucket;
  await writeMatrixHeader(out, rows, dim);
  const rowOf = (r: number): number => {
    if (r < words.length || !parts.bucketRows) return r;
    return parts.bucketRows[r - words.length];
  };
  await writeRows(out, parts.input, parts.stride, dim, rows, rowOf);
  await out.write(new Uint8Array([0]));
  await writeMatrixHeader(out, labels.length, dim);
  await writeRows(out, parts.output, parts.stride, dim, labels.length, (r) => r);
}

async function writeMatrixHeader(out: WritableLike, rows: number, cols: number): Promise<void> {
  const b = Buffer.alloc(16);
  b.writeBigInt64LE(BigInt(rows), 0);
  b.writeBigInt64LE(BigInt(cols), 8);
  await out.write(b);
}

const ROWS_PER_WRITE = 4096;

async function writeRows(out: WritableLike, m: Float32Array, stride: number, dim: number, rows: number, rowOf: (r: number) => number): Promise<void> {
  const chunk = new Float32Array(ROWS_PER_WRITE * dim);
  for (let first = 0; first < rows; first += ROWS_PER_WRITE) {
    const count = Math.min(ROWS_PER_WRITE, rows - first);
    chunk.fill(0);
    for (let i = 0; i < count; i++) {
      const source = rowOf(first + i);
      if (source < 0) continue;
      for (let c = 0; c < dim; c++) {
        const v = m[source * stride + c];
        if (!Number.isFinite(v)) throw new Wasm2VecError(`row ${first + i} of the model holds a non-finite value (${v}): the training diverged; lower lr`);
        chunk[i * dim + c] = v;
      }
    }
    await out.write(new Uint8Array(chunk.buffer, 0, count * dim * 4));
  }
}

// @ts-nocheck — AssemblyScript, compiled by asc (bench/micro/scalar-wasm.ts), not by tsc.
//
// Scalar WebAssembly versions of the product kernels, for the micro-benchmarks only: the same
// algorithms, memory layout and config blocks as assembly/vecmath.ts, assembly/w2v.ts and
// assembly/similarity.ts, but one f32 at a time. This module is compiled WITHOUT the SIMD feature
// (`--enable threads` only), so neither asc nor Binaryen can emit a v128 instruction; the only
// difference from the product build is the vector width. Dot products keep four scalar
// accumulators (the same dependency-chain length as the SIMD kernels' lanes).

// Config block and worker block offsets: mirror assembly/w2v.ts and src/word2vec-layout.ts.
const C_MODE = 0;
const C_DIM = 4;
const C_WINDOW = 8;
const C_NEGATIVE = 12;
const C_VOCAB_SIZE = 16;
const C_START_ALPHA = 20;
const C_MIN_ALPHA = 24;
const C_INPUT = 28;
const C_OUTPUT = 32;
const C_NOISE_THRESHOLD = 36;
const C_NOISE_ALIAS = 40;
const C_KEEP = 44;
const C_SIGMOID = 48;
const C_SUBSAMPLE = 52;
const C_ABORT = 56;
const C_WORDS_DONE = 64;
const C_WORDS_TOTAL = 72;
const C_MAX_SENTENCE = 80;

const W_RANDOM = 0;
const W_ALPHA = 8;
const W_HIDDEN = 16;
const W_GRADIENT = 20;
const W_SENTENCE = 24;

const MAX_EXP: f32 = 6;
const SIGMOID_SCALE: f32 = 83;
const ALPHA_REFRESH_WORDS = 10000;

/** An empty export: the cost of a JS → WebAssembly call and nothing else. */
export function noop(): void {}

/** An export with the signature of trainWord2VecChunk that does no work: call cost with 4 arguments and an i32 result. */
export function noop4(a: usize, b: usize, c: usize, d: i32): i32 {
  return d;
}

function nextRandom(state: u64): u64 {
  return state * 25214903917 + 11;
}

/** Sum of a[i]*b[i], n a multiple of 4, with four scalar accumulators. */
function dotS(a: usize, b: usize, n: i32): f32 {
  let s0: f32 = 0;
  let s1: f32 = 0;
  let s2: f32 = 0;
  let s3: f32 = 0;
  const bytes = <usize>n << 2;
  for (let i: usize = 0; i < bytes; i += 16) {
    s0 += load<f32>(a + i) * load<f32>(b + i);
    s1 += load<f32>(a + i, 4) * load<f32>(b + i, 4);
    s2 += load<f32>(a + i, 8) * load<f32>(b + i, 8);
    s3 += load<f32>(a + i, 12) * load<f32>(b + i, 12);
  }
  return (s0 + s1) + (s2 + s3);
}

function axpyS(alpha: f32, x: usize, y: usize, n: i32): void {
  const bytes = <usize>n << 2;
  for (let i: usize = 0; i < bytes; i += 4) store<f32>(y + i, load<f32>(y + i) + alpha * load<f32>(x + i));
}

function accumulateAndUpdateS(g: f32, input: usize, output: usize, gradient: usize, n: i32): void {
  const bytes = <usize>n << 2;
  for (let i: usize = 0; i < bytes; i += 4) {
    const out = load<f32>(output + i);
    store<f32>(gradient + i, load<f32>(gradient + i) + g * out);
    store<f32>(output + i, out + g * load<f32>(input + i));
  }
}

function zeroS(x: usize, n: i32): void {
  const bytes = <usize>n << 2;
  for (let i: usize = 0; i < bytes; i += 4) store<f32>(x + i, 0);
}

function addS(x: usize, y: usize, n: i32): void {
  const bytes = <usize>n << 2;
  for (let i: usize = 0; i < bytes; i += 4) store<f32>(y + i, load<f32>(y + i) + load<f32>(x + i));
}

function scaleS(alpha: f32, x: usize, n: i32): void {
  const bytes = <usize>n << 2;
  for (let i: usize = 0; i < bytes; i += 4) store<f32>(x + i, alpha * load<f32>(x + i));
}

export function dotScalar(a: usize, b: usize, n: i32): f32 {
  return dotS(a, b, n);
}

export function axpyScalar(alpha: f32, x: usize, y: usize, n: i32): void {
  axpyS(alpha, x, y, n);
}

/** out[r] = rows[r] · query, as assembly/similarity.ts scoreRows. */
export function scoreRowsScalar(matrix: usize, rows: i32, stride: i32, query: usize, out: usize): void {
  const rowBytes = <usize>stride << 2;
  let row = matrix;
  for (let r = 0; r < rows; r++) {
    store<f32>(out + (<usize>r << 2), dotS(row, query, stride));
    row += rowBytes;
  }
}

function gradient(f: f32, label: f32, alpha: f32, sigmoid: usize): f32 {
  if (f > MAX_EXP) return (label - 1) * alpha;
  if (f < -MAX_EXP) return label * alpha;
  return (label - load<f32>(sigmoid + (<usize>(<i32>((f + MAX_EXP) * SIGMOID_SCALE)) << 2))) * alpha;
}

function noiseWord(random: u64, vocabSize: i32, threshold: usize, alias: usize): i32 {
  const product = (random >> 32) * <u64>vocabSize;
  const column = <i32>(product >> 32);
  const coin = <u32>product;
  const accept = coin < load<u32>(threshold + (<usize>column << 2));
  return select<i32>(column, load<i32>(alias + (<usize>column << 2)), accept);
}

function negativeSampling(
  config: usize, input: usize, gradientRow: usize, word: i32, random: u64, alpha: f32, dim: i32, negative: i32,
): u64 {
  const output = <usize>load<u32>(config + C_OUTPUT);
  const threshold = <usize>load<u32>(config + C_NOISE_THRESHOLD);
  const alias = <usize>load<u32>(config + C_NOISE_ALIAS);
  const sigmoid = <usize>load<u32>(config + C_SIGMOID);
  const vocabSize = load<i32>(config + C_VOCAB_SIZE);
  const rowBytes = <usize>dim << 2;
  for (let d = 0; d <= negative; d++) {
    let target = word;
    let label: f32 = 1;
    if (d > 0) {
      random = nextRandom(random);
      target = noiseWord(random, vocabSize, threshold, alias);
      if (target == word) continue;
      label = 0;
    }
    const outputRow = output + <usize>target * rowBytes;
    const g = gradient(dotS(input, outputRow, dim), label, alpha, sigmoid);
    accumulateAndUpdateS(g, input, outputRow, gradientRow, dim);
  }
  return random;
}

/** assembly/w2v.ts trainWord2VecChunk, line for line, with the scalar primitives above. */
export function trainWord2VecChunkScalar(config: usize, worker: usize, ids: usize, count: i32): i32 {
  const mode = load<i32>(config + C_MODE);
  const dim = load<i32>(config + C_DIM);
  const window = load<i32>(config + C_WINDOW);
  const negative = load<i32>(config + C_NEGATIVE);
  const startAlpha = load<f32>(config + C_START_ALPHA);
  const minAlpha = load<f32>(config + C_MIN_ALPHA);
  const input = <usize>load<u32>(config + C_INPUT);
  const keep = <usize>load<u32>(config + C_KEEP);
  const subsample = load<i32>(config + C_SUBSAMPLE) != 0;
  const wordsTotal = load<i64>(config + C_WORDS_TOTAL);
  const maxSentence = load<i32>(config + C_MAX_SENTENCE);
  const hidden = <usize>load<u32>(worker + W_HIDDEN);
  const gradientRow = <usize>load<u32>(worker + W_GRADIENT);
  const sentence = <usize>load<u32>(worker + W_SENTENCE);
  const rowBytes = <usize>dim << 2;

  let random = load<u64>(worker + W_RANDOM);
  let alpha = load<f32>(worker + W_ALPHA);
  let pendingWords: i64 = 0;
  let position = 0;
  let aborted = false;

  while (position < count) {
    if (atomic.load<i32>(config + C_ABORT) != 0) {
      aborted = true;
      break;
    }
    if (pendingWords > ALPHA_REFRESH_WORDS) {
      const done = atomic.add<i64>(config + C_WORDS_DONE, pendingWords) + pendingWords;
      pendingWords = 0;
      alpha = startAlpha * (1 - <f32>(<f64>done / <f64>(wordsTotal + 1)));
      if (alpha < minAlpha) alpha = minAlpha;
    }
    let length = 0;
    while (position < count) {
      const word = load<i32>(ids + (<usize>position << 2));
      position++;
      pendingWords++;
      if (word == 0) break;
      if (subsample) {
        random = nextRandom(random);
        if (load<f32>(keep + (<usize>word << 2)) < <f32>(random & 0xffff) / 65536) continue;
      }
      store<i32>(sentence + (<usize>length << 2), word);
      length++;
      if (length >= maxSentence) break;
    }
    for (let center = 0; center < length; center++) {
      const word = load<i32>(sentence + (<usize>center << 2));
      random = nextRandom(random);
      const shrink = <i32>(random % <u64>window);
      const first = max(center - window + shrink, 0);
      const last = min(center + window - shrink, length - 1);
      if (mode == 0) {
        for (let c = first; c <= last; c++) {
          if (c == center) continue;
          const contextRow = input + <usize>load<i32>(sentence + (<usize>c << 2)) * rowBytes;
          zeroS(gradientRow, dim);
          random = negativeSampling(config, contextRow, gradientRow, word, random, alpha, dim, negative);
          addS(gradientRow, contextRow, dim);
        }
      } else {
        zeroS(hidden, dim);
        let contextWords = 0;
        for (let c = first; c <= last; c++) {
          if (c == center) continue;
          addS(input + <usize>load<i32>(sentence + (<usize>c << 2)) * rowBytes, hidden, dim);
          contextWords++;
        }
        if (contextWords == 0) continue;
        scaleS(1 / <f32>contextWords, hidden, dim);
        zeroS(gradientRow, dim);
        random = negativeSampling(config, hidden, gradientRow, word, random, alpha, dim, negative);
        for (let c = first; c <= last; c++) {
          if (c == center) continue;
          addS(gradientRow, input + <usize>load<i32>(sentence + (<usize>c << 2)) * rowBytes, dim);
        }
      }
    }
  }

  if (pendingWords > 0) atomic.add<i64>(config + C_WORDS_DONE, pendingWords);
  store<u64>(worker + W_RANDOM, random);
  store<f32>(worker + W_ALPHA, alpha);
  return aborted ? -1 : position;
}

// GloVe: assembly/glove.ts trainGloveChunk with one float at a time. Training config block offsets
// mirror src/glove-layout.ts TRAIN_CONFIG.
const T_STRIDE = 0;
const T_ROW_BYTES = 4;
const T_WORDS = 8;
const T_CONTEXTS = 12;
const T_ETA = 16;
const T_CLIP = 20;
const T_ABORT = 24;
const T_PAIRS_DONE = 32;

export function trainGloveChunkScalar(config: usize, records: usize, count: i32): f64 {
  const stride = load<i32>(config + T_STRIDE);
  const rowBytes = <usize>load<i32>(config + T_ROW_BYTES);
  const words = <usize>load<u32>(config + T_WORDS);
  const contexts = <usize>load<u32>(config + T_CONTEXTS);
  const eta = load<f32>(config + T_ETA);
  const clip = load<f32>(config + T_CLIP);
  const vectorBytes = <usize>stride << 2;
  let cost: f64 = 0;
  for (let i = 0; i < count; i++) {
    if ((i & 0xfff) == 0 && atomic.load<i32>(config + T_ABORT) != 0) return -1;
    const record = records + (<usize>i << 4);
    const a = words + <usize>load<u32>(record) * rowBytes;
    const b = contexts + <usize>load<u32>(record, 4) * rowBytes;
    const logX = load<f32>(record, 8);
    const weight = load<f32>(record, 12);
    const gradA = a + vectorBytes;
    const gradB = b + vectorBytes;
    const biasA = gradA + vectorBytes;
    const biasB = gradB + vectorBytes;
    const diff = dotS(a, b, stride) + load<f32>(biasA) + load<f32>(biasB) - logX;
    const fdiff = weight * diff;
    if (!isFinite(diff) || !isFinite(fdiff)) continue;
    cost += 0.5 * <f64>fdiff * <f64>diff;
    for (let o: usize = 0; o < vectorBytes; o += 4) {
      const wa = load<f32>(a + o);
      const wb = load<f32>(b + o);
      const ga = load<f32>(gradA + o);
      const gb = load<f32>(gradB + o);
      const ta = min<f32>(max<f32>(fdiff * wb, -clip), clip) * eta;
      const tb = min<f32>(max<f32>(fdiff * wa, -clip), clip) * eta;
      store<f32>(a + o, wa - ta / Mathf.sqrt(ga));
      store<f32>(b + o, wb - tb / Mathf.sqrt(gb));
      store<f32>(gradA + o, ga + ta * ta);
      store<f32>(gradB + o, gb + tb * tb);
    }
    const gba = load<f32>(biasA, 4);
    const gbb = load<f32>(biasB, 4);
    store<f32>(biasA, load<f32>(biasA) - fdiff / Mathf.sqrt(gba));
    store<f32>(biasB, load<f32>(biasB) - fdiff / Mathf.sqrt(gbb));
    const f2 = fdiff * fdiff;
    store<f32>(biasA, gba + f2, 4);
    store<f32>(biasB, gbb + f2, 4);
  }
  atomic.add<i64>(config + T_PAIRS_DONE, <i64>count);
  return cost;
}

// Plain TypeScript versions of the kernels: what one would write without WebAssembly. They run on
// the same shared memory, the same layout and config blocks as the WebAssembly kernels (Float32Array
// views over memory.buffer), so every variant of a benchmark trains or scores the same data.
//
// Differences from assembly/w2v.ts, each the natural choice in JavaScript:
// - arithmetic is in doubles, rounded to f32 only when stored in the Float32Arrays;
// - the random generator is a 32-bit LCG (Math.imul), because word2vec.c's 64-bit LCG needs BigInt,
//   which is far slower; the draws use its high bits, as the kernel does.
import { CONFIG, WORKER } from '../../src/word2vec/layout.js';

export interface MemoryViews {
  f32: Float32Array;
  i32: Int32Array;
  u32: Uint32Array;
}

export function memoryViews(memory: WebAssembly.Memory): MemoryViews {
  return { f32: new Float32Array(memory.buffer), i32: new Int32Array(memory.buffer), u32: new Uint32Array(memory.buffer) };
}

/** Σ a[i]·b[i] over n floats (n a multiple of 4) with four accumulators, as the scalar WebAssembly kernel. Offsets in floats. */
export function dotJs(f32: Float32Array, a: number, b: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < n; i += 4) {
    s0 += f32[a + i] * f32[b + i];
    s1 += f32[a + i + 1] * f32[b + i + 1];
    s2 += f32[a + i + 2] * f32[b + i + 2];
    s3 += f32[a + i + 3] * f32[b + i + 3];
  }
  return s0 + s1 + (s2 + s3);
}

/** y += alpha·x. Offsets in floats. */
export function axpyJs(f32: Float32Array, alpha: number, x: number, y: number, n: number): void {
  for (let i = 0; i < n; i++) f32[y + i] += alpha * f32[x + i];
}

/** out[r] = rows[r] · query. Offsets in floats. */
export function scoreRowsJs(f32: Float32Array, matrix: number, rows: number, stride: number, query: number, out: number): void {
  let row = matrix;
  for (let r = 0; r < rows; r++) {
    f32[out + r] = dotJs(f32, row, query, stride);
    row += stride;
  }
}

const MAX_EXP = 6;
const SIGMOID_SCALE = 83;
const ALPHA_REFRESH_WORDS = 10000;

interface NoiseTables {
  output: number;
  threshold: number;
  alias: number;
  sigmoid: number;
  vocabSize: number;
  negative: number;
  dim: number;
}

/** One negative-sampling pass for the input row at float offset `inRow`; returns the advanced random state. */
function negativeSamplingJs(v: MemoryViews, t: NoiseTables, inRow: number, grad: number, word: number, random: number, alpha: number): number {
  const { f32, i32, u32 } = v;
  const dim = t.dim;
  for (let d = 0; d <= t.negative; d++) {
    let target = word;
    let label = 1;
    if (d > 0) {
      random = (Math.imul(random, 1664525) + 1013904223) >>> 0;
      const product = random * t.vocabSize;
      const column = Math.floor(product / 4294967296);
      const coin = product - column * 4294967296;
      target = coin < u32[t.threshold + column] ? column : i32[t.alias + column];
      if (target === word) continue;
      label = 0;
    }
    const outRow = t.output + target * dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < dim; i += 4) {
      s0 += f32[inRow + i] * f32[outRow + i];
      s1 += f32[inRow + i + 1] * f32[outRow + i + 1];
      s2 += f32[inRow + i + 2] * f32[outRow + i + 2];
      s3 += f32[inRow + i + 3] * f32[outRow + i + 3];
    }
    const x = s0 + s1 + (s2 + s3);
    let g: number;
    if (x > MAX_EXP) g = (label - 1) * alpha;
    else if (x < -MAX_EXP) g = label * alpha;
    else g = (label - f32[t.sigmoid + Math.trunc((x + MAX_EXP) * SIGMOID_SCALE)]) * alpha;
    for (let i = 0; i < dim; i++) {
      const out = f32[outRow + i];
      f32[grad + i] += g * out;
      f32[outRow + i] = out + g * f32[inRow + i];
    }
  }
  return random;
}

/** trainWord2VecChunk in plain TypeScript, reading the same config and worker blocks. */
export class JsWord2Vec {
  private readonly v: MemoryViews;
  private readonly wordsDone: BigInt64Array;
  private random: number;
  private alpha: number;

  constructor(memory: WebAssembly.Memory, private readonly config: number, private readonly worker: number, seed = 1) {
    this.v = memoryViews(memory);
    this.wordsDone = new BigInt64Array(memory.buffer, config + CONFIG.wordsDone, 1);
    this.random = seed >>> 0 || 1;
    this.alpha = new DataView(memory.buffer).getFloat32(worker + WORKER.alpha, true);
  }

  /** Trains on `count` ids at byte offset `ids`; returns the number of ids consumed. */
  trainChunk(ids: number, count: number): number {
    const { f32, i32, u32 } = this.v;
    const c = this.config >> 2;
    const mode = i32[c + CONFIG.mode / 4];
    const dim = i32[c + CONFIG.dim / 4];
    const window = i32[c + CONFIG.window / 4];
    const negative = i32[c + CONFIG.negative / 4];
    const vocabSize = i32[c + CONFIG.vocabSize / 4];
    const startAlpha = f32[c + CONFIG.startAlpha / 4];
    const minAlpha = f32[c + CONFIG.minAlpha / 4];
    const input = u32[c + CONFIG.input / 4] >> 2;
    const output = u32[c + CONFIG.output / 4] >> 2;
    const threshold = u32[c + CONFIG.noiseThreshold / 4] >> 2;
    const alias = u32[c + CONFIG.noiseAlias / 4] >> 2;
    const keep = u32[c + CONFIG.keep / 4] >> 2;
    const sigmoid = u32[c + CONFIG.sigmoid / 4] >> 2;
    const subsample = i32[c + CONFIG.subsample / 4] !== 0;
    const maxSentence = i32[c + CONFIG.maxSentence / 4];
    const wordsTotal = Number(new DataView(f32.buffer).getBigInt64(this.config + CONFIG.wordsTotal, true));
    const w = this.worker >> 2;
    const hidden = u32[w + WORKER.hidden / 4] >> 2;
    const grad = u32[w + WORKER.gradient / 4] >> 2;
    const sentence = u32[w + WORKER.sentence / 4] >> 2;
    const idBase = ids >> 2;
    const v = this.v;
    const t: NoiseTables = { output, threshold, alias, sigmoid, vocabSize, negative, dim };

    let random = this.random;
    let alpha = this.alpha;
    let pending = 0;
    let position = 0;

    while (position < count) {
      if (pending > ALPHA_REFRESH_WORDS) {
        const done = Number(Atomics.add(this.wordsDone, 0, BigInt(pending))) + pending;
        pending = 0;
        alpha = Math.max(startAlpha * (1 - done / (wordsTotal + 1)), minAlpha);
      }
      let length = 0;
      while (position < count) {
        const word = i32[idBase + position];
        position++;
        pending++;
        if (word === 0) break;
        if (subsample) {
          random = (Math.imul(random, 1664525) + 1013904223) >>> 0;
          if (f32[keep + word] < (random >>> 16) / 65536) continue;
        }
        i32[sentence + length] = word;
        length++;
        if (length >= maxSentence) break;
      }
      for (let center = 0; center < length; center++) {
        const word = i32[sentence + center];
        random = (Math.imul(random, 1664525) + 1013904223) >>> 0;
        const shrink = (random >>> 16) % window;
        const first = Math.max(center - window + shrink, 0);
        const last = Math.min(center + window - shrink, length - 1);
        if (mode === 0) {
          for (let ctx = first; ctx <= last; ctx++) {
            if (ctx === center) continue;
            const row = input + i32[sentence + ctx] * dim;
            f32.fill(0, grad, grad + dim);
            random = negativeSamplingJs(v, t, row, grad, word, random, alpha);
            for (let i = 0; i < dim; i++) f32[row + i] += f32[grad + i];
          }
        } else {
          f32.fill(0, hidden, hidden + dim);
          let contextWords = 0;
          for (let ctx = first; ctx <= last; ctx++) {
            if (ctx === center) continue;
            const row = input + i32[sentence + ctx] * dim;
            for (let i = 0; i < dim; i++) f32[hidden + i] += f32[row + i];
            contextWords++;
          }
          if (contextWords === 0) continue;
          const inv = 1 / contextWords;
          for (let i = 0; i < dim; i++) f32[hidden + i] *= inv;
          f32.fill(0, grad, grad + dim);
          random = negativeSamplingJs(v, t, hidden, grad, word, random, alpha);
          for (let ctx = first; ctx <= last; ctx++) {
            if (ctx === center) continue;
            const row = input + i32[sentence + ctx] * dim;
            for (let i = 0; i < dim; i++) f32[row + i] += f32[grad + i];
          }
        }
      }
    }
    if (pending > 0) Atomics.add(this.wordsDone, 0, BigInt(pending));
    this.random = random;
    this.alpha = alpha;
    return position;
  }
}

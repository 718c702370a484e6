// A scalar, obviously-correct transcription of word2vec.c's negative-sampling and
// hierarchical-softmax updates, used to
// check the SIMD kernel. Float operations are rounded to f32 in the same order as the kernel
// (two 4-lane accumulators in dot products), so both produce the same matrices.
const f = Math.fround;
const MASK64 = (1n << 64n) - 1n;

export interface ReferenceModel {
  mode: 'skipgram' | 'cbow';
  dim: number; // padded dimension
  window: number;
  negative: number;
  vocabSize: number;
  startAlpha: number;
  wordsTotal: number;
  subsample: boolean;
  input: Float32Array; // vocab × dim
  output: Float32Array;
  threshold: Uint32Array;
  alias: Int32Array;
  keep: Float32Array;
  sigmoid: Float32Array;
  maxSentence: number;
  update?: 'classic' | 'batched';
  /** Hierarchical softmax: syn1 ((vocab − 1) × dim) and the Huffman tree. */
  hs?: { output: Float32Array; codes: Uint8Array; points: Int32Array; starts: Int32Array; lengths: Int32Array };
  /** fastText subwords: word w's input rows are rows[offsets[w] .. offsets[w + 1]) (input has vocab + buckets rows). */
  subwords?: { offsets: Int32Array; rows: Int32Array };
}

export interface ReferenceState {
  random: bigint;
  alpha: number;
  wordsDone: number;
  /**
   * The training loss, if given: the sum of −log σ(s) (positive target, Huffman bit 0) and
   * −log σ(−s) (noise word, bit 1) with s clipped to ±6, computed exactly in f64 (the kernel reads
   * a table), and the predictions: (centre, context) pairs in skip-gram, centre words in CBOW.
   */
  loss?: { sum: number; predictions: number };
}

/** −log σ(s) for label 1, −log σ(−s) for label 0, s clipped to ±6. */
function lossTerm(s: number, label: number): number {
  const x = Math.min(6, Math.max(-6, s)) * (label === 1 ? -1 : 1);
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function tally(state: ReferenceState, s: number, label: number): void {
  if (state.loss) state.loss.sum += lossTerm(s, label);
}

function countPredictions(state: ReferenceState, n: number): void {
  if (state.loss) state.loss.predictions += n;
}

function next(random: bigint): bigint {
  return (random * 25214903917n + 11n) & MASK64;
}

function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  const acc0 = [0, 0, 0, 0];
  const acc1 = [0, 0, 0, 0];
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    for (let l = 0; l < 4; l++) {
      acc0[l] = f(acc0[l] + f(a[ao + i + l] * b[bo + i + l]));
      acc1[l] = f(acc1[l] + f(a[ao + i + 4 + l] * b[bo + i + 4 + l]));
    }
  }
  if (i < n) for (let l = 0; l < 4; l++) acc0[l] = f(acc0[l] + f(a[ao + i + l] * b[bo + i + l]));
  const acc = acc0.map((v, l) => f(v + acc1[l]));
  return f(f(f(acc[0] + acc[1]) + acc[2]) + acc[3]);
}

function gradient(m: ReferenceModel, x: number, label: number, alpha: number): number {
  if (x > 6) return f(f(label - 1) * alpha);
  if (x < -6) return f(label * alpha);
  const index = Math.trunc(f(f(x + 6) * 83));
  return f(f(label - m.sigmoid[index]) * alpha);
}

function noiseWord(m: ReferenceModel, random: bigint): number {
  const product = (random >> 32n) * BigInt(m.vocabSize);
  const column = Number(product >> 32n);
  const coin = Number(product & 0xffffffffn);
  return coin < m.threshold[column] ? column : m.alias[column];
}

function negativeSampling(m: ReferenceModel, inputRow: Float32Array, io: number, grad: Float32Array, word: number, state: ReferenceState): void {
  for (let d = 0; d <= m.negative; d++) {
    let target = word;
    let label = 1;
    if (d > 0) {
      state.random = next(state.random);
      target = noiseWord(m, state.random);
      if (target === word) continue;
      label = 0;
    }
    const oo = target * m.dim;
    const score = dot(inputRow, io, m.output, oo, m.dim);
    tally(state, score, label);
    const g = gradient(m, score, label, state.alpha);
    for (let c = 0; c < m.dim; c++) {
      const out = m.output[oo + c];
      grad[c] = f(grad[c] + f(g * out));
      m.output[oo + c] = f(out + f(g * inputRow[io + c]));
    }
  }
}

/** word2vec.c's hierarchical-softmax loop over the Huffman path of `word`. */
function hierarchicalSoftmax(m: ReferenceModel, inputRow: Float32Array, io: number, grad: Float32Array, word: number, state: ReferenceState): void {
  const alpha = state.alpha;
  const hs = m.hs!;
  for (let d = hs.starts[word]; d < hs.starts[word] + hs.lengths[word]; d++) {
    const oo = hs.points[d] * m.dim;
    const x = dot(inputRow, io, hs.output, oo, m.dim);
    // The loss counts every node, also those the update skips.
    tally(state, x, 1 - hs.codes[d]);
    if (x <= -6 || x >= 6) continue;
    const sigma = m.sigmoid[Math.trunc(f(f(x + 6) * 83))];
    const g = f(f(1 - hs.codes[d] - sigma) * alpha);
    for (let c = 0; c < m.dim; c++) {
      const out = hs.output[oo + c];
      grad[c] = f(grad[c] + f(g * out));
      hs.output[oo + c] = f(out + f(g * inputRow[io + c]));
    }
  }
}

/** The batched (HogBatch) skip-gram step for one centre word, in the kernel's order of operations. */
function skipGramBatch(m: ReferenceModel, state: ReferenceState, word: number, contexts: number[]): void {
  if (contexts.length === 0) return;
  const targets = [word];
  for (let d = 0; d < m.negative; d++) {
    state.random = next(state.random);
    const target = noiseWord(m, state.random);
    // A noise word drawn again for the same centre word is kept once (see assembly/w2v.ts).
    if (target !== word && !targets.includes(target, 1)) targets.push(target);
  }
  const g = contexts.map((c) => targets.map((t, j) => {
    const score = dot(m.input, c * m.dim, m.output, t * m.dim, m.dim);
    tally(state, score, j === 0 ? 1 : 0);
    return gradient(m, score, j === 0 ? 1 : 0, state.alpha);
  }));
  countPredictions(state, contexts.length);
  const deltas = contexts.map((_, i) => {
    const delta = new Float32Array(m.dim);
    targets.forEach((t, j) => {
      for (let k = 0; k < m.dim; k++) delta[k] = f(delta[k] + f(g[i][j] * m.output[t * m.dim + k]));
    });
    return delta;
  });
  targets.forEach((t, j) => {
    contexts.forEach((c, i) => {
      for (let k = 0; k < m.dim; k++) m.output[t * m.dim + k] = f(m.output[t * m.dim + k] + f(g[i][j] * m.input[c * m.dim + k]));
    });
  });
  contexts.forEach((c, i) => {
    for (let k = 0; k < m.dim; k++) m.input[c * m.dim + k] = f(m.input[c * m.dim + k] + deltas[i][k]);
  });
}

/** hidden = mean of the input rows of the given words (their own rows and n-gram rows); returns the row count. */
function subwordMean(m: ReferenceModel, words: number[], hidden: Float32Array): number {
  const sw = m.subwords!;
  hidden.fill(0);
  let count = 0;
  for (const w of words) {
    for (let r = sw.offsets[w]; r < sw.offsets[w + 1]; r++) {
      for (let k = 0; k < m.dim; k++) hidden[k] = f(hidden[k] + m.input[sw.rows[r] * m.dim + k]);
      count++;
    }
  }
  if (count > 0) {
    const inv = f(1 / count);
    for (let k = 0; k < m.dim; k++) hidden[k] = f(inv * hidden[k]);
  }
  return count;
}

/** Adds the gradient to every input row of the given words (fastText: the whole gradient to each row). */
function subwordUpdate(m: ReferenceModel, words: number[], grad: Float32Array): void {
  const sw = m.subwords!;
  for (const w of words) {
    for (let r = sw.offsets[w]; r < sw.offsets[w + 1]; r++) {
      for (let k = 0; k < m.dim; k++) m.input[sw.rows[r] * m.dim + k] = f(m.input[sw.rows[r] * m.dim + k] + grad[k]);
    }
  }
}

/** fastText's skip-gram (centre predicts context) and CBOW with subwords; 'batched' shares the centre's mean per window. */
function subwordStep(m: ReferenceModel, state: ReferenceState, word: number, contexts: number[], hidden: Float32Array, grad: Float32Array): void {
  const loss = (target: number) => {
    if (m.hs) hierarchicalSoftmax(m, hidden, 0, grad, target, state);
    if (m.negative > 0) negativeSampling(m, hidden, 0, grad, target, state);
    countPredictions(state, 1);
  };
  if (m.mode === 'cbow') {
    if (subwordMean(m, contexts, hidden) === 0) return;
    grad.fill(0);
    loss(word);
    subwordUpdate(m, contexts, grad);
  } else if (m.update === 'batched') {
    subwordMean(m, [word], hidden);
    grad.fill(0);
    for (const c of contexts) loss(c);
    if (contexts.length > 0) subwordUpdate(m, [word], grad);
  } else {
    for (const c of contexts) {
      subwordMean(m, [word], hidden);
      grad.fill(0);
      loss(c);
      subwordUpdate(m, [word], grad);
    }
  }
}

/** Trains on `ids` exactly as trainWord2VecChunk does; returns the number of ids consumed. */
export function referenceChunk(m: ReferenceModel, state: ReferenceState, ids: Int32Array): number {
  let pending = 0;
  let position = 0;
  const sentence: number[] = [];
  const grad = new Float32Array(m.dim);
  const hidden = new Float32Array(m.dim);
  while (position < ids.length) {
    if (pending > 10000) {
      state.wordsDone += pending;
      pending = 0;
      state.alpha = f(m.startAlpha * f(1 - f(state.wordsDone / (m.wordsTotal + 1))));
      const minAlpha = f(m.startAlpha * 1e-4);
      if (state.alpha < minAlpha) state.alpha = minAlpha;
    }
    sentence.length = 0;
    while (position < ids.length) {
      const word = ids[position++];
      pending++;
      if (word === 0) break;
      if (m.subsample) {
        state.random = next(state.random);
        const coin = m.subwords ? (state.random >> 40n) & 0xffffn : state.random & 0xffffn;
        if (m.keep[word] < f(f(Number(coin)) / 65536)) continue;
      }
      sentence.push(word);
      if (sentence.length >= m.maxSentence) break;
    }
    for (let center = 0; center < sentence.length; center++) {
      const word = sentence[center];
      state.random = next(state.random);
      const shrink = Number(state.random % BigInt(m.window));
      const first = Math.max(center - m.window + shrink, 0);
      const last = Math.min(center + m.window - shrink, sentence.length - 1);
      if (m.subwords) {
        const contexts: number[] = [];
        for (let c = first; c <= last; c++) if (c !== center) contexts.push(sentence[c]);
        subwordStep(m, state, word, contexts, hidden, grad);
      } else if (m.mode === 'skipgram' && m.update === 'batched' && !m.hs) {
        const contexts: number[] = [];
        for (let c = first; c <= last; c++) if (c !== center) contexts.push(sentence[c]);
        skipGramBatch(m, state, word, contexts);
      } else if (m.mode === 'skipgram') {
        for (let c = first; c <= last; c++) {
          if (c === center) continue;
          const io = sentence[c] * m.dim;
          grad.fill(0);
          if (m.hs) hierarchicalSoftmax(m, m.input, io, grad, word, state);
          if (m.negative > 0) negativeSampling(m, m.input, io, grad, word, state);
          countPredictions(state, 1);
          for (let k = 0; k < m.dim; k++) m.input[io + k] = f(m.input[io + k] + grad[k]);
        }
      } else {
        hidden.fill(0);
        let count = 0;
        for (let c = first; c <= last; c++) {
          if (c === center) continue;
          const io = sentence[c] * m.dim;
          for (let k = 0; k < m.dim; k++) hidden[k] = f(hidden[k] + m.input[io + k]);
          count++;
        }
        if (count === 0) continue;
        const inv = f(1 / count);
        for (let k = 0; k < m.dim; k++) hidden[k] = f(inv * hidden[k]);
        grad.fill(0);
        if (m.hs) hierarchicalSoftmax(m, hidden, 0, grad, word, state);
        if (m.negative > 0) negativeSampling(m, hidden, 0, grad, word, state);
        countPredictions(state, 1);
        for (let c = first; c <= last; c++) {
          if (c === center) continue;
          const io = sentence[c] * m.dim;
          for (let k = 0; k < m.dim; k++) m.input[io + k] = f(m.input[io + k] + grad[k]);
        }
      }
    }
  }
  state.wordsDone += pending;
  return position;
}

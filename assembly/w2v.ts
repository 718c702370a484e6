// Word2Vec with negative sampling and/or hierarchical softmax (skip-gram and CBOW), following
// word2vec.c update for update.
// The kernel trains a whole chunk of token ids per call; all state it keeps between calls
// (random state, learning rate) lives in the caller's worker block, all shared state in the
// config block. Layout offsets mirror src/word2vec-layout.ts.
import { dot, axpy, accumulateAndUpdate, zero, add, scale } from './vecmath';
import { nextRandom } from './random';
import { subwordSkipGram, subwordCbow } from './subwords';

// Config block (shared by all workers, read-only except the word counter and abort flag).
const C_MODE = 0; //             i32: 0 skip-gram, 1 CBOW
const C_DIM = 4; //              i32: padded dimension (multiple of 4)
const C_WINDOW = 8; //           i32
const C_NEGATIVE = 12; //        i32
const C_VOCAB_SIZE = 16; //      i32
const C_START_ALPHA = 20; //     f32
const C_MIN_ALPHA = 24; //       f32
const C_INPUT = 28; //           ptr: input vectors (syn0), vocab × dim
const C_OUTPUT = 32; //          ptr: output vectors (syn1neg), vocab × dim
const C_NOISE_THRESHOLD = 36; // ptr: u32 per word, alias-method acceptance threshold (× 2^32)
const C_NOISE_ALIAS = 40; //     ptr: i32 per word, alias-method alternative
const C_KEEP = 44; //            ptr: f32 per word, subsampling keep probability (word2vec.c's `ran`)
const C_SIGMOID = 48; //         ptr: f32 × 1000, word2vec.c's expTable
const C_SUBSAMPLE = 52; //       i32: 1 if subsampling is on
const C_ABORT = 56; //           i32: set to 1 to stop all workers at the next sentence
const C_WORDS_DONE = 64; //      i64: words processed by all workers (atomic)
const C_WORDS_TOTAL = 72; //     i64: epochs × training words
const C_MAX_SENTENCE = 80; //    i32: word2vec.c's MAX_SENTENCE_LENGTH
const C_UPDATE = 84; //          i32: 0 classic per-pair updates, 1 batched (skip-gram, negative sampling only)
const C_HS = 88; //              i32: 1 if hierarchical softmax is on
const C_HS_OUTPUT = 92; //       ptr: hierarchical softmax vectors (syn1), (vocab − 1) inner nodes × dim
const C_HS_CODES = 96; //        ptr: u8 per path node, the Huffman code bit
const C_HS_POINTS = 100; //      ptr: i32 per path node, the inner node's row in syn1
const C_HS_PATHS = 104; //       ptr: i32 pair per word: first path node, path length
const C_SUBWORDS = 108; //       i32: 1 for fastText-style subword training (see assembly/subwords.ts)
const C_SUBWORD_OFFSETS = 112; // ptr: i32 per word + 1, start of the word's rows in C_SUBWORD_ROWS
const C_SUBWORD_ROWS = 116; //   ptr: i32 input-matrix rows (the word's own, then its n-gram buckets)

// Worker block (one per worker, cache-line aligned).
const W_RANDOM = 0; //    u64
const W_ALPHA = 8; //     f32
const W_HIDDEN = 16; //   ptr: dim floats (CBOW's mean of context)
const W_GRADIENT = 20; // ptr: dim floats (neu1e)
const W_SENTENCE = 24; // ptr: max-sentence i32
// Scratch of the batched update: sized for 2·window contexts and negative+1 targets.
const W_CONTEXTS = 28; // ptr: i32 row addresses of the context words
const W_TARGETS = 32; //  ptr: i32 row addresses of the positive word and the noise words
const W_SCORES = 36; //   ptr: f32 contexts × targets gradient scales
const W_DELTAS = 40; //   ptr: f32 contexts × dim input-vector updates

const SKIP_GRAM = 0;
const BATCHED = 1;
const MAX_EXP: f32 = 6;
// word2vec.c computes EXP_TABLE_SIZE / MAX_EXP / 2 in integer arithmetic: 1000 / 6 / 2 = 83.
const SIGMOID_SCALE: f32 = 83;
// word2vec.c refreshes the learning rate every 10 000 words.
const ALPHA_REFRESH_WORDS = 10000;

/** Gradient scale for one (input, target) pair: (label − σ(f)) · alpha, with word2vec.c's clipping. */
@inline
function gradient(f: f32, label: f32, alpha: f32, sigmoid: usize): f32 {
  if (f > MAX_EXP) return (label - 1) * alpha;
  if (f < -MAX_EXP) return label * alpha;
  return (label - load<f32>(sigmoid + (<usize>(<i32>((f + MAX_EXP) * SIGMOID_SCALE)) << 2))) * alpha;
}

/**
 * Draws a noise word from the unigram^0.75 distribution with the alias method: the high 32 random
 * bits times the vocabulary size give the column (high half) and the coin (low half) in one multiply.
 */
@inline
function noiseWord(random: u64, vocabSize: i32, threshold: usize, alias: usize): i32 {
  const product = (random >> 32) * <u64>vocabSize;
  const column = <i32>(product >> 32);
  const coin = <u32>product;
  const accept = coin < load<u32>(threshold + (<usize>column << 2));
  return select<i32>(column, load<i32>(alias + (<usize>column << 2)), accept);
}

/**
 * Negative-sampling update of one input vector (a skip-gram context row or CBOW's hidden mean)
 * against the positive word and `negative` noise words; accumulates the input gradient.
 * Returns the advanced random state.
 */
@inline
export function negativeSampling(
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
    const g = gradient(dot(input, outputRow, dim), label, alpha, sigmoid);
    accumulateAndUpdate(g, input, outputRow, gradientRow, dim);
  }
  return random;
}

/**
 * Hierarchical-softmax update of one input vector (a skip-gram context row or CBOW's hidden mean)
 * along the Huffman path of `word`; accumulates the input gradient. As word2vec.c, a node whose
 * score is outside ±MAX_EXP is skipped, and g = (1 − code − σ(f)) · alpha.
 */
@inline
export function hierarchicalSoftmax(config: usize, input: usize, gradientRow: usize, word: i32, alpha: f32, dim: i32): void {
  const output = <usize>load<u32>(config + C_HS_OUTPUT);
  const codes = <usize>load<u32>(config + C_HS_CODES);
  const points = <usize>load<u32>(config + C_HS_POINTS);
  const path = <usize>load<u32>(config + C_HS_PATHS) + (<usize>word << 3);
  const sigmoid = <usize>load<u32>(config + C_SIGMOID);
  const start = <usize>load<i32>(path);
  const end = start + <usize>load<i32>(path, 4);
  const rowBytes = <usize>dim << 2;
  for (let d = start; d < end; d++) {
    const outputRow = output + <usize>load<i32>(points + (d << 2)) * rowBytes;
    const f = dot(input, outputRow, dim);
    if (f <= -MAX_EXP || f >= MAX_EXP) continue;
    const label: f32 = load<u8>(codes + d) != 0 ? 0 : 1;
    const g = (label - load<f32>(sigmoid + (<usize>(<i32>((f + MAX_EXP) * SIGMOID_SCALE)) << 2))) * alpha;
    accumulateAndUpdate(g, input, outputRow, gradientRow, dim);
  }
}

/**
 * Skip-gram update for one centre word with its context words as a minibatch (HogBatch, Ji et al.
 * 2016): every context shares the positive target and one draw of noise words, so the noise rows
 * are fetched once per centre word instead of once per pair, and the update is three small dense
 * products: scores = contexts · targetsᵀ, Δcontexts = G · targets, Δtargets = Gᵀ · contexts.
 * Returns the advanced random state.
 */
@inline
function skipGramBatch(
  config: usize, worker: usize, sentence: usize, center: i32, first: i32, last: i32, random: u64, alpha: f32, dim: i32, negative: i32,
): u64 {
  const input = <usize>load<u32>(config + C_INPUT);
  const output = <usize>load<u32>(config + C_OUTPUT);
  const threshold = <usize>load<u32>(config + C_NOISE_THRESHOLD);
  const alias = <usize>load<u32>(config + C_NOISE_ALIAS);
  const sigmoid = <usize>load<u32>(config + C_SIGMOID);
  const vocabSize = load<i32>(config + C_VOCAB_SIZE);
  const contexts = <usize>load<u32>(worker + W_CONTEXTS);
  const targets = <usize>load<u32>(worker + W_TARGETS);
  const scores = <usize>load<u32>(worker + W_SCORES);
  const deltas = <usize>load<u32>(worker + W_DELTAS);
  const rowBytes = <usize>dim << 2;
  const word = load<i32>(sentence + (<usize>center << 2));

  let batch = 0;
  for (let c = first; c <= last; c++) {
    if (c == center) continue;
    store<u32>(contexts + (<usize>batch << 2), <u32>(input + <usize>load<i32>(sentence + (<usize>c << 2)) * rowBytes));
    batch++;
  }
  if (batch == 0) return random;
  store<u32>(targets, <u32>(output + <usize>word * rowBytes));
  let targetCount = 1;
  for (let d = 0; d < negative; d++) {
    random = nextRandom(random);
    const target = noiseWord(random, vocabSize, threshold, alias);
    if (target == word) continue;
    store<u32>(targets + (<usize>targetCount << 2), <u32>(output + <usize>target * rowBytes));
    targetCount++;
  }

  // G[i][j] = (label_j − σ(context_i · target_j)) · alpha; target 0 is the positive word.
  for (let i = 0; i < batch; i++) {
    const context = <usize>load<u32>(contexts + (<usize>i << 2));
    const row = scores + (<usize>(i * targetCount) << 2);
    for (let j = 0; j < targetCount; j++) {
      const target = <usize>load<u32>(targets + (<usize>j << 2));
      store<f32>(row + (<usize>j << 2), gradient(dot(context, target, dim), j == 0 ? 1 : 0, alpha, sigmoid));
    }
  }
  // Δcontext_i = Σ_j G[i][j] · target_j, from the targets as they were before this update.
  for (let i = 0; i < batch; i++) {
    const row = scores + (<usize>(i * targetCount) << 2);
    const delta = deltas + <usize>i * rowBytes;
    zero(delta, dim);
    for (let j = 0; j < targetCount; j++) axpy(load<f32>(row + (<usize>j << 2)), <usize>load<u32>(targets + (<usize>j << 2)), delta, dim);
  }
  // target_j += Σ_i G[i][j] · context_i, from the contexts as they were.
  for (let j = 0; j < targetCount; j++) {
    const target = <usize>load<u32>(targets + (<usize>j << 2));
    for (let i = 0; i < batch; i++) {
      axpy(load<f32>(scores + (<usize>(i * targetCount + j) << 2)), <usize>load<u32>(contexts + (<usize>i << 2)), target, dim);
    }
  }
  for (let i = 0; i < batch; i++) add(deltas + <usize>i * rowBytes, <usize>load<u32>(contexts + (<usize>i << 2)), dim);
  return random;
}

/**
 * Trains on `count` token ids at `ids`. Id 0 is the end-of-line token `</s>`, which ends a
 * sentence as in word2vec.c. Returns the number of ids consumed, or −1 if the abort flag was set.
 */
export function trainWord2VecChunk(config: usize, worker: usize, ids: usize, count: i32): i32 {
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
  const hs = load<i32>(config + C_HS) != 0;
  // Hierarchical softmax always takes the classic per-pair path.
  const batched = load<i32>(config + C_UPDATE) == BATCHED && !hs;
  const subwords = load<i32>(config + C_SUBWORDS) != 0;
  const subwordOffsets = <usize>load<u32>(config + C_SUBWORD_OFFSETS);
  const subwordRows = <usize>load<u32>(config + C_SUBWORD_ROWS);
  // word2vec.c draws the subsampling coin from the LCG's low 16 bits, which repeat every 2^16
  // draws; word2vec models keep that for fidelity. fastText draws a proper uniform number, and
  // with subwords the low bits cost 0.5–0.9 analogy points on text8_head, so those take bits 40–55.
  const subsampleShift: u64 = subwords ? 40 : 0;
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

    // Read one sentence, dropping subsampled words (word2vec.c windows over the kept words).
    let length = 0;
    while (position < count) {
      const word = load<i32>(ids + (<usize>position << 2));
      position++;
      pendingWords++;
      if (word == 0) break;
      if (subsample) {
        random = nextRandom(random);
        if (load<f32>(keep + (<usize>word << 2)) < <f32>((random >> subsampleShift) & 0xffff) / 65536) continue;
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
      if (subwords) {
        const shared = load<i32>(config + C_UPDATE) == BATCHED;
        if (mode == SKIP_GRAM) {
          random = subwordSkipGram(config, hidden, gradientRow, sentence, center, first, last, random, alpha, dim, negative, hs, shared, subwordOffsets, subwordRows);
        } else {
          random = subwordCbow(config, hidden, gradientRow, sentence, center, first, last, random, alpha, dim, negative, hs, subwordOffsets, subwordRows);
        }
      } else if (mode == SKIP_GRAM && batched) {
        random = skipGramBatch(config, worker, sentence, center, first, last, random, alpha, dim, negative);
      } else if (mode == SKIP_GRAM) {
        for (let c = first; c <= last; c++) {
          if (c == center) continue;
          const contextRow = input + <usize>load<i32>(sentence + (<usize>c << 2)) * rowBytes;
          zero(gradientRow, dim);
          if (hs) hierarchicalSoftmax(config, contextRow, gradientRow, word, alpha, dim);
          if (negative > 0) random = negativeSampling(config, contextRow, gradientRow, word, random, alpha, dim, negative);
          add(gradientRow, contextRow, dim);
        }
      } else {
        zero(hidden, dim);
        let contextWords = 0;
        for (let c = first; c <= last; c++) {
          if (c == center) continue;
          add(input + <usize>load<i32>(sentence + (<usize>c << 2)) * rowBytes, hidden, dim);
          contextWords++;
        }
        if (contextWords == 0) continue;
        scale(1 / <f32>contextWords, hidden, dim);
        zero(gradientRow, dim);
        if (hs) hierarchicalSoftmax(config, hidden, gradientRow, word, alpha, dim);
        if (negative > 0) random = negativeSampling(config, hidden, gradientRow, word, random, alpha, dim, negative);
        for (let c = first; c <= last; c++) {
          if (c == center) continue;
          add(gradientRow, input + <usize>load<i32>(sentence + (<usize>c << 2)) * rowBytes, dim);
        }
      }
    }
  }

  if (pendingWords > 0) atomic.add<i64>(config + C_WORDS_DONE, pendingWords);
  store<u64>(worker + W_RANDOM, random);
  store<f32>(worker + W_ALPHA, alpha);
  return aborted ? -1 : position;
}

/**
 * Initial input vectors: uniform in [−0.5, 0.5) · width / dim from word2vec.c's LCG seeded with
 * `seed`; width 1 is word2vec.c's range, width 2 fastText's [−1/dim, 1/dim).
 * Padding lanes (dim..stride) are left at zero so they never contribute to a dot product.
 * Returns the random state, so that a matrix can be filled in blocks of rows with one sequence.
 */
export function initWord2VecMatrix(matrix: usize, rows: i32, dim: i32, stride: i32, seed: u64, width: f32): u64 {
  let random = seed;
  const scale: f32 = width / <f32>dim;
  for (let r = 0; r < rows; r++) {
    const row = matrix + (<usize>r * <usize>stride << 2);
    for (let c = 0; c < dim; c++) {
      random = nextRandom(random);
      store<f32>(row + (<usize>c << 2), (<f32>(random & 0xffff) / 65536 - 0.5) * scale);
    }
    for (let c = dim; c < stride; c++) store<f32>(row + (<usize>c << 2), 0);
  }
  return random;
}

/**
 * Initialises only the listed rows (i32 row numbers at `rowList`), as initWord2VecMatrix does whole
 * matrices: subword models initialise the rows vocabulary words and their n-grams use and leave
 * the other bucket rows untouched (zero, and never paged in). Returns the random state.
 */
export function initWord2VecRows(matrix: usize, rowList: usize, count: i32, dim: i32, stride: i32, seed: u64, width: f32): u64 {
  let random = seed;
  for (let i = 0; i < count; i++) {
    const row = <usize>load<i32>(rowList + (<usize>i << 2));
    random = initWord2VecMatrix(matrix + (row * <usize>stride << 2), 1, dim, stride, random, width);
  }
  return random;
}

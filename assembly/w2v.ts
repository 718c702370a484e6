// Word2Vec with negative sampling and/or hierarchical softmax (skip-gram and CBOW), following
// word2vec.c update for update.
// The kernel trains a whole chunk of token ids per call; all state it keeps between calls
// (random state, learning rate) lives in the caller's worker block, all shared state in the
// config block. Block offsets come from src/abi/word2vec.ts.
import {
  C_MODE, C_DIM, C_WINDOW, C_NEGATIVE, C_VOCAB_SIZE, C_START_ALPHA, C_MIN_ALPHA, C_INPUT, C_OUTPUT, C_NOISE_THRESHOLD, C_NOISE_ALIAS, C_KEEP, C_SIGMOID, C_SUBSAMPLE, C_ABORT, C_WORDS_DONE, C_WORDS_TOTAL, C_MAX_SENTENCE, C_UPDATE, C_HS, C_HS_OUTPUT, C_HS_CODES, C_HS_POINTS, C_HS_PATHS, C_SUBWORDS, C_SUBWORD_OFFSETS, C_SUBWORD_ROWS, W_RANDOM, W_ALPHA, W_HIDDEN, W_GRADIENT, W_SENTENCE, W_CONTEXTS, W_TARGETS, W_SCORES, W_DELTAS,
} from '../src/abi/word2vec';
import { dot, axpy, accumulateAndUpdate, zero, add, scale } from './vecmath';
import { nextRandom } from './random';
import { subwordSkipGram, subwordCbow } from './subwords';
import {
  gradient, noiseWord, negativeSampling, hierarchicalSoftmax, beginLossTally, endLossTally, tallyTerm, tallyPredictions,
} from './losses';

const SKIP_GRAM = 0;
const BATCHED = 1;
// word2vec.c refreshes the learning rate every 10 000 words.
const ALPHA_REFRESH_WORDS = 10000;

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
    const row = <u32>(output + <usize>target * rowBytes);
    // A noise word drawn again is kept once. The batch updates every target from the same stale
    // scores, so k copies of a row would move it k times as far (word2vec.c's sequential updates
    // shrink each repeat's gradient instead); at high negative the most frequent words are drawn
    // tens of times per centre word and the rows diverge to NaN (issue #13).
    if (isDrawn(targets, targetCount, row)) continue;
    store<u32>(targets + (<usize>targetCount << 2), row);
    targetCount++;
  }

  // G[i][j] = (label_j − σ(context_i · target_j)) · alpha; target 0 is the positive word.
  for (let i = 0; i < batch; i++) {
    const context = <usize>load<u32>(contexts + (<usize>i << 2));
    const row = scores + (<usize>(i * targetCount) << 2);
    for (let j = 0; j < targetCount; j++) {
      const target = <usize>load<u32>(targets + (<usize>j << 2));
      const f = dot(context, target, dim);
      const label: f32 = j == 0 ? 1 : 0;
      tallyTerm(f, label);
      store<f32>(row + (<usize>j << 2), gradient(f, label, alpha, sigmoid));
    }
  }
  tallyPredictions(batch);
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

/** Whether `row` is among the first `count` target rows (noise draws are few: a scan is cheapest). */
@inline
function isDrawn(targets: usize, count: i32, row: u32): bool {
  for (let j = 1; j < count; j++) if (load<u32>(targets + (<usize>j << 2)) == row) return true;
  return false;
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
  beginLossTally(config);

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
        tallyPredictions(last - first);
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
        tallyPredictions(1);
        for (let c = first; c <= last; c++) {
          if (c == center) continue;
          add(gradientRow, input + <usize>load<i32>(sentence + (<usize>c << 2)) * rowBytes, dim);
        }
      }
    }
  }

  if (pendingWords > 0) atomic.add<i64>(config + C_WORDS_DONE, pendingWords);
  endLossTally(worker);
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

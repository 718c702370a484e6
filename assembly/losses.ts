// The losses of word2vec's updates, shared by the word kernel (assembly/w2v.ts) and the subword
// kernel (assembly/subwords.ts), which import this file and not each other: word2vec.c's clipped
// sigmoid gradient, the alias-method noise draw, negative sampling and hierarchical softmax, and the
// training-loss tally (fastText's loss: −log σ(s) for a positive target or a Huffman bit 0,
// −log σ(−s) for a noise word or a bit 1, summed per prediction).
import {
  C_OUTPUT, C_NOISE_THRESHOLD, C_NOISE_ALIAS, C_SIGMOID, C_VOCAB_SIZE, C_HS_OUTPUT, C_HS_CODES, C_HS_POINTS, C_HS_PATHS,
  C_LOSS, C_LOSS_TABLE, W_LOSS, W_PREDICTIONS, LOSS_BINS, LOSS_MAX_X,
} from '../src/abi/word2vec';
import { dot, axpy, accumulateAndUpdate } from './vecmath';
import { nextRandom } from './random';

const MAX_EXP: f32 = 6;
// word2vec.c computes EXP_TABLE_SIZE / MAX_EXP / 2 in integer arithmetic: 1000 / 6 / 2 = 83.
const SIGMOID_SCALE: f32 = 83;

// The tally of the chunk being trained. Globals are per module instance, so per worker thread.
let tallyLoss = false;
let lossTable: usize = 0;
let lossSum: f64 = 0;
let predictions: f64 = 0;
const LOSS_SCALE: f32 = <f32>LOSS_BINS / (2 * <f32>LOSS_MAX_X);

/** Starts a chunk's tally (a no-op per term unless the config asks for the loss). */
export function beginLossTally(config: usize): void {
  tallyLoss = load<i32>(config + C_LOSS) != 0;
  lossTable = <usize>load<u32>(config + C_LOSS_TABLE);
  lossSum = 0;
  predictions = 0;
}

/** Adds the chunk's tally to the worker block, where the shard loop and progress ticks read it. */
export function endLossTally(worker: usize): void {
  if (!tallyLoss) return;
  store<f64>(worker + W_LOSS, load<f64>(worker + W_LOSS) + lossSum);
  store<f64>(worker + W_PREDICTIONS, load<f64>(worker + W_PREDICTIONS) + predictions);
}

/**
 * Tallies one term, −log σ(f) for label 1 and −log σ(−f) for label 0, f clipped to ±LOSS_MAX_X,
 * read from a table at the centre of f's bin: a term is off by at most half a bin (0.006) times
 * the slope (< 1), with no bias, so the mean over the millions of terms of a figure is exact to
 * about 1e-4 (test/word2vec/kernel.test.ts replays whole chunks with the exact logarithm).
 */
@inline
export function tallyTerm(f: f32, label: f32): void {
  if (!tallyLoss) return;
  const bin = min(max(<i32>((f + <f32>LOSS_MAX_X) * LOSS_SCALE), 0), LOSS_BINS - 1);
  lossSum += <f64>load<f32>(lossTable + (<usize>(label != 0 ? bin : bin + LOSS_BINS) << 2));
}

/** One term as tallyTerm adds it, for the tests (test/word2vec/loss.test.ts); not used in training. */
export function lossTermOf(config: usize, f: f32, label: f32): f64 {
  beginLossTally(config);
  tallyTerm(f, label);
  return lossSum;
}

/** Counts `n` predictions (the denominator of the mean loss). */
@inline
export function tallyPredictions(n: i32): void {
  if (tallyLoss) predictions += <f64>n;
}

/** Gradient scale for one (input, target) pair: (label − σ(f)) · alpha, with word2vec.c's clipping. */
@inline
export function gradient(f: f32, label: f32, alpha: f32, sigmoid: usize): f32 {
  if (f > MAX_EXP) return (label - 1) * alpha;
  if (f < -MAX_EXP) return label * alpha;
  return (label - load<f32>(sigmoid + (<usize>(<i32>((f + MAX_EXP) * SIGMOID_SCALE)) << 2))) * alpha;
}

/**
 * Draws a noise word from the unigram^0.75 distribution with the alias method: the high 32 random
 * bits times the vocabulary size give the column (high half) and the coin (low half) in one multiply.
 */
@inline
export function noiseWord(random: u64, vocabSize: i32, threshold: usize, alias: usize): i32 {
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
    const f = dot(input, outputRow, dim);
    tallyTerm(f, label);
    const g = gradient(f, label, alpha, sigmoid);
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
    const label: f32 = load<u8>(codes + d) != 0 ? 0 : 1;
    // The loss counts every node of the path, also those word2vec.c skips (|f| ≥ MAX_EXP, clipped).
    tallyTerm(f, label);
    if (f <= -MAX_EXP || f >= MAX_EXP) continue;
    const g = (label - load<f32>(sigmoid + (<usize>(<i32>((f + MAX_EXP) * SIGMOID_SCALE)) << 2))) * alpha;
    accumulateAndUpdate(g, input, outputRow, gradientRow, dim);
  }
}

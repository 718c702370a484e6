// fastText's supervised model (text classification), update for update as fastText 0.9.2's
// Model::update: the hidden vector is the mean of the example's input rows (words and word n-gram
// buckets), a loss (softmax, one-vs-all, negative sampling or hierarchical softmax over the labels)
// updates the output rows and gives the hidden gradient, which is divided by the number of inputs
// and added to every input row. Examples come as a stream of i32 records written by
// src/supervised/examples.ts:  tokens, inputs, labels, input rows…, label ids…
// Block offsets come from src/abi/supervised.ts.
import {
  S_DIM, S_LOSS, S_LABELS, S_NEGATIVE, S_INPUT, S_OUTPUT, S_LR, S_ABORT, S_TOKENS_DONE, S_TOKENS_TOTAL, S_LR_UPDATE,
  S_NOISE_THRESHOLD, S_NOISE_ALIAS, S_HS_CODES, S_HS_POINTS, S_HS_PATHS,
  SW_RANDOM, SW_HIDDEN, SW_GRADIENT, SW_SCORES, SW_LOSS, SW_EXAMPLES,
  LOSS_SOFTMAX, LOSS_OVA, LOSS_NS, LOSS_HS,
} from '../src/abi/supervised';
import { dot, accumulateAndUpdate, zero, add, scale } from './vecmath';
import { nextRandom } from './random';
import { noiseWord } from './losses';

/** fastText's sigmoid saturates outside ±8 (MAX_SIGMOID); log is clamped at 1e-5 as std_log. */
const MAX_SIGMOID: f32 = 8;

@inline
function sigmoid(x: f32): f32 {
  if (x < -MAX_SIGMOID) return 0;
  if (x > MAX_SIGMOID) return 1;
  return 1 / (1 + Mathf.exp(-x));
}

@inline
function stdLog(x: f32): f32 {
  return Mathf.log(x + 1e-5);
}

/** fastText's BinaryLogisticLoss::binaryLogistic with backprop: returns the example's loss term. */
@inline
function binaryLogistic(output: usize, hidden: usize, gradient: usize, row: i32, positive: bool, lr: f32, dim: i32): f32 {
  const outputRow = output + (<usize>row * <usize>dim << 2);
  const score = sigmoid(dot(hidden, outputRow, dim));
  const alpha = lr * (<f32>(positive ? 1 : 0) - score);
  accumulateAndUpdate(alpha, hidden, outputRow, gradient, dim);
  return positive ? -stdLog(score) : -stdLog(1 - score);
}

/** Softmax of the output rows against `hidden` into `scores` (max subtracted first, as fastText). */
export function softmaxScores(output: usize, hidden: usize, scores: usize, labels: i32, dim: i32): void {
  let max: f32 = -Infinity;
  for (let i = 0; i < labels; i++) {
    const s = dot(hidden, output + (<usize>i * <usize>dim << 2), dim);
    store<f32>(scores + (<usize>i << 2), s);
    if (s > max) max = s;
  }
  let sum: f32 = 0;
  for (let i = 0; i < labels; i++) {
    const e = Mathf.exp(load<f32>(scores + (<usize>i << 2)) - max);
    store<f32>(scores + (<usize>i << 2), e);
    sum += e;
  }
  const inverse: f32 = 1 / sum;
  for (let i = 0; i < labels; i++) store<f32>(scores + (<usize>i << 2), load<f32>(scores + (<usize>i << 2)) * inverse);
}

/** hidden = mean of the `count` input rows listed at `rows`. */
export function meanOfRows(input: usize, rows: usize, count: i32, hidden: usize, dim: i32): void {
  zero(hidden, dim);
  for (let i = 0; i < count; i++) add(input + (<usize>load<i32>(rows + (<usize>i << 2)) * <usize>dim << 2), hidden, dim);
  if (count > 0) scale(1 / <f32>count, hidden, dim);
}

/**
 * One example's update (fastText's Model::update). `target` is the label drawn for softmax, ns and
 * hs; one-vs-all trains every label, positive for those in the list. Returns the example's loss.
 */
export function updateSupervised(config: usize, worker: usize, rows: usize, inputs: i32, labelIds: usize, labels: i32, target: i32, lr: f32): f32 {
  const dim = load<i32>(config + S_DIM);
  const loss = load<i32>(config + S_LOSS);
  const outputs = load<i32>(config + S_LABELS);
  const input = <usize>load<u32>(config + S_INPUT);
  const output = <usize>load<u32>(config + S_OUTPUT);
  const hidden = <usize>load<u32>(worker + SW_HIDDEN);
  const gradient = <usize>load<u32>(worker + SW_GRADIENT);
  meanOfRows(input, rows, inputs, hidden, dim);
  zero(gradient, dim);
  let value: f32 = 0;
  if (loss == LOSS_SOFTMAX) {
    const scores = <usize>load<u32>(worker + SW_SCORES);
    softmaxScores(output, hidden, scores, outputs, dim);
    for (let i = 0; i < outputs; i++) {
      const label: f32 = i == target ? 1 : 0;
      const alpha = lr * (label - load<f32>(scores + (<usize>i << 2)));
      accumulateAndUpdate(alpha, hidden, output + (<usize>i * <usize>dim << 2), gradient, dim);
    }
    value = -stdLog(load<f32>(scores + (<usize>target << 2)));
  } else if (loss == LOSS_OVA) {
    for (let i = 0; i < outputs; i++) {
      let positive = false;
      for (let j = 0; j < labels; j++) if (load<i32>(labelIds + (<usize>j << 2)) == i) positive = true;
      value += binaryLogistic(output, hidden, gradient, i, positive, lr, dim);
    }
  } else if (loss == LOSS_NS) {
    const negative = load<i32>(config + S_NEGATIVE);
    const threshold = <usize>load<u32>(config + S_NOISE_THRESHOLD);
    const alias = <usize>load<u32>(config + S_NOISE_ALIAS);
    let random = load<u64>(worker + SW_RANDOM);
    value = binaryLogistic(output, hidden, gradient, target, true, lr, dim);
    // fastText draws until the noise label differs from the target; with one label there is none.
    if (outputs > 1) {
      for (let d = 0; d < negative; d++) {
        let noise = target;
        while (noise == target) {
          random = nextRandom(random);
          noise = noiseWord(random, outputs, threshold, alias);
        }
        value += binaryLogistic(output, hidden, gradient, noise, false, lr, dim);
      }
    }
    store<u64>(worker + SW_RANDOM, random);
  } else if (loss == LOSS_HS) {
    const codes = <usize>load<u32>(config + S_HS_CODES);
    const points = <usize>load<u32>(config + S_HS_POINTS);
    const path = <usize>load<u32>(config + S_HS_PATHS) + (<usize>target << 3);
    const start = <usize>load<i32>(path);
    const end = start + <usize>load<i32>(path, 4);
    for (let d = start; d < end; d++) {
      value += binaryLogistic(output, hidden, gradient, load<i32>(points + (d << 2)), load<u8>(codes + d) != 0, lr, dim);
    }
  }
  // fastText's normalizeGradient for supervised models: the gradient is shared out over the inputs.
  if (inputs > 0) scale(1 / <f32>inputs, gradient, dim);
  for (let i = 0; i < inputs; i++) add(gradient, input + (<usize>load<i32>(rows + (<usize>i << 2)) * <usize>dim << 2), dim);
  return value;
}

/**
 * Trains on the examples between byte addresses `begin` and `end` of the stream (whole records),
 * at most `maxExamples` of them. The learning rate falls linearly with the tokens all workers
 * have processed, refreshed every lrUpdateRate tokens as fastText. Returns the address after the
 * last example trained, or 0 if the abort flag was set.
 */
export function trainSupervisedChunk(config: usize, worker: usize, begin: usize, end: usize, maxExamples: i32): usize {
  const startLr = load<f32>(config + S_LR);
  const tokensTotal = load<i64>(config + S_TOKENS_TOTAL);
  const lrUpdate = load<i32>(config + S_LR_UPDATE);
  const loss = load<i32>(config + S_LOSS);
  let random = load<u64>(worker + SW_RANDOM);
  let lossSum = load<f64>(worker + SW_LOSS);
  let examples = load<i64>(worker + SW_EXAMPLES);
  let pending: i64 = 0;
  let lr = startLr * <f32>(1 - <f64>atomic.load<i64>(config + S_TOKENS_DONE) / <f64>tokensTotal);
  let p = begin;
  let done = 0;
  while (p < end && done < maxExamples) {
    if (atomic.load<i32>(config + S_ABORT) != 0) {
      atomic.add<i64>(config + S_TOKENS_DONE, pending);
      return 0;
    }
    const tokens = load<i32>(p);
    const inputs = load<i32>(p, 4);
    const labels = load<i32>(p, 8);
    const rows = p + 12;
    const labelIds = rows + (<usize>inputs << 2);
    if (inputs > 0 && labels > 0) {
      let target = 0;
      if (loss != LOSS_OVA) {
        random = nextRandom(random);
        target = load<i32>(labelIds + (<usize>(<i32>(((random >> 16) & 0xffffffff) % <u64>labels)) << 2));
      }
      store<u64>(worker + SW_RANDOM, random);
      lossSum += <f64>updateSupervised(config, worker, rows, inputs, labelIds, labels, target, lr);
      random = load<u64>(worker + SW_RANDOM);
      examples++;
    }
    pending += <i64>tokens;
    if (pending > <i64>lrUpdate) {
      const total = atomic.add<i64>(config + S_TOKENS_DONE, pending) + pending;
      pending = 0;
      const progress = <f64>total / <f64>tokensTotal;
      lr = startLr * <f32>(progress < 1 ? 1 - progress : 0);
    }
    p = labelIds + (<usize>labels << 2);
    done++;
  }
  atomic.add<i64>(config + S_TOKENS_DONE, pending);
  store<u64>(worker + SW_RANDOM, random);
  store<f64>(worker + SW_LOSS, lossSum);
  store<i64>(worker + SW_EXAMPLES, examples);
  return p;
}

/**
 * Fills `rows` rows of the input matrix uniformly in ±1/dim as fastText does, padding zeroed.
 * Draws from the LCG's high 24 bits: its low 16 bits (word2vec.c's initialisation) repeat every
 * 65 536 draws, which would give every 655th row of a dim-100 matrix the same start.
 * Returns the advanced random state, to continue in the next block.
 */
export function initSupervisedMatrix(matrix: usize, rows: i32, dim: i32, stride: i32, seed: u64): u64 {
  let random = seed;
  const scale: f32 = 2 / <f32>dim;
  for (let r = 0; r < rows; r++) {
    const row = matrix + (<usize>r * <usize>stride << 2);
    for (let c = 0; c < dim; c++) {
      random = nextRandom(random);
      store<f32>(row + (<usize>c << 2), (<f32>(<u32>(random >> 40)) / 16777216 - 0.5) * scale);
    }
    for (let c = dim; c < stride; c++) store<f32>(row + (<usize>c << 2), 0);
  }
  return random;
}

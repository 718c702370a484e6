// fastText's unsupervised models: the input of an update is the mean of a word's own row and its
// character n-gram rows (bucket rows after the vocabulary rows), so words share what their n-grams
// learn. The sentence loop, sampling and learning rate are word2vec's (assembly/w2v.ts), the losses
// assembly/losses.ts; this file holds the two updates that differ.
import { add, scale, zero } from './vecmath';
import { negativeSampling, hierarchicalSoftmax, tallyPredictions } from './losses';
import { C_INPUT } from '../src/abi/word2vec';

/** hidden += the rows of `word` (its own and its n-grams); returns how many were added. */
@inline
function addWordRows(input: usize, offsets: usize, rows: usize, word: i32, hidden: usize, rowBytes: usize, dim: i32): i32 {
  const start = load<i32>(offsets + (<usize>word << 2));
  const end = load<i32>(offsets + (<usize>word << 2), 4);
  for (let r = start; r < end; r++) add(input + <usize>load<i32>(rows + (<usize>r << 2)) * rowBytes, hidden, dim);
  return end - start;
}

/** hidden = the mean of the rows of `word` (its own and its n-grams). */
@inline
function meanWordRows(input: usize, offsets: usize, rows: usize, word: i32, hidden: usize, rowBytes: usize, dim: i32): void {
  zero(hidden, dim);
  const n = addWordRows(input, offsets, rows, word, hidden, rowBytes, dim);
  scale(1 / <f32>n, hidden, dim);
}

/** Adds the gradient to every row of `word`: fastText gives each row the whole gradient (no 1/n). */
@inline
function updateWordRows(input: usize, offsets: usize, rows: usize, word: i32, gradient: usize, rowBytes: usize, dim: i32): void {
  const start = load<i32>(offsets + (<usize>word << 2));
  const end = load<i32>(offsets + (<usize>word << 2), 4);
  for (let r = start; r < end; r++) add(gradient, input + <usize>load<i32>(rows + (<usize>r << 2)) * rowBytes, dim);
}

/**
 * Skip-gram with subwords: the centre word's mean row predicts each context word (fastText's
 * direction: input = centre, target = context). With `shared`, the mean is built once per centre
 * word and the gradients of all its context words are summed and applied to its rows once (the
 * rows are read and written once per window instead of once per pair); otherwise every pair
 * rebuilds the mean and updates the rows, as fastText does.
 */
export function subwordSkipGram(
  config: usize, hidden: usize, gradient: usize, sentence: usize, center: i32, first: i32, last: i32,
  random: u64, alpha: f32, dim: i32, negative: i32, hs: bool, shared: bool, offsets: usize, rows: usize,
): u64 {
  const input = <usize>load<u32>(config + C_INPUT);
  const rowBytes = <usize>dim << 2;
  const word = load<i32>(sentence + (<usize>center << 2));
  if (shared) {
    meanWordRows(input, offsets, rows, word, hidden, rowBytes, dim);
    zero(gradient, dim);
  }
  let pairs = 0;
  for (let c = first; c <= last; c++) {
    if (c == center) continue;
    const target = load<i32>(sentence + (<usize>c << 2));
    if (!shared) {
      meanWordRows(input, offsets, rows, word, hidden, rowBytes, dim);
      zero(gradient, dim);
    }
    if (hs) hierarchicalSoftmax(config, hidden, gradient, target, alpha, dim);
    if (negative > 0) random = negativeSampling(config, hidden, gradient, target, random, alpha, dim, negative);
    if (!shared) updateWordRows(input, offsets, rows, word, gradient, rowBytes, dim);
    pairs++;
  }
  tallyPredictions(pairs);
  if (shared && pairs > 0) updateWordRows(input, offsets, rows, word, gradient, rowBytes, dim);
  return random;
}

/** CBOW with subwords: the mean of all rows of all context words predicts the centre word. */
export function subwordCbow(
  config: usize, hidden: usize, gradient: usize, sentence: usize, center: i32, first: i32, last: i32,
  random: u64, alpha: f32, dim: i32, negative: i32, hs: bool, offsets: usize, rows: usize,
): u64 {
  const input = <usize>load<u32>(config + C_INPUT);
  const rowBytes = <usize>dim << 2;
  zero(hidden, dim);
  let n = 0;
  for (let c = first; c <= last; c++) {
    if (c == center) continue;
    n += addWordRows(input, offsets, rows, load<i32>(sentence + (<usize>c << 2)), hidden, rowBytes, dim);
  }
  if (n == 0) return random;
  scale(1 / <f32>n, hidden, dim);
  zero(gradient, dim);
  const word = load<i32>(sentence + (<usize>center << 2));
  if (hs) hierarchicalSoftmax(config, hidden, gradient, word, alpha, dim);
  if (negative > 0) random = negativeSampling(config, hidden, gradient, word, random, alpha, dim, negative);
  tallyPredictions(1);
  for (let c = first; c <= last; c++) {
    if (c == center) continue;
    updateWordRows(input, offsets, rows, load<i32>(sentence + (<usize>c << 2)), gradient, rowBytes, dim);
  }
  return random;
}

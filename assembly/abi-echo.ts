// Echoes of the config blocks as the kernels read them, for test/runtime/abi.test.ts: each field is
// loaded with the type and offset its kernel uses (w2v.ts, losses.ts, subwords.ts, glove.ts) and
// written out as an f64, so a test can check that the TypeScript layout writes every field where,
// and as what, the kernel reads it. Not used in training.
import {
  C_MODE, C_DIM, C_WINDOW, C_NEGATIVE, C_VOCAB_SIZE, C_START_ALPHA, C_MIN_ALPHA, C_INPUT, C_OUTPUT, C_NOISE_THRESHOLD,
  C_NOISE_ALIAS, C_KEEP, C_SIGMOID, C_SUBSAMPLE, C_ABORT, C_WORDS_DONE, C_WORDS_TOTAL, C_MAX_SENTENCE, C_UPDATE, C_HS,
  C_HS_OUTPUT, C_HS_CODES, C_HS_POINTS, C_HS_PATHS, C_SUBWORDS, C_SUBWORD_OFFSETS, C_SUBWORD_ROWS, C_LOSS, C_LOSS_TABLE,
  W_RANDOM, W_ALPHA, W_HIDDEN, W_GRADIENT, W_SENTENCE, W_CONTEXTS, W_TARGETS, W_SCORES, W_DELTAS, W_LOSS, W_PREDICTIONS,
} from '../src/abi/word2vec';
import { T_STRIDE, T_ROW_BYTES, T_WORDS, T_CONTEXTS, T_ETA, T_CLIP, T_ABORT, T_PAIRS_DONE } from '../src/abi/glove';

/** The word2vec config block, in the order of src/abi/word2vec.ts; returns the number of fields. */
export function echoWord2VecConfig(config: usize, out: usize): i32 {
  let i = 0;
  store<f64>(out + (<usize>(i++) << 3), <f64>load<i32>(config + C_MODE));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<i32>(config + C_DIM));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<i32>(config + C_WINDOW));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<i32>(config + C_NEGATIVE));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<i32>(config + C_VOCAB_SIZE));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<f32>(config + C_START_ALPHA));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<f32>(config + C_MIN_ALPHA));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(config + C_INPUT));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(config + C_OUTPUT));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(config + C_NOISE_THRESHOLD));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(config + C_NOISE_ALIAS));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(config + C_KEEP));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(config + C_SIGMOID));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<i32>(config + C_SUBSAMPLE));
  store<f64>(out + (<usize>(i++) << 3), <f64>atomic.load<i32>(config + C_ABORT));
  store<f64>(out + (<usize>(i++) << 3), <f64>atomic.load<i64>(config + C_WORDS_DONE));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<i64>(config + C_WORDS_TOTAL));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<i32>(config + C_MAX_SENTENCE));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<i32>(config + C_UPDATE));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<i32>(config + C_HS));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(config + C_HS_OUTPUT));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(config + C_HS_CODES));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(config + C_HS_POINTS));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(config + C_HS_PATHS));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<i32>(config + C_SUBWORDS));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(config + C_SUBWORD_OFFSETS));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(config + C_SUBWORD_ROWS));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<i32>(config + C_LOSS));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(config + C_LOSS_TABLE));
  return i;
}

/** A word2vec worker block, in the order of src/abi/word2vec.ts; the u64 random state as an f64. */
export function echoWord2VecWorker(worker: usize, out: usize): i32 {
  let i = 0;
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u64>(worker + W_RANDOM));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<f32>(worker + W_ALPHA));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(worker + W_HIDDEN));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(worker + W_GRADIENT));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(worker + W_SENTENCE));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(worker + W_CONTEXTS));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(worker + W_TARGETS));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(worker + W_SCORES));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(worker + W_DELTAS));
  store<f64>(out + (<usize>(i++) << 3), load<f64>(worker + W_LOSS));
  store<f64>(out + (<usize>(i++) << 3), load<f64>(worker + W_PREDICTIONS));
  return i;
}

/** GloVe's training config block, in the order of src/abi/glove.ts. */
export function echoGloveConfig(config: usize, out: usize): i32 {
  let i = 0;
  store<f64>(out + (<usize>(i++) << 3), <f64>load<i32>(config + T_STRIDE));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<i32>(config + T_ROW_BYTES));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(config + T_WORDS));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<u32>(config + T_CONTEXTS));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<f32>(config + T_ETA));
  store<f64>(out + (<usize>(i++) << 3), <f64>load<f32>(config + T_CLIP));
  store<f64>(out + (<usize>(i++) << 3), <f64>atomic.load<i32>(config + T_ABORT));
  store<f64>(out + (<usize>(i++) << 3), <f64>atomic.load<i64>(config + T_PAIRS_DONE));
  return i;
}

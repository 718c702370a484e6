// A GloVe run's memory as a GloveTrainingState (src/formats/wasm2vec-state.ts, version 2) and back:
// what checkpoints, saveState, resume and initialModel write and read (GloVe issue #170: AdaGrad's
// sums are part of the state, so a continued run's steps keep shrinking instead of restarting).
// Capturing takes views of the shared memory (the writer copies row by row), so it is only valid
// while every worker is parked at an iteration end or done.
import { Wasm2VecError } from '../errors.js';
import { END_OF_LINE } from '../corpus/tokenizer.js';
import {
  firstDifferingOption, gloveRowFloats, stateOptions, type GloveRows, type GloveSchedule, type GloveTrainingState,
} from '../formats/wasm2vec-state.js';
import type { TrainPlan } from './layout.js';
import type { GloveOptions, ResolvedGloveOptions } from './options.js';

/** Inputs, outputs, callbacks and resources: never saved, never compared. */
const UNSAVED_OPTIONS = new Set([
  'input', 'cooccur', 'saveCooccur', 'tempDir', 'planOnly', 'phrases', 'onProgress', 'onEpochEnd', 'signal', 'saveState', 'checkpoint', 'resume', 'initialModel', 'vectors',
]);

/**
 * Options a resumed run must share with its checkpoint: the ones that shape the vocabulary, the
 * co-occurrence counts (memory and maxProduct decide which counts are summed in which order, and so
 * their last bits), the shuffle, the matrices or the AdaGrad steps, and threads (each worker trains
 * its own slice of the records).
 */
export const GLOVE_RESUME_MUST_MATCH = [
  'dim', 'window', 'symmetric', 'minCount', 'maxVocabSize', 'maxProduct', 'memory', 'xMax', 'alpha', 'epochs', 'learningRate', 'gradClip',
  'threads', 'seed', 'tokenizer', 'lowercase', 'normalize',
] as const;

/** The resolved options as JSON values (what a state file stores). */
export function savedGloveOptions(o: ResolvedGloveOptions): Record<string, unknown> {
  const saved = stateOptions(o, UNSAVED_OPTIONS);
  // The byte budget is derived from `memory`: one of the two is enough.
  delete saved.memoryBytes;
  return saved;
}

/**
 * Options a continued run (initialModel) takes from its saved state when they are not given: the
 * model's shape and loss (dim, xMax, alpha), its AdaGrad settings (learningRate, gradClip), the seed
 * (so the same corpus is shuffled the same way), and, when it counts a corpus, the counting options.
 */
export function inheritedGloveOptions(saved: Record<string, unknown>, countsCorpus: boolean): Partial<GloveOptions> {
  const keys = ['dim', 'xMax', 'alpha', 'learningRate', 'gradClip', 'seed', 'memory', ...(countsCorpus ? ['window', 'symmetric', 'maxProduct', 'tokenizer', 'lowercase', 'normalize'] : [])];
  const out: Record<string, unknown> = {};
  for (const key of keys) if (saved[key] !== undefined && saved[key] !== null) out[key] = saved[key];
  return out as Partial<GloveOptions>;
}

/** Reads a checkpoint's options against this run's: a one-line error names the first difference. */
export function checkResumable(path: string, state: GloveTrainingState, o: ResolvedGloveOptions): void {
  const differs = firstDifferingOption(state.options, savedGloveOptions(o), GLOVE_RESUME_MUST_MATCH);
  if (differs) {
    throw new Wasm2VecError(
      `cannot resume from ${path}: option ${differs.name} is ${differs.now} but the checkpoint was trained with ${differs.saved}; resume with the checkpoint's options`,
    );
  }
  if (state.schedule.iterationsDone >= state.schedule.epochs) {
    throw new Wasm2VecError(`cannot resume from ${path}: its run finished all ${state.schedule.epochs} iterations; to train more, use it as initialModel (--init)`);
  }
}

/** The vocabulary this run counted (or read from a co-occurrence file) must be the state's: names the first difference. */
export function checkSameVocabulary(path: string, state: GloveTrainingState, words: readonly string[], counts: readonly number[] | undefined, what: string): void {
  const differs = (detail: string) => new Wasm2VecError(`cannot ${what} from ${path}: ${detail}`);
  if (words.length !== state.words.length) throw differs(`the corpus has ${words.length - 1} vocabulary words, the state ${state.words.length - 1}; give the same input and options`);
  for (let i = 0; i < words.length; i++) {
    if (words[i] !== state.words[i] || (counts !== undefined && counts[i] !== state.counts[i])) {
      throw differs(
        `word ${i} is ${JSON.stringify(words[i])}${counts ? ` × ${counts[i]}` : ''}, in the state ${JSON.stringify(state.words[i])}${counts ? ` × ${state.counts[i]}` : ''}; give the same input and options`,
      );
    }
  }
}

/**
 * Maps the ids of a corpus counted with minCount 1 onto a saved vocabulary (initialModel): the
 * line-break token stays id 0, known words take their saved ids, words not in the saved vocabulary
 * are dropped (−1). Returns the composed spool → saved-id remap and how many tokens were dropped.
 */
export function remapToSaved(
  saved: readonly string[], counted: { words: readonly string[]; counts: ArrayLike<number> }, spoolRemap: Int32Array,
): { remap: Int32Array; knownTokens: number; droppedTokens: number } {
  const index = new Map(saved.map((w, i) => [w, i]));
  const toSaved = new Int32Array(counted.words.length);
  let knownTokens = 0;
  let droppedTokens = 0;
  counted.words.forEach((w, i) => {
    const id = w === END_OF_LINE ? 0 : (index.get(w) ?? -1);
    toSaved[i] = id;
    if (w === END_OF_LINE) return;
    if (id >= 0) knownTokens += counted.counts[i];
    else droppedTokens += counted.counts[i];
  });
  return { remap: spoolRemap.map((id) => (id >= 0 ? toSaved[id] : -1)), knownTokens, droppedTokens };
}

/** One matrix of parameter rows (memory layout: vector | AdaGrad sums | bias, bias sum) as state rows. */
function rowsView(memory: WebAssembly.Memory, plan: TrainPlan, base: number, dim: number, rows: number): GloveRows {
  const rowFloats = plan.rowBytes / 4;
  const stride = plan.stride;
  // The memory does not grow while training (the records were placed before), so one view serves every row.
  const floats = new Float32Array(memory.buffer);
  return {
    rows,
    copyRow: (row, out, at) => {
      const r = base / 4 + row * rowFloats;
      out.set(floats.subarray(r, r + dim), at);
      out[at + dim] = floats[r + 2 * stride];
      out.set(floats.subarray(r + stride, r + stride + dim), at + dim + 1);
      out[at + 2 * dim + 1] = floats[r + 2 * stride + 1];
    },
  };
}

/** The run's state as views of its memory (valid while the workers are parked or done). */
export function captureGloveState(
  memory: WebAssembly.Memory, plan: TrainPlan, vocabulary: { words: string[]; counts: number[] }, o: ResolvedGloveOptions, schedule: GloveSchedule,
): GloveTrainingState {
  const rows = vocabulary.words.length;
  return {
    trainer: 'glove',
    options: savedGloveOptions(o),
    dim: o.dim,
    words: vocabulary.words,
    counts: vocabulary.counts,
    wordRows: rowsView(memory, plan, plan.words, o.dim, rows),
    contextRows: rowsView(memory, plan, plan.contexts, o.dim, rows),
    schedule: { ...schedule, costs: schedule.costs.slice() },
  };
}

/** Puts a state's vectors, biases and AdaGrad sums into a prepared run's parameter rows (padding lanes stay 0). */
export function restoreGloveState(memory: WebAssembly.Memory, plan: TrainPlan, state: GloveTrainingState): void {
  const dim = state.dim;
  const cols = gloveRowFloats(dim);
  const rowFloats = plan.rowBytes / 4;
  const stride = plan.stride;
  const floats = new Float32Array(memory.buffer);
  const row = new Float32Array(cols);
  for (const [table, base] of [[state.wordRows, plan.words], [state.contextRows, plan.contexts]] as const) {
    for (let i = 0; i < table.rows; i++) {
      table.copyRow(i, row, 0);
      const r = base / 4 + i * rowFloats;
      floats.set(row.subarray(0, dim), r);
      floats[r + 2 * stride] = row[dim];
      floats.set(row.subarray(dim + 1, 2 * dim + 1), r + stride);
      floats[r + 2 * stride + 1] = row[2 * dim + 1];
    }
  }
}

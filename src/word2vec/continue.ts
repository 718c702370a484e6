// Continued training (`initialModel`, --init) and fastText's -pretrainedVectors: how a saved state
// or a vectors file seeds a new run's memory.
//
// Vocabulary after `initialModel` (as gensim's build_vocab(update=True)): the saved words keep their
// ids, input rows and output rows (syn1neg); with `updateVocabulary`, words of the new text that
// are not in the saved vocabulary and occur at least minCount times in the new text are appended
// (most frequent first) with fresh random input rows and zero output rows; without it they are
// dropped. Counts are summed (saved + new text), and the noise distribution, the subsampling
// probabilities and the Huffman tree are all rebuilt from the summed counts, so with hierarchical
// softmax the saved syn1 rows are kept but their inner nodes may split the vocabulary differently
// (gensim does the same). Each epoch trains on the new text only; the learning rate restarts at
// alpha and decays linearly to alpha·1e-4 over the new run's words (as gensim's train() on new data).
//
// Forgetting, and the merge (`mergeSaved`, on by default): trained on the new text alone, the saved
// words drift towards what the new text says and lose much of what the saved model had learnt
// (gensim's behaviour: on text8_head halves, skip-gram's continued training ends 2.1 analogy points
// below one run on the whole text). So when the run ends, each saved word's input and output vectors
// become the count-weighted mean of its saved vector and its continued one, (c_saved·v_saved +
// c_new·v_continued) / (c_saved + c_new), as federated averaging weighs models by their data: the
// text seen before keeps its weight, and the result comes within 0.4 point of the run on the whole
// (bench/continue-training.ts; README "Forgetting, and the merge"). The n-gram bucket rows use the
// two texts' token totals. Epoch callbacks and checkpoints during the run see the unmerged vectors.
// Hierarchical softmax's inner nodes are not merged (the tree is rebuilt, so rows may change
// meaning). New words keep their continued vectors. `mergeSaved: false` keeps the continued vectors
// as they are: what domain adaptation wants, where the new text should win.
import { Wasm2VecError } from '../errors.js';
import { Vocabulary } from '../corpus/vocabulary.js';
import type { CountedVocabulary } from '../corpus/count-vocabulary.js';
import { readEmbeddings } from '../formats/index.js';
import type { StateMatrix, TrainingState } from '../formats/wasm2vec-state.js';
import { copyRows } from './state.js';
import type { Word2VecLayout } from './layout.js';

export interface MergedVocabulary {
  /** Merged words with their counts in the new text: what each epoch trains on (trainWords). */
  training: Vocabulary;
  /** Merged words with the summed counts: noise, subsampling, Huffman tree, the model's counts. */
  distribution: Vocabulary;
  /** Provisional id (the spool's) → merged id, −1 for dropped words. */
  remap: Int32Array;
  knownWords: number;
  addedWords: number;
}

/**
 * A fingerprint of a saved model (FNV-1a over its words, counts and input rows): what a resumed
 * continued run checks, so it merges the same saved vectors in as the run it resumes.
 */
export function stateFingerprint(state: TrainingState): string {
  let hash = 0x811c9dc5;
  const mix = (x: number) => {
    hash = Math.imul(hash ^ x, 0x01000193) >>> 0;
  };
  for (const word of state.words) {
    for (let i = 0; i < word.length; i++) mix(word.charCodeAt(i));
    mix(0x10ffff);
  }
  for (const count of state.counts) mix(count >>> 0);
  const bits = new Uint32Array(state.input.data.buffer, state.input.data.byteOffset, state.input.data.length);
  const offset = state.input.offset ?? 0;
  for (let r = 0; r < state.words.length; r++) for (let j = 0; j < state.dim; j++) mix(bits[offset + r * state.input.stride + j]);
  return `${state.words.length}:${hash.toString(16).padStart(8, '0')}`;
}

/** `counted` must have been counted with minCount 1 (known words count whatever their new count). */
export function mergeVocabulary(state: TrainingState, counted: CountedVocabulary, minCount: number, updateVocabulary: boolean): MergedVocabulary {
  const saved = new Map(state.words.map((w, i) => [w, i]));
  const { vocabulary } = counted;
  const toMerged = new Int32Array(vocabulary.size).fill(-1);
  const words = state.words.slice();
  const added: number[] = [];
  for (let i = 0; i < vocabulary.size; i++) {
    const known = saved.get(vocabulary.words[i]);
    if (known !== undefined) toMerged[i] = known;
    else if (updateVocabulary && vocabulary.counts[i] >= minCount) added.push(i);
  }
  // countVocabulary sorts by count, so appended words are most frequent first.
  for (const i of added) {
    toMerged[i] = words.length;
    words.push(vocabulary.words[i]);
  }
  const newCounts = new Float64Array(words.length);
  for (let i = 0; i < vocabulary.size; i++) if (toMerged[i] >= 0) newCounts[toMerged[i]] += vocabulary.counts[i];
  const summed = new Float64Array(words.length);
  for (let i = 0; i < words.length; i++) summed[i] = newCounts[i] + (i < state.counts.length ? state.counts[i] : 0);
  const remap = counted.remap.map((id) => (id >= 0 ? toMerged[id] : -1));
  return { training: new Vocabulary(words, newCounts), distribution: new Vocabulary(words, summed), remap, knownWords: state.words.length, addedWords: added.length };
}

/** The options that shape the matrices must be the saved state's: names the first that differs. */
export function checkContinuable(state: TrainingState, o: { dim: number; hs: boolean; negative: number; subwords?: unknown }, source: string): void {
  const saved = state.options;
  const differs = (name: string, now: unknown, then: unknown) =>
    new Wasm2VecError(`cannot continue training from ${source}: option ${name} is ${JSON.stringify(now)} but the saved model has ${JSON.stringify(then)}; leave ${name} unset to take the saved value`);
  if (o.dim !== state.dim) throw differs('dim', o.dim, state.dim);
  if (o.hs !== (state.hsOutput.rows > 0)) throw differs('hs', o.hs, state.hsOutput.rows > 0);
  if ((o.negative > 0) !== (state.output.rows > 0)) throw differs('negative', o.negative, saved.negative);
  if (JSON.stringify(o.subwords ?? null) !== JSON.stringify(saved.subwords ?? null)) throw differs('subwords', o.subwords ?? false, saved.subwords ?? false);
}

/**
 * Copies the saved rows into a prepared run (whose new words already hold fresh random input rows
 * and zero output rows): input rows of the saved words, the n-gram bucket rows, syn1neg rows of the
 * saved words, and syn1 rows (as many as both trees have).
 */
export function applyInitialState(memory: WebAssembly.Memory, plan: Word2VecLayout, state: TrainingState, vocabSize: number, buckets: number): void {
  const known = state.words.length;
  copyRows(memory, plan.input.offset, plan.stride, state.input, state.dim, 0, 0, known);
  if (buckets > 0) copyRows(memory, plan.input.offset, plan.stride, state.input, state.dim, known, vocabSize, buckets);
  copyRows(memory, plan.output.offset, plan.stride, state.output, state.dim, 0, 0, state.output.rows);
  const hsRows = Math.min(state.hsOutput.rows, plan.hsOutput.bytes / 4 / plan.stride);
  copyRows(memory, plan.hsOutput.offset, plan.stride, state.hsOutput, state.dim, 0, 0, hsRows);
}

/**
 * fastText's -pretrainedVectors: the input row of every vocabulary word found in the file is set to
 * its vector there (other rows keep their random start). Returns how many words were found.
 */
export async function applyPretrainedVectors(memory: WebAssembly.Memory, plan: Word2VecLayout, words: readonly string[], dim: number, path: string): Promise<number> {
  const table = await readEmbeddings(path);
  if (table.dim !== dim) {
    throw new Wasm2VecError(`pretrained vectors ${path} have dimension ${table.dim} but this run trains dim ${dim}; set dim to ${table.dim} or use other vectors`);
  }
  const index = new Map(words.map((w, i) => [w, i]));
  const input = new Float32Array(memory.buffer, plan.input.offset, words.length * plan.stride);
  let found = 0;
  for (let r = 0; r < table.words.length; r++) {
    const row = index.get(table.words[r]);
    if (row === undefined) continue;
    input.set(table.vectors.subarray(r * dim, (r + 1) * dim), row * plan.stride);
    found++;
  }
  return found;
}

/**
 * The merge of `mergeSaved` (see the top of this file): the saved words' input rows and output rows
 * (syn1neg) become the count-weighted means of their saved and continued values; n-gram bucket rows
 * the mean weighted by the two texts' token totals. Call it with every worker done.
 */
export function mergeSavedVectors(memory: WebAssembly.Memory, plan: Word2VecLayout, state: TrainingState, newCounts: Float64Array, vocabSize: number, buckets: number): void {
  const known = state.words.length;
  const savedWeight = new Float64Array(known);
  let savedTotal = 0;
  let newTotal = 0;
  for (let r = 0; r < known; r++) {
    const total = state.counts[r] + newCounts[r];
    savedWeight[r] = total > 0 ? state.counts[r] / total : 1;
    savedTotal += state.counts[r];
  }
  for (let r = 0; r < newCounts.length; r++) newTotal += newCounts[r];
  const blend = (regionOffset: number, source: StateMatrix, fromRow: number, toRow: number, rows: number, weight: (row: number) => number) => {
    const target = new Float32Array(memory.buffer, regionOffset, (toRow + rows) * plan.stride);
    const offset = source.offset ?? 0;
    for (let r = 0; r < rows; r++) {
      const w = weight(r);
      const from = offset + (fromRow + r) * source.stride;
      const to = (toRow + r) * plan.stride;
      for (let j = 0; j < state.dim; j++) target[to + j] = w * source.data[from + j] + (1 - w) * target[to + j];
    }
  };
  blend(plan.input.offset, state.input, 0, 0, known, (r) => savedWeight[r]);
  if (state.output.rows > 0) blend(plan.output.offset, state.output, 0, 0, known, (r) => savedWeight[r]);
  const bucketWeight = savedTotal + newTotal > 0 ? savedTotal / (savedTotal + newTotal) : 1;
  if (buckets > 0) blend(plan.input.offset, state.input, known, vocabSize, buckets, () => bucketWeight);
}

// A word2vec run's memory as a TrainingState (src/formats/wasm2vec-state.ts) and back: what
// checkpoints, --save-state and --resume write and read. Capturing takes views of the shared memory
// (the writer copies row by row), so it is only valid while every worker is parked or done.
import { Wasm2VecError } from '../errors.js';
import { firstDifferingOption, stateOptions, type TrainingState, type WorkerSchedule } from '../formats/wasm2vec-state.js';
import { WorkerState, type WorkerPlace } from '../runtime/rendezvous.js';
import type { Vocabulary } from '../corpus/vocabulary.js';
import { writeWorkerBlock, readWorkerState, type Word2VecLayout } from './layout.js';
import type { ResolvedWord2VecOptions } from './options.js';

/** Options that are not part of a run's identity (inputs, outputs, callbacks; phrases change the corpus, which a resume checks itself): never saved, never compared. */
const UNSAVED_OPTIONS = new Set(['input', 'onProgress', 'onEpochEnd', 'signal', 'saveState', 'checkpoint', 'resume', 'initialModel', 'updateVocabulary', 'mergeSaved', 'pretrainedVectors', 'userDict', 'phrases', 'planOnly']);

/**
 * Options a resumed run must share with its checkpoint: the ones that shape the memory, the
 * vocabulary, the shards or the learning-rate schedule (threads included: each worker resumes its
 * own shard).
 */
export const RESUME_MUST_MATCH = [
  'model', 'subwords', 'dim', 'window', 'negative', 'hs', 'minCount', 'maxVocabSize', 'sample', 'epochs', 'alpha', 'threads',
  'seed', 'update', 'noisePower', 'initWidth', 'tokenizer', 'lowercase', 'normalize',
] as const;

/** The resolved options as JSON values (what a state file stores). */
export function savedOptions(o: ResolvedWord2VecOptions): Record<string, unknown> {
  return stateOptions(o, UNSAVED_OPTIONS);
}

/** Names the first option that differs between a checkpoint and this run, or undefined. */
export function differingOption(saved: Record<string, unknown>, o: ResolvedWord2VecOptions): { name: string; saved: string; now: string } | undefined {
  return firstDifferingOption(saved, savedOptions(o), RESUME_MUST_MATCH);
}

/**
 * Where each worker continues. A worker parked at an epoch end while others were still inside that
 * epoch resumes at the end of its shard in that epoch (so it meets the others at the same barrier);
 * when all are at the same epoch end, all resume at the start of the next epoch.
 */
export function workerSchedules(
  places: WorkerPlace[], shards: { start: number; end: number }[], epochs: number, memory: WebAssembly.Memory, plan: Word2VecLayout,
): WorkerSchedule[] {
  const allAtSameEnd = places.every((p) => p.state === WorkerState.AtEpochEnd && p.epoch === places[0].epoch);
  return places.map((p, t) => {
    const { start, end } = shards[t];
    const { random, alpha } = readWorkerState(memory, plan, t);
    if (p.state === WorkerState.Done) return { start, end, epoch: epochs, position: end, random, alpha };
    if (p.state === WorkerState.AtEpochEnd) {
      return allAtSameEnd ? { start, end, epoch: p.epoch, position: start, random, alpha } : { start, end, epoch: p.epoch - 1, position: end, random, alpha };
    }
    if (p.state !== WorkerState.Parked) throw new Error(`internal: worker ${t} is running while its state is captured`);
    return { start, end, epoch: p.epoch, position: p.position, random, alpha };
  });
}

/** The run's state as views of its memory (valid while the workers are parked or done). */
export function captureState(
  memory: WebAssembly.Memory, plan: Word2VecLayout, vocabulary: Vocabulary, o: ResolvedWord2VecOptions,
  schedule: { wordsDone: number; corpusTokens: number; workers: WorkerSchedule[] },
  counts: ArrayLike<number> = vocabulary.counts,
): TrainingState {
  const floats = new Float32Array(memory.buffer);
  const hasOutput = o.negative > 0;
  return {
    options: savedOptions(o),
    dim: o.dim,
    words: vocabulary.words,
    counts: Array.from(counts),
    input: { data: floats, rows: plan.inputRows, stride: plan.stride, offset: plan.input.offset / 4 },
    output: { data: floats, rows: hasOutput ? vocabulary.size : 0, stride: plan.stride, offset: plan.output.offset / 4 },
    hsOutput: { data: floats, rows: o.hs ? vocabulary.size - 1 : 0, stride: plan.stride, offset: plan.hsOutput.offset / 4 },
    schedule: {
      wordsDone: schedule.wordsDone,
      wordsTotal: o.epochs * vocabulary.trainWords,
      trainWords: vocabulary.trainWords,
      corpusTokens: schedule.corpusTokens,
      workers: schedule.workers,
    },
  };
}

/** Copies `rows` rows of a state matrix into a region of the memory (padded rows, padding zero). */
export function copyRows(
  memory: WebAssembly.Memory, regionOffset: number, stride: number, source: TrainingState['input'], dim: number, fromRow: number, toRow: number, rows: number,
): void {
  const target = new Float32Array(memory.buffer, regionOffset, (toRow + rows) * stride);
  const offset = source.offset ?? 0;
  for (let r = 0; r < rows; r++) {
    const from = offset + (fromRow + r) * source.stride;
    target.set(source.data.subarray(from, from + dim), (toRow + r) * stride);
  }
}

/**
 * Puts a checkpoint's matrices, word counter and worker states into a freshly prepared run (same
 * options and corpus: checked by the caller). The Huffman tree, noise and subsampling tables are
 * rebuilt from the (identical) counts.
 */
export function restoreState(memory: WebAssembly.Memory, plan: Word2VecLayout, state: TrainingState, setWordsDone: (words: number) => void): void {
  const { dim } = state;
  if (state.input.rows !== plan.inputRows) throw new Wasm2VecError(`the checkpoint's input matrix has ${state.input.rows} rows, this run ${plan.inputRows}`);
  copyRows(memory, plan.input.offset, plan.stride, state.input, dim, 0, 0, state.input.rows);
  copyRows(memory, plan.output.offset, plan.stride, state.output, dim, 0, 0, state.output.rows);
  copyRows(memory, plan.hsOutput.offset, plan.stride, state.hsOutput, dim, 0, 0, state.hsOutput.rows);
  setWordsDone(state.schedule.wordsDone);
  state.schedule.workers.forEach((w, t) => writeWorkerBlock(memory, plan, t, w.random, w.alpha));
}

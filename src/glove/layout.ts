// GloVe's part of the memory (the co-occurrence engine's part is src/cooccur/layout.ts): the training
// config block (offsets from the kernel ABI, src/abi/glove.ts), GloVe's control regions (config,
// generator, iterations done, cost ring, rendezvous), and the parameter matrices laid out in the arena.
import * as t from '../abi/glove.js';
import { rendezvousBytes } from '../runtime/rendezvous.js';
import { MemoryLayout, raiseFlag, paddedDim, type Region } from '../runtime/memory-layout.js';
import { CooccurMemory, align, clamp, planControl, type CountControl } from '../cooccur/layout.js';

export const TRAIN_CONFIG = {
  stride: t.T_STRIDE, rowBytes: t.T_ROW_BYTES, words: t.T_WORDS, contexts: t.T_CONTEXTS, eta: t.T_ETA, clip: t.T_CLIP,
  abort: t.T_ABORT, pairsDone: t.T_PAIRS_DONE, scratch: t.T_SCRATCH, bytes: t.TRAIN_CONFIG_BYTES,
} as const;

export const RNG_BYTES = 32;
/** Iterations whose per-worker costs the shared cost table holds (a ring) for live progress. */
export const COST_RING = 1024;

/** Bytes of one parameter row: [vector | AdaGrad sums − 1 | bias, bias sum − 1, 0, 0], padded to a cache line. */
export function parameterRowBytes(dim: number): number {
  return align((2 * paddedDim(dim) + 4) * 4, 64);
}

/** GloVe's control regions, after the engine's abort flag and weights. */
export interface GloveControl {
  trainConfig: number;
  rng: number;
  epochsDone: number;
  costTable: number;
  /** Where the workers meet at iteration ends for checkpoints and epoch callbacks (src/runtime/rendezvous.ts). */
  rendezvous: number;
}

export type ControlLayout = CountControl & GloveControl;

export function planGloveControl(threads: number, epochs: number, window: number): ControlLayout {
  return planControl(threads, window, (bump: MemoryLayout): GloveControl => ({
    trainConfig: bump.take('training config (pair counter and abort flag atomic)', TRAIN_CONFIG.bytes, 'atomic'),
    rng: bump.take('shuffle and initialisation generator', RNG_BYTES),
    epochsDone: bump.take('iterations done per worker', threads * 4, 'atomic'),
    costTable: bump.take('cost per worker and iteration', Math.min(Math.max(1, epochs), COST_RING) * threads * 8, 'atomic'),
    rendezvous: bump.take('rendezvous (checkpoints, epoch callbacks)', rendezvousBytes(threads), 'atomic'),
  }));
}

export interface TrainPlan {
  words: number;
  contexts: number;
  rowBytes: number;
  stride: number;
  /** File mode: each worker's record buffer. */
  buffers: { offset: number; records: number }[];
  bytes: number;
  regions: Region[];
}

export function planTrain(vocabSize: number, dim: number, threads: number, fileRecords: boolean, budgetBytes: number, base: number): TrainPlan {
  const bump = new MemoryLayout(base);
  const rowBytes = parameterRowBytes(dim);
  const words = bump.take('word rows (W, b, AdaGrad sums)', vocabSize * rowBytes, 'hogwild');
  const contexts = bump.take('context rows (W̃, b̃, AdaGrad sums)', vocabSize * rowBytes, 'hogwild');
  const buffers: TrainPlan['buffers'] = [];
  if (fileRecords) {
    const records = Math.floor(clamp(budgetBytes / 8 / threads / 16, 4096, 1 << 20));
    for (let t = 0; t < threads; t++) buffers.push({ offset: bump.take(`worker ${t} record buffer`, records * 16, 'worker'), records });
  }
  return { words, contexts, rowBytes, stride: paddedDim(dim), buffers, bytes: bump.totalBytes - base, regions: bump.regions };
}

/** A GloVe run's memory: the co-occurrence engine's, with GloVe's control regions and abort flag. */
export class GloveMemory extends CooccurMemory<ControlLayout> {
  constructor(threads: number, epochs: number, window: number, arenaBytes: number, maxRecordsBytes: number) {
    super(planGloveControl(threads, epochs, window), arenaBytes, maxRecordsBytes);
  }

  override abort(): void {
    super.abort();
    raiseFlag(this.memory.buffer, this.control.trainConfig + TRAIN_CONFIG.abort);
  }
}

/** Writes GloVe's training config block (src/abi/glove.ts) with the abort flag and pair counter at zero. */
export function writeGloveTrainConfig(
  memory: WebAssembly.Memory, offset: number,
  config: { stride: number; rowBytes: number; words: number; contexts: number; eta: number; clip: number },
): void {
  const view = new DataView(memory.buffer, offset, TRAIN_CONFIG.bytes);
  view.setInt32(TRAIN_CONFIG.stride, config.stride, true);
  view.setInt32(TRAIN_CONFIG.rowBytes, config.rowBytes, true);
  view.setUint32(TRAIN_CONFIG.words, config.words, true);
  view.setUint32(TRAIN_CONFIG.contexts, config.contexts, true);
  view.setFloat32(TRAIN_CONFIG.eta, config.eta, true);
  view.setFloat32(TRAIN_CONFIG.clip, config.clip, true);
  view.setInt32(TRAIN_CONFIG.abort, 0, true);
  view.setBigInt64(TRAIN_CONFIG.pairsDone, 0n, true);
}

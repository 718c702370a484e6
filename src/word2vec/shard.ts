import { nodeBuiltin } from '../runtime/node-builtins.js';
import { readExactly, type Store } from '../runtime/stores.js';
import { instantiateKernels } from '../runtime/kernels.js';
import { Rendezvous } from '../runtime/rendezvous.js';
import { checkChunkHealth, stopRun, type Divergence } from './health.js';
import { readLossTally } from './layout.js';
const { closeSync, openSync } = nodeBuiltin('node:fs');

/**
 * One worker's share of a word2vec run: a contiguous shard of the encoded corpus, all epochs. Between
 * kernel chunks the worker parks when the main thread asks (checkpoints), and with `epochBarrier` at
 * every epoch end (epoch callbacks): see src/runtime/rendezvous.ts.
 */
export interface Word2VecShardTask {
  kind: 'word2vec';
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  config: number;
  worker: number;
  start: number;
  end: number;
  epochs: number;
  chunkIds: number;
  /** The rendezvous block and this worker's slot in it. */
  rendezvous: number;
  index: number;
  threads: number;
  /** Park at every epoch end until the main thread releases the epoch. */
  epochBarrier: boolean;
  /** Where a resumed run continues: epochs completed and next id (default: epoch 0 at `start`). */
  from?: { epoch: number; position: number };
  /** The encoded corpus: a region of the shared memory, or a file read into this worker's buffer. */
  stream: Store<object, { buffer: number }>;
}

const WARM_UP_CHUNK_IDS = 2048;

export interface ShardResult {
  aborted: boolean;
  words: number;
  /** The loss tally of each epoch this worker finished (sum of terms, predictions); zeros when the loss is off. */
  /** The loss tally of each epoch this worker trained (a resumed worker starts at its checkpoint's epoch). */
  epochLosses: { epoch: number; loss: number; predictions: number }[];
  /** Set when the health check found a diverged row; the worker then stopped the whole run. */
  diverged?: Divergence & { fraction: number };
}

// Only for bench/health-check.ts, which measures what the check costs (A/B in one process).
const HEALTH_CHECK = globalThis.process?.env.WASM2VEC_HEALTH_CHECK !== 'off';

/**
 * The chunk size an uninterrupted run has when it reaches `at`: a resumed worker cuts its shard at
 * the same chunk boundaries (a chunk boundary ends a sentence, and the kernel refreshes the learning
 * rate per chunk), so a resumed one-thread run trains exactly as the uninterrupted one. Its first
 * chunk runs in V8's baseline tier: a cost paid once per resume.
 */
function chunkSizeAt(task: Word2VecShardTask, at: { epoch: number; position: number }): number {
  let chunkIds = Math.min(WARM_UP_CHUNK_IDS, task.chunkIds);
  for (let epoch = 0; epoch <= at.epoch && chunkIds < task.chunkIds; epoch++) {
    const until = epoch === at.epoch ? at.position : task.end;
    for (let position = task.start; position < until && chunkIds < task.chunkIds; position += chunkIds) chunkIds = Math.min(chunkIds * 2, task.chunkIds);
  }
  return chunkIds;
}

export function runWord2VecShard(task: Word2VecShardTask): ShardResult {
  const kernels = instantiateKernels(task.memory, task.module);
  const rendezvous = new Rendezvous(task.memory.buffer, task.rendezvous, task.threads);
  let fd = -1;
  let words = 0;
  const epochLosses: ShardResult['epochLosses'] = [];
  let tallied = readLossTally(task.memory, task.worker);
  try {
    fd = task.stream.kind === 'file' ? openSync(task.stream.path, 'r') : -1;
    // V8 runs a WASM function's first calls in its baseline tier and cannot switch a running call
    // to optimised code, so the first chunks are small: optimised code takes over within milliseconds.
    let chunkIds = task.from ? chunkSizeAt(task, task.from) : Math.min(WARM_UP_CHUNK_IDS, task.chunkIds);
    for (let epoch = task.from?.epoch ?? 0; epoch < task.epochs; epoch++) {
      const first = epoch === task.from?.epoch ? task.from.position : task.start;
      for (let position = first; position < task.end; position += chunkIds) {
        if (rendezvous.pauseRequested() && !rendezvous.park(task.index, epoch, position)) return { aborted: true, words, epochLosses };
        chunkIds = Math.min(chunkIds * 2, task.chunkIds);
        const count = Math.min(chunkIds, task.end - position);
        let ids: number;
        if (task.stream.kind === 'memory') {
          ids = task.stream.offset + position * 4;
        } else {
          ids = task.stream.buffer;
          readExactly(fd, task.memory, ids, count * 4, position * 4, `corpus id file ${task.stream.path}`);
        }
        const consumed = kernels.trainWord2VecChunk(task.config, task.worker, ids, count);
        if (consumed < 0) return { aborted: true, words, epochLosses };
        words += consumed;
        const diverged = HEALTH_CHECK ? checkChunkHealth(task.memory, task.config, ids, count) : undefined;
        if (diverged) {
          stopRun(task.memory, task.config);
          rendezvous.stop();
          const fraction = words / Math.max(1, (task.end - task.start) * task.epochs);
          return { aborted: true, words, epochLosses, diverged: { ...diverged, fraction } };
        }
      }
      const tally = readLossTally(task.memory, task.worker);
      epochLosses.push({ epoch, loss: tally.loss - tallied.loss, predictions: tally.predictions - tallied.predictions });
      tallied = tally;
      if (task.epochBarrier && !rendezvous.parkAtEpochEnd(task.index, epoch + 1, task.start)) return { aborted: true, words, epochLosses };
    }
  } finally {
    rendezvous.done(task.index);
    if (fd >= 0) closeSync(fd);
  }
  return { aborted: false, words, epochLosses };
}

import { closeSync, openSync } from 'node:fs';
import { readExactly, type Store } from '../runtime/stores.js';
import { instantiateKernels } from '../runtime/kernels.js';
import { checkChunkHealth, stopRun, type Divergence } from './health.js';
import { readLossTally } from './layout.js';

/** One worker's share of a word2vec run: a contiguous shard of the encoded corpus, all epochs. */
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
  /** The encoded corpus: a region of the shared memory, or a file read into this worker's buffer. */
  stream: Store<object, { buffer: number }>;
}

const WARM_UP_CHUNK_IDS = 2048;

export interface ShardResult {
  aborted: boolean;
  words: number;
  /** The loss tally of each epoch this worker finished (sum of terms, predictions); zeros when the loss is off. */
  epochLosses: { loss: number; predictions: number }[];
  /** Set when the health check found a diverged row; the worker then stopped the whole run. */
  diverged?: Divergence & { fraction: number };
}

// Only for bench/health-check.ts, which measures what the check costs (A/B in one process).
const HEALTH_CHECK = process.env.WASM2VEC_HEALTH_CHECK !== 'off';

export function runWord2VecShard(task: Word2VecShardTask): ShardResult {
  const kernels = instantiateKernels(task.memory, task.module);
  const fd = task.stream.kind === 'file' ? openSync(task.stream.path, 'r') : -1;
  let words = 0;
  const epochLosses: ShardResult['epochLosses'] = [];
  let tallied = readLossTally(task.memory, task.worker);
  try {
    // V8 runs a WASM function's first calls in its baseline tier and cannot switch a running call
    // to optimised code, so the first chunks are small: optimised code takes over within milliseconds.
    let chunkIds = Math.min(WARM_UP_CHUNK_IDS, task.chunkIds);
    for (let epoch = 0; epoch < task.epochs; epoch++) {
      for (let position = task.start; position < task.end; position += chunkIds) {
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
          const fraction = words / Math.max(1, (task.end - task.start) * task.epochs);
          return { aborted: true, words, epochLosses, diverged: { ...diverged, fraction } };
        }
      }
      const tally = readLossTally(task.memory, task.worker);
      epochLosses.push({ loss: tally.loss - tallied.loss, predictions: tally.predictions - tallied.predictions });
      tallied = tally;
    }
  } finally {
    if (fd >= 0) closeSync(fd);
  }
  return { aborted: false, words, epochLosses };
}

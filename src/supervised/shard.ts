// One worker's share of a supervised run: a contiguous range of example records, all epochs.
import { instantiateKernels } from '../runtime/kernels.js';

export interface SupervisedShardTask {
  kind: 'supervised';
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  config: number;
  worker: number;
  /** Byte addresses of the first record and of the end of the last. */
  begin: number;
  end: number;
  epochs: number;
}

export interface SupervisedShardResult {
  aborted: boolean;
}

/** Examples per kernel call once warmed up: small enough to abort within milliseconds. */
const CHUNK_EXAMPLES = 1 << 14;
const WARM_UP_EXAMPLES = 256;

export function runSupervisedShard(task: SupervisedShardTask): SupervisedShardResult {
  const kernels = instantiateKernels(task.memory, task.module);
  // V8 runs a WASM function's first calls in its baseline tier: the first chunks are small.
  let chunk = WARM_UP_EXAMPLES;
  for (let epoch = 0; epoch < task.epochs; epoch++) {
    let position = task.begin;
    while (position < task.end) {
      const next = kernels.trainSupervisedChunk(task.config, task.worker, position, task.end, chunk) >>> 0;
      if (next === 0) return { aborted: true };
      position = next;
      chunk = Math.min(chunk * 2, CHUNK_EXAMPLES);
    }
  }
  return { aborted: false };
}

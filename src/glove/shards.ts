// Worker-side GloVe training: one worker's slice of the shuffled records, every iteration, Hogwild
// with the others (the counting and merging tasks are the co-occurrence engine's: src/cooccur/shards.ts).
import { closeSync, openSync } from 'node:fs';
import { readExactly, type Store } from '../runtime/stores.js';
import { instantiateKernels } from '../runtime/kernels.js';
import { Rendezvous } from '../runtime/rendezvous.js';
import { RECORD_BYTES } from '../cooccur/layout.js';
import { TRAIN_CONFIG } from './layout.js';

/** How often a worker waiting at the end of an iteration checks the abort flag. */
const BARRIER_POLL_MS = 50;

/** One worker's slice of the shuffled records, trained for every epoch (Hogwild with the others, all finishing an epoch before any starts the next). */
export interface GloveTrainTask {
  kind: 'glove-train';
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  worker: number;
  threads: number;
  /** Iterations: this task trains [firstEpoch, epochs) (0-based; firstEpoch > 0 when resumed or continued). */
  firstEpoch: number;
  epochs: number;
  /** Park at every iteration end until the main thread releases it (checkpoints, epoch callbacks). */
  epochBarrier: boolean;
  /** The rendezvous block (src/runtime/rendezvous.ts). */
  rendezvous: number;
  config: number;
  /** A ring of COST_RING iterations × threads f64 costs, for live progress. */
  costTable: number;
  costRing: number;
  epochsDone: number;
  start: number;
  end: number;
  chunkRecords: number;
  records: Store<object, { buffer: number }>;
}

export interface GloveTrainResult {
  aborted: boolean;
  /** The main thread stopped the run at an iteration end (an epoch callback returned false). */
  stopped?: boolean;
  words: number;
  /** Summed loss of this worker's records, per iteration trained by this task. */
  costs: number[];
}

export function runGloveTrain(task: GloveTrainTask): GloveTrainResult {
  const kernels = instantiateKernels(task.memory, task.module);
  const ring = new Float64Array(task.memory.buffer, task.costTable, task.costRing * task.threads);
  const costs: number[] = [];
  const done = new Int32Array(task.memory.buffer, task.epochsDone, task.threads);
  const abort = new Int32Array(task.memory.buffer, task.config + TRAIN_CONFIG.abort, 1);
  const rendezvous = new Rendezvous(task.memory.buffer, task.rendezvous, task.threads);
  const records = task.records;
  const fd = records.kind === 'file' ? openSync(records.path, 'r') : -1;
  let pairs = 0;
  try {
    for (let epoch = task.firstEpoch; epoch < task.epochs; epoch++) {
      let cost = 0;
      for (let position = task.start; position < task.end; position += task.chunkRecords) {
        const count = Math.min(task.chunkRecords, task.end - position);
        let pointer: number;
        if (records.kind === 'memory') {
          pointer = records.offset + position * RECORD_BYTES;
        } else {
          pointer = records.buffer;
          readExactly(fd, task.memory, pointer, count * RECORD_BYTES, position * RECORD_BYTES, records.path);
        }
        const c = kernels.trainGloveChunk(task.config, pointer, count);
        if (c < 0) return { aborted: true, words: pairs, costs };
        cost += c;
        pairs += count;
      }
      costs.push(cost);
      ring[(epoch % task.costRing) * task.threads + task.worker] = cost;
      Atomics.store(done, task.worker, epoch + 1);
      Atomics.notify(done, task.worker);
      if (task.epochBarrier) {
        // The main thread releases the iteration once every worker is parked at its end (so this is
        // glove.c's join too), after its checkpoint or epoch callback.
        if (!rendezvous.parkAtEpochEnd(task.worker, epoch + 1, task.start)) {
          return Atomics.load(abort, 0) !== 0 ? { aborted: true, words: pairs, costs } : { aborted: false, stopped: true, words: pairs, costs };
        }
      } else if (epoch + 1 < task.epochs && !waitForAll(done, epoch + 1, abort)) {
        // As glove.c, which joins its threads after every iteration: no worker starts iteration e + 1
        // before all have finished iteration e.
        return { aborted: true, words: pairs, costs };
      }
    }
  } finally {
    if (fd >= 0) closeSync(fd);
    rendezvous.done(task.worker);
  }
  return { aborted: false, words: pairs, costs };
}

/** Waits until every worker has finished `epochs` iterations; false if the abort flag was set meanwhile. */
export function waitForAll(done: Int32Array, epochs: number, abort: Int32Array): boolean {
  for (let t = 0; t < done.length; t++) {
    for (;;) {
      const seen = Atomics.load(done, t);
      if (seen >= epochs) break;
      if (Atomics.load(abort, 0) !== 0) return false;
      // The finishing worker notifies; the timeout only bounds how late an abort is noticed.
      Atomics.wait(done, t, seen, BARRIER_POLL_MS);
    }
  }
  return true;
}

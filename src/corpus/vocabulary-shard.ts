import { closeSync, openSync, readSync } from 'node:fs';
import { ByteVocabularyCounter, type CounterSnapshot } from './byte-counter.js';
import { flagRaised } from '../runtime/memory-layout.js';

/** One worker's share of the vocabulary pass: a byte range of a corpus file that starts and ends at a space. */
export interface VocabularyShardTask {
  kind: 'vocabulary';
  path: string;
  start: number;
  end: number;
  /** Int32 flag in shared memory: 1 stops the shard at its next chunk. */
  abort: SharedArrayBuffer;
}

export interface VocabularyShardResult {
  aborted: boolean;
  words: number;
  counter?: CounterSnapshot;
  /** The range's tokens as provisional ids of this shard's counter, in blocks. */
  ids?: Int32Array[];
}

const READ_CHUNK_BYTES = 1 << 20;

export function runVocabularyShard(task: VocabularyShardTask): VocabularyShardResult {
  const blocks: Int32Array[] = [];
  const sink = { pushAll: (ids: Int32Array) => blocks.push(ids.slice()) };
  const counter = new ByteVocabularyCounter(sink);
  const fd = openSync(task.path, 'r');
  try {
    const buffer = new Uint8Array(READ_CHUNK_BYTES);
    for (let position = task.start; position < task.end; ) {
      if (flagRaised(task.abort, 0)) return { aborted: true, words: 0 };
      const read = readSync(fd, buffer, 0, Math.min(READ_CHUNK_BYTES, task.end - position), position);
      if (read === 0) throw new Error(`corpus ${task.path} ended at byte ${position}, before ${task.end}`);
      counter.add(buffer.subarray(0, read));
      position += read;
    }
  } finally {
    closeSync(fd);
  }
  counter.end();
  return { aborted: false, words: counter.totalTokens, counter: counter.snapshot(), ids: blocks };
}

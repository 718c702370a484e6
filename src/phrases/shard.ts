// The phrase count's worker-side shard: one byte range of a corpus file (starting and ending just
// after a space, tab or line end) counted by a PhraseCounter on a worker thread, merged in text
// order on the main thread by src/phrases/count.ts.
import { closeSync, openSync, readSync } from 'node:fs';
import { flagRaised } from '../runtime/memory-layout.js';
import { PhraseCounter, SCAN_BYTES, type PhraseCounterSnapshot, type PhraseScoring } from './counter.js';

export interface PhraseShardTask {
  kind: 'phrases-count';
  path: string;
  start: number;
  end: number;
  /** Whether the byte before `start` is a line end. */
  lineStart: boolean;
  scoring: PhraseScoring;
  /** Int32 flag: 1 stops the shard at its next chunk. */
  abort: SharedArrayBuffer;
}

export interface PhraseShardResult {
  aborted: boolean;
  counter?: PhraseCounterSnapshot;
  /** The range's tokens as this shard's string ids (0 = line end), in blocks. */
  ids?: Int32Array[];
}

export function runPhraseShard(task: PhraseShardTask): PhraseShardResult {
  const blocks: Int32Array[] = [];
  const counter = new PhraseCounter(task.scoring, task.lineStart);
  const fd = openSync(task.path, 'r');
  try {
    const buffer = new Uint8Array(SCAN_BYTES);
    for (let position = task.start; position < task.end; ) {
      if (flagRaised(task.abort, 0)) return { aborted: true };
      const read = readSync(fd, buffer, 0, Math.min(SCAN_BYTES, task.end - position), position);
      if (read === 0) throw new Error(`corpus ${task.path} ended at byte ${position}, before ${task.end}`);
      counter.add(buffer.subarray(0, read), (ids) => blocks.push(ids));
      position += read;
    }
  } finally {
    closeSync(fd);
  }
  // The range ends after a separator, so no word is left open (end() would drop it).
  return { aborted: false, counter: counter.snapshot(), ids: blocks };
}

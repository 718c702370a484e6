// The vocabulary pass's worker-side shards: a byte range of a corpus file counted on a worker
// thread (bytes for the whitespace tokenizer; decoded text for the others), merged in order on the
// main thread by count-vocabulary.ts.
import { nodeBuiltin } from '../runtime/node-builtins.js';
import { ByteVocabularyCounter, type CounterSnapshot } from './byte-counter.js';
import { flagRaised } from '../runtime/memory-layout.js';
import { tokenize, type TokenizeOptions, type TokenizerFunction, type TokenizerOption } from './tokenizer.js';
import { VocabularyCounter, type TextCounterSnapshot } from './vocabulary.js';
import { joinPhraseBatches, type PhraseTable } from './phrase-joiner.js';
const { closeSync, createReadStream, openSync, readSync } = nodeBuiltin('node:fs');

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

/**
 * One worker's share of the vocabulary pass on decoded text (unicode, jieba or a user tokenizer
 * module, lowercasing, normalisation): a byte range of a corpus file that starts and ends at a line
 * end (or a space in a very long line), which no tokenizer looks across.
 */
export interface TextVocabularyShardTask {
  kind: 'vocabulary-text';
  path: string;
  start: number;
  end: number;
  text: TextShardOptions;
  /** Learned phrases to join (ranges start at line ends, which no phrase crosses). */
  phrases?: PhraseTable;
  abort: SharedArrayBuffer;
}

/** The text options a worker can rebuild: every tokenizer but a function, which cannot be sent. */
export type TextShardOptions = Omit<TokenizeOptions, 'tokenizer'> & { tokenizer: Exclude<TokenizerOption, TokenizerFunction> };

export interface TextVocabularyShardResult {
  aborted: boolean;
  counter?: TextCounterSnapshot;
  /** The range's tokens as provisional ids of this shard's counter, in blocks. */
  ids?: Int32Array[];
}

/** Collects ids in blocks of a fixed size (the shard's stand-in for the spool). */
class IdBlocks {
  readonly blocks: Int32Array[] = [];
  private block = new Int32Array(IDS_PER_BLOCK);
  private fill = 0;

  push(id: number): void {
    this.block[this.fill++] = id;
    if (this.fill === IDS_PER_BLOCK) this.seal();
  }

  seal(): Int32Array[] {
    if (this.fill > 0) this.blocks.push(this.fill === IDS_PER_BLOCK ? this.block : this.block.slice(0, this.fill));
    this.block = new Int32Array(IDS_PER_BLOCK);
    this.fill = 0;
    return this.blocks;
  }
}

const IDS_PER_BLOCK = 1 << 20;

export async function runTextVocabularyShard(task: TextVocabularyShardTask): Promise<TextVocabularyShardResult> {
  const abort = new Int32Array(task.abort);
  const ids = new IdBlocks();
  const counter = new VocabularyCounter(ids);
  const batches = tokenize(readTextRange(task.path, task.start, task.end), task.text);
  for await (const batch of task.phrases ? joinPhraseBatches(batches, task.phrases) : batches) {
    if (Atomics.load(abort, 0) !== 0) return { aborted: true };
    counter.add(batch);
  }
  return { aborted: false, counter: counter.snapshot(), ids: ids.seal() };
}

/**
 * Decoded text of bytes [start, end) of a file. A U+FEFF at a range's start is text, as it is in
 * the middle of a one-pass read (only the file's first bytes can hold a byte-order mark).
 */
export async function* readTextRange(path: string, start: number, end: number): AsyncGenerator<string> {
  if (end <= start) return;
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: start > 0 });
  for await (const chunk of createReadStream(path, { start, end: end - 1, highWaterMark: READ_CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield text;
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}

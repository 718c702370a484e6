// The vocabulary pass of every trainer: one entry (countVocabulary) that reads the corpus once,
// counts its words and records each token's provisional id in the spool, with the byte-level
// WebAssembly counter (whitespace tokenizer) or, for the unicode, jieba and user tokenizers,
// lowercasing and normalisation, on decoded text; large files split across worker threads.
import { nodeBuiltin } from '../runtime/node-builtins.js';
import { AbortError } from '../errors.js';
import { readCorpusBytes, readCorpusText, type CorpusSource } from './source.js';
import { abortable } from './abortable.js';
import { runOnWorkers } from '../runtime/worker-pool.js';
import { seconds, throttle } from '../runtime/phases.js';
import { raiseFlag } from '../runtime/memory-layout.js';
import { readTextRange, type TextShardOptions, type TextVocabularyShardResult, type TextVocabularyShardTask, type VocabularyShardResult, type VocabularyShardTask } from './vocabulary-shard.js';
import { ByteVocabularyCounter } from './byte-counter.js';
import { tokenize, type TokenizeOptions } from './tokenizer.js';
import { VocabularyCounter, type Vocabulary, type VocabularyTies } from './vocabulary.js';
import { joinPhraseBatches, type PhraseTable } from './phrase-joiner.js';
import type { IdSpool } from './id-spool.js';
import { splitFile, type BoundaryRule } from './file-ranges.js';
const { createReadStream } = nodeBuiltin('node:fs');
const { resolve: resolvePath } = nodeBuiltin('node:path');

/** Below this size a corpus file is counted on one thread: starting workers would cost more. */
const PARALLEL_MIN_BYTES = 32 << 20;
/**
 * The same for decoded-text tokenizers, which take 10-100 times longer per byte than the byte
 * counter (jieba and OpenCC most), so splitting pays off on much smaller files.
 */
const TEXT_PARALLEL_MIN_BYTES = 4 << 20;
const READ_CHUNK_BYTES = 1 << 20;

export interface CountVocabularyOptions extends TokenizeOptions {
  minCount: number;
  maxVocabSize?: number;
  /** Order of words of equal count (default 'first-seen'). */
  ties?: VocabularyTies;
  /** Threads for a large plain-text file (default 1). */
  threads?: number;
  /** Smallest file split across threads (default 32 MiB, 4 MiB for the decoded-text tokenizers; tests lower it). */
  parallelMinBytes?: number;
  /** Learned phrases, joined into the tokens as they are read (on the decoded-text path). */
  phrases?: PhraseTable;
  signal?: AbortSignal;
  /** Tokens read so far: at most every PROGRESS_INTERVAL_MS, and once at the end with done = true. */
  onProgress?: (tokens: number, done: boolean, elapsedSeconds: number) => void;
}

export interface CountedVocabulary {
  vocabulary: Vocabulary;
  /** Provisional id (as recorded in the spool) → final id, −1 for dropped words. */
  remap: Int32Array;
  corpusTokens: number;
}

/**
 * The vocabulary pass of every trainer. The whitespace tokenizer on undecoded text runs on the
 * byte-level WebAssembly counter (countCorpusVocabulary); the unicode and user tokenizers,
 * lowercasing and normalisation run on decoded text (countTextVocabulary). Both give the same
 * vocabulary, order and ids for the same words.
 */
export function countVocabulary(input: CorpusSource, spool: IdSpool, options: CountVocabularyOptions): Promise<CountedVocabulary> {
  const plain = (options.tokenizer ?? 'whitespace') === 'whitespace' && !options.lowercase && !options.normalize && !options.phrases;
  return plain ? countCorpusVocabulary(input, spool, options) : countTextVocabulary(input, spool, options);
}

/**
 * The vocabulary pass on decoded text, for the unicode, jieba or a user tokenizer, lowercasing or
 * normalisation. A plain-text file of 4 MiB or more is split at line ends into `threads` ranges,
 * tokenized and counted at once (the first on this thread, the others on worker threads) and merged
 * in order, which gives the same vocabulary, order and ids as one pass. Not with maxVocabSize, nor
 * with a tokenizer function (it cannot be sent to a worker: give a module path instead).
 */
export async function countTextVocabulary(input: CorpusSource, spool: IdSpool, options: CountVocabularyOptions): Promise<CountedVocabulary> {
  const started = performance.now();
  const counter = new VocabularyCounter(spool, options.maxVocabSize);
  const progress = throttle(() => options.onProgress?.(counter.totalTokens, false, seconds(started)));
  const text: TokenizeOptions = { tokenizer: options.tokenizer, lowercase: options.lowercase, normalize: options.normalize, userDict: options.userDict };
  const threads = options.threads ?? 1;
  const sendable = typeof options.tokenizer !== 'function';
  const ranges = threads > 1 && sendable && typeof input === 'string' && input !== '-' && !limitsVocabulary(options.maxVocabSize)
    ? await splitAtSpaces(input, threads, options.parallelMinBytes ?? TEXT_PARALLEL_MIN_BYTES, true)
    : undefined;
  const count = async (chunks: AsyncIterable<string>) => {
    const batches = tokenize(chunks, text);
    for await (const batch of options.phrases ? joinPhraseBatches(batches, options.phrases) : batches) {
      if (options.signal?.aborted) throw new AbortError();
      counter.add(batch);
      progress.tick();
    }
  };
  if (ranges) {
    await countTextRanges(input as string, ranges, text as TextShardOptions, counter, spool, options.signal, count, options.phrases);
  } else {
    await count(abortable(readCorpusText(input), options.signal));
  }
  spool.finish();
  const { vocabulary, remap } = counter.finish(options.minCount, options.ties);
  options.onProgress?.(counter.totalTokens, true, seconds(started));
  return { vocabulary, remap, corpusTokens: counter.totalTokens };
}

/** As countRanges, on decoded text: ranges[0]..ranges[1] here, each later range on a worker. */
async function countTextRanges(
  path: string, ranges: number[], text: TextShardOptions, counter: VocabularyCounter, spool: IdSpool, signal: AbortSignal | undefined,
  count: (chunks: AsyncIterable<string>) => Promise<void>, phrases?: PhraseTable,
): Promise<void> {
  const abort = new SharedArrayBuffer(4);
  const stop = () => Atomics.store(new Int32Array(abort), 0, 1);
  // A module path is resolved here, so a worker finds the same file.
  const tokenizer = typeof text.tokenizer === 'object' ? { ...text.tokenizer, module: resolveModulePath(text.tokenizer.module) } : text.tokenizer;
  const tasks: TextVocabularyShardTask[] = [];
  for (let k = 1; k + 1 < ranges.length; k++) {
    tasks.push({ kind: 'vocabulary-text', path, start: ranges[k], end: ranges[k + 1], text: { ...text, tokenizer }, phrases, abort });
  }
  const shards = runOnWorkers<TextVocabularyShardTask, TextVocabularyShardResult>(tasks, { signal, stop });
  shards.catch(() => undefined);
  try {
    await count(readTextRange(path, 0, ranges[1]));
  } catch (error) {
    stop();
    await shards.catch(() => undefined);
    throw error;
  }
  for (const shard of await shards) {
    if (shard.aborted) throw new AbortError();
    const map = counter.mergeFrom(shard.counter!);
    for (const ids of shard.ids!) {
      for (let i = 0; i < ids.length; i++) ids[i] = map[ids[i]];
      spool.pushAll(ids);
    }
  }
}

function resolveModulePath(module: string): string {
  return module.startsWith('.') ? resolvePath(module) : module;
}

/**
 * The vocabulary pass of every trainer: reads the corpus once as bytes, counts words and records
 * each token's provisional id in `spool`. `onProgress` gets the tokens read so far (at most every
 * 250 ms, and once at the end with done = true).
 *
 * A plain-text file of 32 MiB or more is split at spaces into `threads` ranges, counted at once
 * (the first on this thread, the others on worker threads) and merged in order, which gives the
 * same vocabulary, order and ids as one pass. Not with maxVocabSize, whose pruning depends on the
 * order of the whole text.
 */
export async function countCorpusVocabulary(input: CorpusSource, spool: IdSpool, options: CountVocabularyOptions): Promise<CountedVocabulary> {
  const started = performance.now();
  const threads = options.threads ?? 1;
  const ranges = threads > 1 && typeof input === 'string' && input !== '-' && !limitsVocabulary(options.maxVocabSize)
    ? await splitAtSpaces(input, threads, options.parallelMinBytes ?? PARALLEL_MIN_BYTES)
    : undefined;
  const counter = new ByteVocabularyCounter(spool, options.maxVocabSize);
  const progress = throttle(() => options.onProgress?.(counter.totalTokens, false, seconds(started))).tick;
  if (ranges) {
    await countRanges(input as string, ranges, counter, spool, options.signal, progress);
  } else {
    for await (const chunk of abortable(readCorpusBytes(input), options.signal)) {
      if (options.signal?.aborted) throw new AbortError();
      counter.add(chunk);
      progress();
    }
    counter.end();
  }
  spool.finish();
  const { vocabulary, remap } = counter.finish(options.minCount, options.ties);
  options.onProgress?.(counter.totalTokens, true, seconds(started));
  return { vocabulary, remap, corpusTokens: counter.totalTokens };
}

/** Counts ranges[0]..ranges[1] here and each later range on a worker, then merges them in order. */
async function countRanges(
  path: string, ranges: number[], counter: ByteVocabularyCounter, spool: IdSpool, signal: AbortSignal | undefined, progress: () => void,
): Promise<void> {
  const abort = new SharedArrayBuffer(4);
  const stop = () => raiseFlag(abort, 0);
  const tasks: VocabularyShardTask[] = [];
  for (let k = 1; k + 1 < ranges.length; k++) tasks.push({ kind: 'vocabulary', path, start: ranges[k], end: ranges[k + 1], abort });
  const shards = runOnWorkers<VocabularyShardTask, VocabularyShardResult>(tasks, { signal, stop });
  // Awaited after this thread's range; a failure before then must not count as unhandled.
  shards.catch(() => undefined);
  try {
    // The file is plain text (checked by splitAtSpaces); createReadStream's end is inclusive.
    for await (const chunk of createReadStream(path, { start: 0, end: ranges[1] - 1, highWaterMark: READ_CHUNK_BYTES }) as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw new AbortError();
      counter.add(chunk);
      progress();
    }
  } catch (error) {
    stop();
    await shards.catch(() => undefined);
    throw error;
  }
  counter.end();
  for (const shard of await shards) {
    const map = counter.mergeFrom(shard.counter!);
    for (const ids of shard.ids!) {
      for (let i = 0; i < ids.length; i++) ids[i] = map[ids[i]];
      spool.pushAll(ids);
    }
  }
}

/**
 * Whether maxVocabSize can prune during the pass (its pruning depends on the order of the whole
 * text, so such a pass runs on one thread). The trainers resolve "no limit" to
 * Number.MAX_SAFE_INTEGER, which is finite: testing isFinite kept every trainer's pass on one thread.
 */
function limitsVocabulary(maxVocabSize: number | undefined): boolean {
  return maxVocabSize !== undefined && maxVocabSize < Number.MAX_SAFE_INTEGER;
}

/**
 * Splits a plain-text file into `parts` byte ranges, each ending just after a space or line end
 * (bytes that are never inside a word or a multi-byte sequence), so counting the ranges apart
 * gives the same tokens as counting the whole; with `preferLineEnds`, at the first line end in a
 * 1 MiB window, else a space. Undefined for a small or gzip file.
 */
async function splitAtSpaces(path: string, parts: number, minBytes: number, preferLineEnds = false): Promise<number[] | undefined> {
  const rule: BoundaryRule = preferLineEnds
    ? (window) => {
      // A line end in this window, else a space (a line longer than the window).
      const lineEnd = window.indexOf(0x0a);
      const index = lineEnd >= 0 ? lineEnd : window.indexOf(0x20);
      return index >= 0 ? { index, lineStart: lineEnd >= 0 } : undefined;
    }
    : (window) => {
      let i = 0;
      while (i < window.length && window[i] !== 0x20 && window[i] !== 0x0a) i++;
      return i < window.length ? { index: i, lineStart: window[i] === 0x0a } : undefined;
    };
  return (await splitFile(path, parts, minBytes, rule))?.map((start) => start.offset);
}

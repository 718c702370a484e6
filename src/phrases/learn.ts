// Phrase learning, word2vec.c's word2phrase: each pass counts words and adjacent pairs (on every
// thread for a large file: ranges split after a separator, merged in text order), scores the pairs
// and writes the text with the pairs above the threshold joined by '_'. Passes after the first read
// the previous pass's output from a temporary file. learnPhrases returns the joined pairs as a
// Phrases object; phraseCorpus also writes the joined text (atomically), as word2phrase does.
import { nodeBuiltin } from '../runtime/node-builtins.js';
import { AbortError } from '../errors.js';
import { readCorpusBytes, type CorpusSource } from '../corpus/source.js';
import { abortable } from '../corpus/abortable.js';
import { splitFile } from '../corpus/file-ranges.js';
import { runOnWorkers } from '../runtime/worker-pool.js';
import { seconds, throttle } from '../runtime/phases.js';
import { raiseFlag } from '../runtime/memory-layout.js';
import { registerTempPath } from '../runtime/temp-files.js';
import { writeFileAtomic, type WritableLike } from '../runtime/atomic-write.js';
import { PhraseCounter, type PhraseScoring } from './counter.js';
import { resolveLearnPhrasesOptions, type LearnPhrasesOptions, type ResolvedLearnPhrasesOptions } from './options.js';
import { Phrases, type PhrasePass } from './phrases.js';
import type { PhraseShardResult, PhraseShardTask } from './shard.js';
const { createReadStream, promises: fs } = nodeBuiltin('node:fs');
const { dirname, join } = nodeBuiltin('node:path');
const { tmpdir } = nodeBuiltin('node:os');
const { randomBytes } = nodeBuiltin('node:crypto');

const READ_CHUNK_BYTES = 1 << 20;

export interface PhrasesReport {
  phrases: Phrases;
  /** Per pass: words counted (word2phrase.c's train_words), distinct strings and pairs, pairs joined, seconds. */
  passes: { words: number; strings: number; pairs: number; joined: number; countSeconds: number; writeSeconds: number }[];
  threads: number;
  seconds: number;
}

/** Learns phrases (word2phrase, or gensim's npmi scorer) from a corpus; returns them without writing the text. */
export async function learnPhrases(options: LearnPhrasesOptions): Promise<Phrases> {
  return (await runPhrases(resolveLearnPhrasesOptions(options))).phrases;
}

/**
 * word2phrase: writes the corpus with phrases joined to `output` (atomically; passes > 1 go
 * through temporary files next to it, removed on every exit path) and returns the report.
 */
export async function phraseCorpus(options: LearnPhrasesOptions & { output: string }): Promise<PhrasesReport> {
  const { output, ...rest } = options;
  return runPhrases(resolveLearnPhrasesOptions(rest), output);
}

async function runPhrases(options: ResolvedLearnPhrasesOptions, output?: string): Promise<PhrasesReport> {
  const started = performance.now();
  const passes: PhrasePass[] = [];
  const report: PhrasesReport['passes'] = [];
  const temps: string[] = [];
  const releases: Array<() => void> = [];
  let input: CorpusSource = options.input;
  try {
    for (let k = 0; k < options.passes; k++) {
      const last = k === options.passes - 1;
      // Every pass but the last writes its text for the next one: next to the output, or (learning
      // only) in the system's temporary directory.
      const target: string | undefined = last ? output : join(output !== undefined ? dirname(output) : tmpdir(), `.${randomBytes(6).toString('hex')}.phrases-pass${k + 1}.tmp`);
      if (!last) {
        temps.push(target!);
        releases.push(registerTempPath(target!));
      }
      const result = await runPass(input, k, options, target);
      passes.push(result.pass);
      report.push(result.report);
      if (target !== undefined) input = target;
    }
  } finally {
    for (const path of temps) await fs.rm(path, { force: true });
    for (const release of releases) release();
  }
  return { phrases: new Phrases(passes), passes: report, threads: options.threads, seconds: seconds(started) };
}

async function runPass(input: CorpusSource, k: number, options: ResolvedLearnPhrasesOptions, output: string | undefined) {
  const final = k === options.passes - 1;
  const countStarted = performance.now();
  const { counter, ids } = await countPhrases(input, k, options);
  const threshold = options.thresholds[k];
  counter.finishCount(options.minCount);
  const pass = collectPhrases(counter, options.scoring, threshold, options.minCount);
  const countSeconds = seconds(countStarted);
  const writeStarted = performance.now();
  if (output !== undefined) {
    counter.startApply({ minCount: options.minCount, threshold, scoring: options.scoring });
    await writeFileAtomic(output, async (out: WritableLike) => {
      for (const block of ids) {
        if (options.signal?.aborted) throw new AbortError();
        for (const bytes of counter.apply(block)) await out.write(bytes);
      }
    }, { signal: options.signal, fsync: final }); // a pass file for the next pass needs no fsync
  }
  let joined = 0;
  for (const right of pass.pairs.values()) joined += right.size;
  return {
    pass,
    report: { words: counter.tokens, strings: counter.strings, pairs: counter.pairs, joined, countSeconds, writeSeconds: seconds(writeStarted) },
  };
}

/**
 * The count of one pass: unigrams and pairs of the whole input in one counter, and every token's
 * id in text order. A large plain file is split into `threads` ranges counted at once (the first
 * here, the others on workers) and merged in order; word2phrase.c pairs words across line ends,
 * so pairs cross range borders too: each range reports its first word (`pending`) and last (`lastX`).
 */
async function countPhrases(input: CorpusSource, k: number, options: ResolvedLearnPhrasesOptions): Promise<{ counter: PhraseCounter; ids: Int32Array[] }> {
  const ids: Int32Array[] = [];
  const push = (block: Int32Array) => ids.push(block);
  const counter = new PhraseCounter(options.scoring);
  const progress = throttle(() => options.onProgress?.({ pass: k + 1, words: counter.tokens, done: false })).tick;
  const split = options.threads > 1 && typeof input === 'string' && input !== '-' ? await splitAfterSeparators(input, options.threads, options.parallelMinBytes) : undefined;
  const ranges = split && split.length > 2 ? split : undefined; // one range: no worker to start
  if (!ranges) {
    for await (const chunk of abortable(readCorpusBytes(input), options.signal)) {
      if (options.signal?.aborted) throw new AbortError();
      counter.add(chunk, push);
      progress();
    }
    counter.end(push);
    mergeRanges(counter, [], options.scoring);
  } else {
    const path = input as string;
    const abort = new SharedArrayBuffer(4);
    const stop = () => raiseFlag(abort, 0);
    const tasks: PhraseShardTask[] = [];
    for (let r = 1; r + 1 < ranges.length; r++) {
      tasks.push({ kind: 'phrases-count', path, start: ranges[r].start, end: ranges[r + 1].start, lineStart: ranges[r].lineStart, scoring: options.scoring, abort });
    }
    const shards = runOnWorkers<PhraseShardTask, PhraseShardResult>(tasks, { signal: options.signal, stop });
    shards.catch(() => undefined);
    try {
      for await (const chunk of createReadStream(path, { start: 0, end: ranges[1].start - 1, highWaterMark: READ_CHUNK_BYTES }) as AsyncIterable<Buffer>) {
        if (options.signal?.aborted) throw new AbortError();
        counter.add(chunk, push);
        progress();
      }
    } catch (error) {
      stop();
      await shards.catch(() => undefined);
      throw error;
    }
    const results = await shards;
    if (results.some((r) => r.aborted)) throw new AbortError();
    mergeRanges(counter, results, options.scoring, ids);
  }
  options.onProgress?.({ pass: k + 1, words: counter.tokens, done: true });
  return { counter, ids };
}

/**
 * Merges the workers' counts into the first range's counter, in text order, and counts the pairs
 * that cross range borders: a range's `pending` (first) word pairs with the word before it. The
 * text's first word in word2phrase.c pairs with its last_word before any was set (an uninitialised
 * stack buffer); it is counted as the empty word's, i.e. as the string "_" + word.
 */
function mergeRanges(counter: PhraseCounter, shards: PhraseShardResult[], scoring: PhraseScoring, ids?: Int32Array[]): void {
  const underscore = new Uint8Array([0x5f]);
  const pairWith = (x: number, word: number) => {
    if (x >= 0) counter.addPair(x, word);
    else if (x === -1 && scoring === 'default') counter.addString(concat(underscore, counter.stringBytes(word)));
  };
  const { pending } = counter.rangeState;
  let x = counter.rangeState.lastX;
  if (pending >= 0) pairWith(-1, pending);
  for (const shard of shards) {
    const snapshot = shard.counter!;
    const map = counter.mergeFrom(snapshot);
    for (const block of shard.ids!) {
      for (let i = 0; i < block.length; i++) block[i] = map[block[i]];
      ids!.push(block);
    }
    if (snapshot.pending >= 0) pairWith(x, map[snapshot.pending]);
    if (snapshot.lastX !== -1) x = snapshot.lastX >= 0 ? map[snapshot.lastX] : snapshot.lastX;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The pairs a pass joins, with their scores (as the joining pass computes them). */
function collectPhrases(counter: PhraseCounter, scoring: PhraseScoring, threshold: number, minCount: number): PhrasePass {
  const pairs = new Map<string, Map<string, number>>();
  const decoder = new TextDecoder();
  const words = counter.tokens;
  const f32 = Math.fround;
  const thresholdF32 = f32(threshold);
  counter.forEachPair((a, b, joinedCount) => {
    if (a === 0 || joinedCount < minCount) return; // pairs with "</s>" only join across a line end
    const ca = counter.count(a);
    const cb = counter.count(b);
    let score: number;
    if (scoring === 'npmi') {
      const pab = joinedCount / words;
      score = Math.log(pab / ((ca / words) * (cb / words))) / -Math.log(pab);
      if (!(score > threshold)) return;
    } else {
      if (ca < minCount || cb < minCount) return;
      score = f32(f32(f32(f32(joinedCount - minCount) / f32(ca)) / f32(cb)) * f32(words));
      if (!(score > thresholdF32)) return;
    }
    const left = decoder.decode(counter.stringBytes(a));
    let right = pairs.get(left);
    if (!right) pairs.set(left, (right = new Map()));
    right.set(decoder.decode(counter.stringBytes(b)), score);
  });
  return { scoring, threshold, minCount, pairs };
}

interface Range {
  start: number;
  lineStart: boolean;
}

/**
 * Splits a plain file into `parts` ranges, each starting just after a line end (or, in a line
 * longer than 1 MiB, after a space or tab). Undefined for a small or gzip file, or one that is not
 * a regular file.
 */
async function splitAfterSeparators(path: string, parts: number, minBytes: number): Promise<Range[] | undefined> {
  const starts = await splitFile(path, parts, minBytes, (window) => {
    const lineEnd = window.indexOf(0x0a);
    if (lineEnd >= 0) return { index: lineEnd, lineStart: true };
    const space = window.indexOf(0x20);
    const tab = window.indexOf(0x09);
    const index = space < 0 ? tab : tab < 0 ? space : Math.min(space, tab);
    return index >= 0 ? { index, lineStart: false } : undefined;
  });
  if (!starts) return undefined;
  const ranges = starts.map(({ offset, lineStart }) => ({ start: offset, lineStart }));
  // Drop empty ranges (a tiny file, or one long word): the last one left starts at the end.
  return ranges.filter((r, i) => i === 0 || r.start > ranges[i - 1].start);
}

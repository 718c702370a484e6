// train() in a web page: the same word2vec trainer as Node.js (src/word2vec/train.ts: options,
// vocabulary pass, memory layout, kernels, shard routine), its corpus a string, Blob or File read in
// memory, its workers Web Workers (src/browser/worker-pool.ts). Multi-threaded where the page is
// cross-origin isolated (the two headers in the README); otherwise on one thread, with a warning.
import { Wasm2VecError } from '../errors.js';
import { train as trainWord2Vec, type TrainedModel, type TrainedSubwordModel, type TrainingReport } from '../word2vec/train.js';
import type { Word2VecOptions } from '../word2vec/options.js';
import type { TextInput } from '../corpus/source.js';
import { loadKernels } from './load.js';
import { web, type WebBlob } from './web.js';

/** A corpus in the page: text, or a Blob or File of UTF-8 text (gzip is recognised and decompressed). */
export type BrowserCorpus = string | WebBlob;

/** Options that read or write files in Node.js; a page passes data instead. */
type FileOptions = 'input' | 'saveState' | 'checkpoint' | 'resume' | 'initialModel' | 'updateVocabulary' | 'mergeSaved' | 'pretrainedVectors' | 'tokenStore' | 'planOnly' | 'userDict';

/** train()'s options in a page: Node.js's word2vec options, the corpus in memory, no file options. */
export interface BrowserTrainOptions extends Omit<Word2VecOptions, FileOptions> {
  input: BrowserCorpus;
}

export interface BrowserTrainingReport extends TrainingReport {
  /** Whether the page was cross-origin isolated; when false the run used one thread (see the README). */
  crossOriginIsolated: boolean;
}

export type BrowserTrainedModel = (TrainedModel | TrainedSubwordModel) & { report: BrowserTrainingReport };

/** Why a page cannot train on several threads, as train() warns and the README explains. */
export const NOT_ISOLATED_WARNING =
  'wasm2vec: this page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and ' +
  'Cross-Origin-Embedder-Policy: require-corp), so SharedArrayBuffer is unavailable and training runs on one thread';

/**
 * Trains word2vec (skip-gram, CBOW, the fastText models) in the page on `threads` Web Workers sharing
 * one WebAssembly.Memory; progress through `onProgress`, a stop through `signal` (rejects with
 * AbortError). Resolves to KeyedVectors (SubwordVectors for subword models) with a `report`.
 */
export async function train(options: BrowserTrainOptions): Promise<BrowserTrainedModel> {
  if (typeof options !== 'object' || options === null) throw new Wasm2VecError('train() takes an options object, e.g. { input: text }');
  const given = options as BrowserTrainOptions & Partial<Record<FileOptions, unknown>>;
  for (const name of ['saveState', 'checkpoint', 'resume', 'initialModel', 'updateVocabulary', 'pretrainedVectors', 'tokenStore', 'planOnly', 'userDict'] as const) {
    if (given[name] !== undefined) throw new Wasm2VecError(`option ${name} reads or writes files and is not available in the browser build; train in Node.js for it`);
  }
  if (typeof options.phrases === 'string' || (options.phrases !== undefined && !('passes' in options.phrases))) {
    throw new Wasm2VecError('option phrases: in the browser give a Phrases table (learned in Node.js), not a file path or settings');
  }
  const isolated = web.crossOriginIsolated === true;
  // the epoch barrier parks the workers on the shared memory (Atomics.wait): a page's one thread cannot
  if (!isolated && options.onEpochEnd !== undefined) {
    throw new Wasm2VecError('option onEpochEnd needs a cross-origin isolated page (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp): without it training runs on the page\'s one thread, which cannot pause at each epoch\'s end; use onProgress (its loss and epoch) instead');
  }
  if (!isolated) console.warn(NOT_ISOLATED_WARNING);
  await loadKernels();
  const model = (await trainWord2Vec({
    ...options,
    input: corpusText(options.input),
    threads: isolated ? options.threads : 1,
    tokenStore: 'memory',
  } as Word2VecOptions)) as BrowserTrainedModel;
  model.report.crossOriginIsolated = isolated;
  return model;
}

function corpusText(input: unknown): TextInput {
  if (typeof input === 'string') return { text: stringChunks(input) };
  if (web.Blob !== undefined && input instanceof web.Blob) return { text: blobChunks(input) };
  throw new Wasm2VecError(`option input must be the corpus text (a string) or a Blob or File, got ${input === null ? 'null' : typeof input}`);
}

/** Text in pieces of about 1 MiB, each ending after a space or line end (never inside a word or a surrogate pair). */
function* stringChunks(text: string): Generator<string> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + STRING_CHUNK_CHARS);
    while (end < text.length && text[end - 1] !== ' ' && text[end - 1] !== '\n') end++;
    yield text.slice(start, end);
    start = end;
  }
}

const STRING_CHUNK_CHARS = 1 << 20;

/** The Blob's bytes in chunks, decompressed when it is gzip (first bytes 1f 8b). */
async function* blobChunks(blob: WebBlob): AsyncGenerator<Uint8Array> {
  const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
  const gzip = head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
  const bytes = gzip ? blob.stream().pipeThrough(new web.DecompressionStream('gzip')) : blob.stream();
  const reader = bytes.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

// wasm2vec/browser: the browser build's public API (bundled by scripts/build-browser.mjs into
// dist/browser/wasm2vec.js, with worker.js and kernels.wasm beside it). Small on purpose:
//
//   import { train } from 'wasm2vec/browser';
//   const model = await train({ input: file, model: 'skipgram', threads: 2, onProgress, signal });
//   model.mostSimilar('king');  model.report.wordsPerSecond;  model.report.crossOriginIsolated
//
// - train(options): Node.js's word2vec options (src/word2vec/options.ts), `input` a string, Blob or
//   File; no option that reads or writes files. Resolves to KeyedVectors (SubwordVectors for subword
//   models) with a `report`; rejects with AbortError when `signal` aborts, Wasm2VecError on bad input.
// - Several threads need a cross-origin isolated page (Cross-Origin-Opener-Policy: same-origin,
//   Cross-Origin-Embedder-Policy: require-corp); without it train() warns and uses one thread.
// - loadVectors(source, { format?, limit?, name? }): a model's bytes (ArrayBuffer, Uint8Array, File
//   or Blob, fetch Response) in any format Node.js reads → KeyedVectors (SubwordVectors for .bin).
// - vectorsBlob(model, { format? }): the model written as by save() (default fastText .vec), as a Blob.
// - complete, neighbours, analogy, wordMap: the questions of `wasm2vec serve`'s explorer
//   (src/serve/queries.ts), so its page answers them the same way for a model it trained itself.
// - loadKernels(url?): fetches and compiles kernels.wasm ahead of time (train() does it on first use);
//   useWorkerScript(url): where worker.js is, when it is not beside wasm2vec.js.
export { train, NOT_ISOLATED_WARNING, type BrowserTrainOptions, type BrowserTrainedModel, type BrowserTrainingReport, type BrowserCorpus } from './train.js';
export { loadKernels } from './load.js';
export { loadVectors, type LoadVectorsOptions, type VectorsSource } from './load-vectors.js';
export { useWorkerScript } from './worker-pool.js';
export { vectorsBlob } from './save-vectors.js';
export { complete, neighbours, analogy, wordMap, type WordMap, type MapPoint, type MapMethod } from '../serve/queries.js';
export { KeyedVectors, SubwordVectors } from '../model/index.js';
export { Wasm2VecError, AbortError } from '../errors.js';
export type { ProgressEvent, EpochEndEvent, EpochEndCallback } from '../word2vec/options.js';
export type { TrainingReport } from '../word2vec/train.js';
export type { EmbeddingFormat } from '../formats/types.js';

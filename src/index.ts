// wasm2vec's library API.
export { train, type TrainedModel, type TrainingReport } from './word2vec/train.js';
export { WORD2VEC_DEFAULTS, type Word2VecOptions, type ProgressEvent } from './word2vec/options.js';
export { trainGlove, type TrainedGlove, type GloveReport } from './glove/train.js';
export { GLOVE_DEFAULTS, type GloveOptions, type GloveProgressEvent, type GloveVectors } from './glove/options.js';
export { KeyedVectors } from './model/index.js';
export { SubwordVectors, type FastTextModelInfo } from './model/index.js';
export { SUBWORD_DEFAULTS, subwordStrings, subwordBuckets, fastTextHash, type SubwordOptions, type SubwordSettings } from './corpus/subwords.js';
export { evaluateAnalogies, evaluateWordPairs } from './model/evaluate.js';
export { readEmbeddings, writeEmbeddings } from './formats/index.js';
export type { EmbeddingFormat, EmbeddingTable } from './formats/types.js';
export type { CorpusSource } from './corpus/source.js';
export { tokenize, END_OF_LINE, type TokenizerOption, type TokenizerFunction, type TokenizerModule, type TokenizeOptions, type Normalization } from './corpus/tokenizer.js';
export { segmentCorpus, type SegmentOptions, type SegmentReport } from './corpus/segment.js';
export { Wasm2VecError, AbortError } from './errors.js';

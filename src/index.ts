// wasm2vec's library API.
export { train, type TrainedModel, type TrainingReport } from './word2vec/train.js';
export { WORD2VEC_DEFAULTS, type Word2VecOptions, type ProgressEvent } from './word2vec/options.js';
export { trainGlove, type TrainedGlove, type GloveReport } from './glove/train.js';
export { GLOVE_DEFAULTS, type GloveOptions, type GloveProgressEvent, type GloveVectors } from './glove/options.js';
export { KeyedVectors } from './model/index.js';
export { trainClassifier, type TrainedClassifier, type ClassifierReport } from './supervised/train.js';
export { SUPERVISED_DEFAULTS, type SupervisedOptions, type SupervisedLoss, type SupervisedProgressEvent } from './supervised/options.js';
export { Classifier, type Prediction, type PredictOptions, type ClassifierTestResult } from './model/index.js';
export { SubwordVectors, type FastTextModelInfo } from './model/index.js';
export { SUBWORD_DEFAULTS, subwordStrings, subwordBuckets, fastTextHash, type SubwordOptions, type SubwordSettings } from './corpus/subwords.js';
export { evaluateAnalogies, evaluateWordPairs } from './model/evaluate.js';
export { evaluateClassification, type ClassificationEvaluation, type ClassificationEvalOptions } from './model/index.js';
export { readEmbeddings, writeEmbeddings } from './formats/index.js';
export type { EmbeddingFormat, EmbeddingTable } from './formats/types.js';
export type { CorpusSource } from './corpus/source.js';
export { tokenize, END_OF_LINE, type TokenizerOption, type TokenizerFunction } from './corpus/tokenizer.js';
export { Wasm2VecError, AbortError } from './errors.js';

// wasm2vec's library API: everything a caller imports, values and types, from one entry
// (also what `require('wasm2vec')` returns, through dist/cjs/index.cjs).
export {
  train, type TrainedModel, type TrainedSubwordModel, type TrainingReport, type SubwordTrainingOptions, type WordTrainingOptions,
} from './word2vec/train.js';
export { WORD2VEC_DEFAULTS, type Word2VecOptions, type ProgressEvent, type EpochEndEvent, type EpochEndCallback } from './word2vec/options.js';
export { readTrainingState, writeTrainingState, type TrainingState, type TrainingSchedule, type WorkerSchedule, type StateMatrix } from './formats/wasm2vec-state.js';
export { readGloveState, writeGloveState, type GloveTrainingState, type GloveSchedule, type GloveRows } from './formats/wasm2vec-state.js';
export { trainGlove, type TrainedGlove, type GloveReport } from './glove/train.js';
export { GLOVE_DEFAULTS, type GloveOptions, type GloveProgressEvent, type GloveVectors, type GloveEpochEndEvent, type GloveEpochEndCallback } from './glove/options.js';
export { trainSvd, type TrainedSvd, type SvdReport } from './svd/train.js';
export { SVD_DEFAULTS, type SvdOptions, type SvdProgressEvent } from './svd/options.js';
export { trainClassifier, type TrainedClassifier, type ClassifierReport } from './supervised/train.js';
export { SUPERVISED_DEFAULTS, type SupervisedOptions, type SupervisedLoss, type SupervisedProgressEvent } from './supervised/options.js';
export {
  KeyedVectors, type Term, type ScoredWord, type MostSimilarOptions, type SimilarQuery, type AnalogyMethod, type AnalogyOptions,
  type DistanceOptions, type TextVectorOptions, type LoadOptions, type SaveOptions, type BatchResult,
} from './model/index.js';
export { SubwordVectors, type FastTextModelInfo, type SubwordVectorsParts } from './model/index.js';
export { Classifier, type Prediction, type PredictOptions, type ClassifierTestResult, type LabelScores } from './model/index.js';
export { SUBWORD_DEFAULTS, subwordStrings, subwordBuckets, fastTextHash, type SubwordOptions, type SubwordSettings } from './corpus/subwords.js';
export {
  evaluateAnalogies, evaluateWordPairs, type AnalogyEvaluation, type AnalogyEvaluationOptions, type AnalogySectionResult,
  type AccuracyCounts, type WordPairsEvaluation, type WordPairsOptions,
} from './model/index.js';
export { evaluateClassification, type ClassificationEvaluation, type ClassificationEvalOptions } from './model/index.js';
export { readEmbeddings, writeEmbeddings, EMBEDDING_FORMATS, type ReadEmbeddingsOptions, type ReadSource, type BytesSource } from './formats/index.js';
export type { SupervisedArgs, SupervisedLossName, SupervisedModelParts } from './formats/fasttext-supervised.js';
export type { LabelDictionary, LabelDictionaryParts, LineRows } from './corpus/label-dictionary.js';
export type { CooccurrenceWeighting } from './cooccur/count.js';
export type { EmbeddingFormat, EmbeddingTable } from './formats/types.js';
export type { CorpusSource, CorpusStream, Sentence, TextChunks, TextInput } from './corpus/source.js';
export { tokenize, END_OF_LINE, type TokenizerOption, type TokenizerFunction, type TokenizerModule, type TokenizeOptions, type Normalization } from './corpus/tokenizer.js';
export { segmentCorpus, type SegmentOptions, type SegmentReport } from './corpus/segment.js';
export { learnPhrases, phraseCorpus, type PhrasesReport } from './phrases/learn.js';
export { Phrases, type PhrasePass } from './phrases/phrases.js';
export type { PhraseOptions, LearnPhrasesOptions } from './phrases/options.js';
export type { PhrasesOption } from './phrases/prepare.js';
export type { PhraseTable } from './corpus/phrase-joiner.js';
export type { PhraseScoring } from './phrases/counter.js';
export { Wasm2VecError, AbortError } from './errors.js';
export type { CountStats } from './cooccur/count.js';
export type { WriteFileAtomicOptions } from './runtime/atomic-write.js';
export type { MemoryPlan, MemoryPlanRegion } from './runtime/memory-plan.js';
export type { Sharing } from './runtime/memory-layout.js';

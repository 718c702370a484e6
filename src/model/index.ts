// The model stage's entry: trained or loaded vectors and what is asked of them. Import the model
// classes from here: loading this module registers SubwordVectors with KeyedVectors.load.
export {
  KeyedVectors, type AnalogyMethod, type AnalogyOptions, type BatchResult, type DistanceOptions, type ScoredWord, type SimilarQuery,
  type MostSimilarOptions, type SaveOptions, type LoadOptions, type Term, type TextVectorOptions,
} from './keyed-vectors.js';
export { SubwordVectors, type FastTextModelInfo, type SubwordVectorsParts } from './subword-vectors.js';
export {
  evaluateAnalogies, evaluateWordPairs, type AccuracyCounts, type AnalogyEvaluation, type AnalogyEvaluationOptions, type AnalogySectionResult,
  type WordPairsEvaluation, type WordPairsOptions,
} from './evaluate.js';
export { Classifier, splitFastTextLine, readLines, type Prediction, type PredictOptions, type ClassifierTestResult, type LabelScores } from './classifier.js';
export { evaluateClassification, type ClassificationEvaluation, type ClassificationEvalOptions } from './evaluate-classification.js';

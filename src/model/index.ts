// The model stage's entry: trained or loaded vectors and what is asked of them. Import the model
// classes from here: loading this module registers SubwordVectors with KeyedVectors.load.
export { KeyedVectors, type AnalogyMethod, type ScoredWord, type MostSimilarOptions, type SaveOptions, type LoadOptions } from './keyed-vectors.js';
export { SubwordVectors, type FastTextModelInfo, type SubwordVectorsParts } from './subword-vectors.js';
export { evaluateAnalogies, evaluateWordPairs, type AnalogyEvaluation, type WordPairsEvaluation } from './evaluate.js';
export { Classifier, splitFastTextLine, readLines, type Prediction, type PredictOptions, type ClassifierTestResult, type LabelScores } from './classifier.js';
export { evaluateClassification, type ClassificationEvaluation, type ClassificationEvalOptions } from './evaluate-classification.js';

// Downstream evaluation of any embedding (SentEval's protocol for single-sentence classification):
// each text is the mean of its words' vectors (frozen embeddings), and a multinomial logistic
// regression on those features is trained on the training file and scored on the test file.
// Files are in fastText's format ("__label__x text"); a line with several labels counts as right
// when the predicted label is any of them (P@1), and trains on its first.
import { Wasm2VecError } from '../errors.js';
import type { KeyedVectors } from './keyed-vectors.js';
import { readLines } from './classifier.js';
import { loadLineTokenizer, type TokenizeOptions } from '../corpus/tokenizer.js';

/**
 * `tokenizer`, `normalize`, `lowercase`, `userDict`: how a line's text (its labels set apart) is
 * split into words, as the trainers split their corpus ('whitespace' by default; 'unicode' or
 * 'jieba' for Chinese).
 */
export interface ClassificationEvalOptions extends TokenizeOptions {
  /** Label prefix (default "__label__"). */
  labelPrefix?: string;
  /** Passes of the logistic regression over the training set (default 10). */
  epochs?: number;
  /** L2 penalty of the logistic regression (default 1e-5). */
  l2?: number;
  seed?: number;
}

export interface ClassificationEvaluation {
  labels: number;
  trainExamples: number;
  testExamples: number;
  /** Lines skipped: no label, or (test) only labels absent from the training file. */
  skipped: number;
  /** Fraction of test tokens with a vector. */
  coverage: number;
  /** Test accuracy (P@1) of the logistic regression. */
  accuracy: number;
  /** Test accuracy of always answering the most frequent training label. */
  majorityBaseline: number;
  seconds: number;
}

interface Example {
  features: Float32Array;
  labels: number[];
}

export async function evaluateClassification(
  model: KeyedVectors, trainPath: string, testPath: string, options: ClassificationEvalOptions = {},
): Promise<ClassificationEvaluation> {
  const started = performance.now();
  const prefix = options.labelPrefix ?? '__label__';
  const tokenize = await loadLineTokenizer(options);
  const epochs = options.epochs ?? 10;
  const l2 = options.l2 ?? 1e-5;
  const labelIndex = new Map<string, number>();
  let skipped = 0;
  let tokens = 0;
  let known = 0;

  const read = async (path: string, addLabels: boolean): Promise<Example[]> => {
    const examples: Example[] = [];
    for await (const line of readLines(path)) {
      // Labels are whitespace-separated tokens, kept whole; the rest of the line is tokenized.
      const text: string[] = [];
      const labels: number[] = [];
      for (const token of line.split(/\s+/u)) {
        if (token.length === 0) continue;
        if (!token.startsWith(prefix)) {
          text.push(token);
          continue;
        }
        let id = labelIndex.get(token);
        if (id === undefined && addLabels) labelIndex.set(token, (id = labelIndex.size));
        if (id !== undefined) labels.push(id);
      }
      if (labels.length === 0) {
        if (line.trim().length > 0) skipped++;
        continue;
      }
      const words = tokenize(text.join(' '));
      if (!addLabels) {
        tokens += words.length;
        for (const w of words) if (model.has(w) || model.has(w.toLowerCase())) known++;
      }
      examples.push({ features: model.textVector(words.join(' ')), labels });
    }
    return examples;
  };
  const train = await read(trainPath, true);
  if (train.length === 0) throw new Wasm2VecError(`${trainPath}: no labelled line (labels start with ${JSON.stringify(prefix)})`);
  if (labelIndex.size < 2) throw new Wasm2VecError(`${trainPath}: only one label (${[...labelIndex.keys()][0]}); a classifier needs two or more`);
  const test = await read(testPath, false);
  if (test.length === 0) throw new Wasm2VecError(`${testPath}: no line has a label seen in ${trainPath}`);

  const dim = model.dim;
  const classes = labelIndex.size;
  // Standardise the features with the training set's mean and deviation.
  const mean = new Float64Array(dim);
  const deviation = new Float64Array(dim);
  for (const e of train) for (let d = 0; d < dim; d++) mean[d] += e.features[d] / train.length;
  for (const e of train) for (let d = 0; d < dim; d++) deviation[d] += (e.features[d] - mean[d]) ** 2 / train.length;
  for (let d = 0; d < dim; d++) deviation[d] = Math.sqrt(deviation[d]) || 1;
  for (const e of [...train, ...test]) for (let d = 0; d < dim; d++) e.features[d] = (e.features[d] - mean[d]) / deviation[d];

  const weights = trainLogisticRegression(train, dim, classes, epochs, l2, options.seed ?? 1);
  const scores = new Float64Array(classes);
  let correct = 0;
  for (const e of test) if (e.labels.includes(argmax(logits(weights, e.features, dim, classes, scores)))) correct++;
  const counts = new Float64Array(classes);
  for (const e of train) counts[e.labels[0]]++;
  const majority = argmax(counts);
  const majorityCorrect = test.filter((e) => e.labels.includes(majority)).length;
  return {
    labels: classes,
    trainExamples: train.length,
    testExamples: test.length,
    skipped,
    coverage: tokens > 0 ? known / tokens : 0,
    accuracy: correct / test.length,
    majorityBaseline: majorityCorrect / test.length,
    seconds: (performance.now() - started) / 1000,
  };
}

function logits(weights: Float64Array, x: Float32Array, dim: number, classes: number, out: Float64Array): Float64Array {
  for (let c = 0; c < classes; c++) {
    const base = c * (dim + 1);
    let s = weights[base + dim];
    for (let d = 0; d < dim; d++) s += weights[base + d] * x[d];
    out[c] = s;
  }
  return out;
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Softmax regression by Adam on minibatches of 64 (step 0.01 decaying to 0), in a seeded random order each epoch. */
function trainLogisticRegression(examples: Example[], dim: number, classes: number, epochs: number, l2: number, seed: number): Float64Array {
  const size = classes * (dim + 1);
  const w = new Float64Array(size);
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const g = new Float64Array(size);
  const p = new Float64Array(classes);
  const order = Int32Array.from(examples.keys());
  let random = seed >>> 0 || 1;
  const next = () => ((random = (Math.imul(random, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const batch = 64;
  const steps = epochs * Math.ceil(order.length / batch);
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let start = 0; start < order.length; start += batch) {
      const end = Math.min(order.length, start + batch);
      g.fill(0);
      for (let k = start; k < end; k++) {
        const e = examples[order[k]];
        logits(w, e.features, dim, classes, p);
        let max = -Infinity;
        for (let c = 0; c < classes; c++) max = Math.max(max, p[c]);
        let sum = 0;
        for (let c = 0; c < classes; c++) sum += p[c] = Math.exp(p[c] - max);
        for (let c = 0; c < classes; c++) {
          const error = p[c] / sum - (c === e.labels[0] ? 1 : 0);
          const base = c * (dim + 1);
          for (let d = 0; d < dim; d++) g[base + d] += error * e.features[d];
          g[base + dim] += error;
        }
      }
      step++;
      // The step size decays linearly to zero, so the last epochs settle instead of wandering.
      const rate = 0.01 * (1 - (step - 1) / steps);
      const n = end - start;
      const correction1 = 1 - 0.9 ** step;
      const correction2 = 1 - 0.999 ** step;
      for (let i = 0; i < size; i++) {
        const gi = g[i] / n + l2 * w[i];
        m[i] = 0.9 * m[i] + 0.1 * gi;
        v[i] = 0.999 * v[i] + 0.001 * gi * gi;
        w[i] -= (rate * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + 1e-8);
      }
    }
  }
  return w;
}

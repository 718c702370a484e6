import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateAnalogies, evaluateWordPairs } from '../../src/model/evaluate.js';
import { KeyedVectors } from '../../src/model/index.js';

export const ANALOGY_FILE = 'questions-words.txt';
export const WORDSIM_FILE = 'wordsim353.tsv';
/** gensim's evaluate_word_analogies(restrict_vocab=30000), and word2vec.c's compute-accuracy threshold. */
export const ANALOGY_RESTRICT = 30_000;

export interface Quality {
  /** Accuracy fractions (0..1) over the questions whose words are all among the first 30 000 words. */
  analogy: { total: number; semantic: number; syntactic: number; answered: number; questions: number } | null;
  wordsim: { spearman: number; pearson: number; pairs: number; oov: number } | null;
  vocabSize: number;
  seconds: number;
  /** Why something is missing (no eval files, unreadable model). */
  note?: string;
}

export interface EvalFiles {
  analogies?: string;
  wordsim?: string;
  /** Files looked for but not found. */
  missing: string[];
}

export function findEvalFiles(dir: string): EvalFiles {
  const analogies = join(dir, ANALOGY_FILE);
  const wordsim = join(dir, WORDSIM_FILE);
  const missing: string[] = [];
  if (!existsSync(analogies)) missing.push(analogies);
  if (!existsSync(wordsim)) missing.push(wordsim);
  return { analogies: existsSync(analogies) ? analogies : undefined, wordsim: existsSync(wordsim) ? wordsim : undefined, missing };
}

/** Scores a vectors file with wasm2vec's evaluator (gensim's semantics), whichever tool wrote it. */
export async function evaluateModel(vectorsPath: string, files: EvalFiles): Promise<Quality> {
  const started = performance.now();
  const model = await KeyedVectors.load(vectorsPath);
  let analogy: Quality['analogy'] = null;
  let wordsim: Quality['wordsim'] = null;
  if (files.analogies) {
    const a = await evaluateAnalogies(model, files.analogies, { restrictVocab: ANALOGY_RESTRICT });
    analogy = {
      total: a.total.accuracy,
      semantic: a.semantic.accuracy,
      syntactic: a.syntactic.accuracy,
      answered: a.total.correct + a.total.incorrect,
      questions: a.questions,
    };
  }
  if (files.wordsim) {
    const w = await evaluateWordPairs(model, files.wordsim);
    wordsim = { spearman: w.spearman, pearson: w.pearson, pairs: w.pairs, oov: w.oov };
  }
  return {
    analogy,
    wordsim,
    vocabSize: model.size,
    seconds: (performance.now() - started) / 1000,
    note: files.missing.length > 0 ? `missing evaluation file(s): ${files.missing.join(', ')}` : undefined,
  };
}

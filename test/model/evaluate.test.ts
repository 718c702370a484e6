import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wasm2VecError } from '../../src/errors.js';
import {
  evaluateAnalogies,
  evaluateAnalogiesText,
  evaluateWordPairs,
  evaluateWordPairsText,
  pearson,
  rankAverage,
  regularizedBeta,
  spearman,
} from '../../src/model/evaluate.js';
import { KeyedVectors } from '../../src/model/index.js';

// Analogy fixture: man (1,0,1,0), woman (0,1,1,0), king (1,0,0,1), queen (0,1,0,1), all of norm √2, so
// man : king :: woman : ? gives unit(king) − unit(man) + unit(woman) = unit(queen) exactly.
// "KING" (row 3) is a case variant of king with queen's vector: it ties queen at cosine 1 and, at the
// lower row, comes first; gensim skips it (its upper-case form is a question word) when case-insensitive.
const ANALOGY_MODEL = () =>
  new KeyedVectors(
    ['man', 'woman', 'king', 'KING', 'queen', 'prince', 'rare'],
    4,
    Float32Array.from([1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0.2, 0, 1, 0, 0, 1, 1]),
  );

const QUESTIONS = [
  ': family',
  'man king woman queen', //   correct (KING skipped, then queen)
  'man king woman prince', //  incorrect (queen predicted)
  'man king woman rare', //    OOV when restrictVocab = 6
  'MAN KING WOMAN QUEEN', //   same as the first when case-insensitive
  ': gram-test',
  'king queen man woman', //   correct
  'woman man queen king', //   correct
  'only three words', //       invalid: neither counted nor OOV
  'queen king woman zzz', //   OOV
  '',
].join('\n');

// Pairs fixture: unit vectors at angles a 0°, b 60°, c 90°, d 180°; e = 2·(cos 45°, sin 45°).
const PAIRS_MODEL = () =>
  new KeyedVectors(
    ['a', 'b', 'c', 'd', 'e'],
    2,
    Float32Array.from([1, 0, 0.5, Math.sqrt(3) / 2, 0, 1, -1, 0, Math.SQRT2, Math.SQRT2]),
  );

const PAIRS = [
  '# a comment line',
  'a\tb\t7', //        cos 0.5
  'A\tc\t4', //        cos 0 (upper case: case-insensitive)
  'a\td\t1.0', //      cos −1
  'b c 9', //          cos √3/2 (whitespace separated)
  'a\te\t7', //        cos √2/2
  'c\te\t4\r', //      cos √2/2 (a tie in the model as in the gold scores)
  'a\tzzz\t5', //      OOV
  'a\tb\tnot-a-number', // invalid
  'a\tb\t1\textra', // invalid
  '',
].join('\n');

describe('evaluateAnalogies (gensim evaluate_word_analogies semantics)', () => {
  it('counts correct, incorrect and OOV questions per section, semantic and syntactic', () => {
    const r = evaluateAnalogiesText(ANALOGY_MODEL(), QUESTIONS, { restrictVocab: 6 });
    expect(r.sections).toEqual([
      { section: 'family', correct: 2, incorrect: 1, accuracy: 2 / 3 },
      { section: 'gram-test', correct: 2, incorrect: 0, accuracy: 1 },
    ]);
    expect(r.semantic).toEqual({ correct: 2, incorrect: 1, accuracy: 2 / 3 });
    expect(r.syntactic).toEqual({ correct: 2, incorrect: 0, accuracy: 1 });
    expect(r.total).toEqual({ correct: 4, incorrect: 1, accuracy: 0.8 });
    expect(r.questions).toBe(7);
    expect(r.oov).toBe(2);
    expect(r.oovRatio).toBeCloseTo((2 / 7) * 100, 10);
    expect(r.restrictVocab).toBe(6);
  });

  it('uses the whole vocabulary when it is smaller than restrictVocab (default 30000)', () => {
    const r = evaluateAnalogiesText(ANALOGY_MODEL(), QUESTIONS);
    expect(r.sections[0]).toEqual({ section: 'family', correct: 2, incorrect: 2, accuracy: 0.5 });
    expect(r.total).toEqual({ correct: 4, incorrect: 2, accuracy: 4 / 6 });
    expect(r.oov).toBe(1);
  });

  it('case-sensitive: no upper-casing, so KING is a different (and predicted) word', () => {
    const r = evaluateAnalogiesText(ANALOGY_MODEL(), QUESTIONS, { restrictVocab: 6, caseInsensitive: false });
    expect(r.sections.map((s) => [s.correct, s.incorrect])).toEqual([
      [0, 2],
      [2, 0],
    ]);
    expect(r.oov).toBe(3);
    expect(r.questions).toBe(7);
  });

  it('reads CRLF files and section names like gensim; requires a section header first', () => {
    const r = evaluateAnalogiesText(ANALOGY_MODEL(), QUESTIONS.replace(/\n/g, '\r\n'), { restrictVocab: 6 });
    expect(r.sections.map((s) => s.section)).toEqual(['family', 'gram-test']);
    expect(r.total.correct).toBe(4);
    expect(() => evaluateAnalogiesText(ANALOGY_MODEL(), 'man king woman queen\n')).toThrow(Wasm2VecError);
    expect(() => evaluateAnalogiesText(ANALOGY_MODEL(), QUESTIONS, { restrictVocab: 0 })).toThrow(Wasm2VecError);
    // a section with no answerable question scores 0
    const empty = evaluateAnalogiesText(ANALOGY_MODEL(), ': nothing\nzzz yyy xxx www\n');
    expect(empty.total).toEqual({ correct: 0, incorrect: 0, accuracy: 0 });
    expect(empty.oovRatio).toBe(100);
  });
});

describe('evaluateWordPairs (gensim evaluate_word_pairs semantics)', () => {
  it('computes Spearman with tie-averaged ranks, Pearson, and the OOV ratio', () => {
    const r = evaluateWordPairsText(PAIRS_MODEL(), PAIRS);
    // gold [7, 4, 1, 9, 7, 4] → ranks [4.5, 2.5, 1, 6, 4.5, 2.5];
    // model [.5, 0, −1, .866, .7071, .7071] → ranks [3, 2, 1, 6, 4.5, 4.5]; ρ = 13.5 / √(16.5 · 17)
    expect(r.spearman).toBeCloseTo(13.5 / Math.sqrt(16.5 * 17), 10);
    expect(r.spearman).toBeCloseTo(0.8060599359358184, 10); // scipy.stats.spearmanr
    expect(r.spearmanP).toBeCloseTo(0.052771813251892584, 8);
    expect(r.pearson).toBeCloseTo(0.8486322809411363, 6); // scipy.stats.pearsonr
    expect(r.pearsonP).toBeCloseTo(0.03263419686465201, 6);
    expect(r.pairs).toBe(6);
    expect(r.oov).toBe(1);
    expect(r.oovRatio).toBeCloseTo(100 / 7, 10);
  });

  it('restricts the vocabulary, honours the delimiter and case options', () => {
    const r = evaluateWordPairsText(PAIRS_MODEL(), PAIRS, { restrictVocab: 4 });
    expect(r.pairs).toBe(4);
    expect(r.oov).toBe(3);
    expect(r.spearman).toBeCloseTo(1, 10);
    expect(r.pearson).toBeCloseTo(0.9848809774286523, 6);
    // explicit tab: the whitespace-separated line is invalid (neither used nor OOV)
    const tab = evaluateWordPairsText(PAIRS_MODEL(), PAIRS, { delimiter: '\t' });
    expect([tab.pairs, tab.oov]).toEqual([5, 1]);
    // case-sensitive: "A" is unknown
    const cs = evaluateWordPairsText(PAIRS_MODEL(), PAIRS, { caseInsensitive: false });
    expect([cs.pairs, cs.oov]).toEqual([5, 2]);
    expect(() => evaluateWordPairsText(PAIRS_MODEL(), '# nothing\nzzz yyy 1\n')).toThrow(Wasm2VecError);
  });
});

describe('statistics', () => {
  it('ranks ties by their average, like scipy.stats.rankdata', () => {
    expect(rankAverage([10, 20, 10, 30, 20, 20])).toEqual([1.5, 4, 1.5, 6, 4, 4]);
    expect(rankAverage([])).toEqual([]);
  });

  it('Pearson and Spearman match scipy, NaN for constant input', () => {
    // dx = [−1.5, −.5, .5, 1.5], dy = [−3.125, −1.125, .875, 3.375]: sxy = 10.75, sxx = 5, syy = 23.1875
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8.5]).r).toBeCloseTo(10.75 / Math.sqrt(5 * 23.1875), 12);
    expect(spearman([1, 2, 3, 4], [1, 3, 2, 4]).r).toBeCloseTo(0.8, 12);
    expect(pearson([1, 1, 1], [1, 2, 3]).r).toBeNaN();
    expect(spearman([1, 2, 3], [3, 2, 1]).r).toBeCloseTo(-1, 12);
  });

  it('the incomplete beta function matches known values', () => {
    expect(regularizedBeta(0.5, 2, 2)).toBeCloseTo(0.5, 12);
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedBeta(0.25, 0.5, 0.5)).toBeCloseTo(1 / 3, 10); // (2/π)·asin(√x)
  });
});

describe('file-based evaluation', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'w2v-eval-'));
    await writeFile(join(dir, 'questions.txt'), QUESTIONS);
    await writeFile(join(dir, 'pairs.tsv'), PAIRS);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the files', async () => {
    const a = await evaluateAnalogies(ANALOGY_MODEL(), join(dir, 'questions.txt'), { restrictVocab: 6 });
    expect(a.total).toEqual({ correct: 4, incorrect: 1, accuracy: 0.8 });
    const p = await evaluateWordPairs(PAIRS_MODEL(), join(dir, 'pairs.tsv'));
    expect(p.spearman).toBeCloseTo(0.8060599359358184, 10);
    await expect(evaluateAnalogies(ANALOGY_MODEL(), join(dir, 'missing.txt'))).rejects.toThrow(Wasm2VecError);
  });
});

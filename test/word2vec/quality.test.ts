import { describe, expect, it } from 'vitest';
import { train } from '../../src/word2vec/train.js';
import { evaluateWordPairs } from '../../src/model/evaluate.js';
import { SAMPLE_CORPUS } from '../helpers.js';

const WORDSIM = new URL('../fixtures/wordsim353.tsv', import.meta.url).pathname;

// Thresholds measured on the shipped 680 000-word sample (5 epochs, 2 threads): skip-gram
// Spearman 0.235–0.242, CBOW 0.203–0.206, an untrained model 0.02; 257 of the 353 pairs are in
// vocabulary. A trainer with a broken update, sampling or learning rate stays near 0.
describe('quality on the bundled sample corpus', () => {
  for (const [model, threshold] of [['skipgram', 0.18], ['cbow', 0.15]] as const) {
    it(`${model}: WordSim-353 Spearman above ${threshold}, and numbers near numbers`, async () => {
      const vectors = await train({ input: SAMPLE_CORPUS, model, epochs: 5, sample: 1e-4, threads: 2 });
      const pairs = await evaluateWordPairs(vectors, WORDSIM);
      expect(pairs.pairs).toBe(257);
      expect(pairs.spearman).toBeGreaterThan(threshold);
      const neighbours = vectors.mostSimilar('three', { topN: 5 }).map((n) => n.word);
      expect(neighbours.filter((w) => ['one', 'two', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'zero'].includes(w)).length).toBeGreaterThanOrEqual(3);
    });
  }
});

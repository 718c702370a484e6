// Reproducible runs (issue #18): with threads: 1 and a seed, two runs of every trainer give
// byte-identical vectors (and output weights, for the models that keep them), and another seed
// gives others (so the check cannot pass on a trainer that ignores its seed or trains nothing).
// With more threads, what varies and why is in ARCHITECTURE.md ("Shared state") and the README.
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { train } from '../../src/word2vec/train.js';
import { trainGlove } from '../../src/glove/train.js';
import { trainSvd } from '../../src/svd/train.js';
import { trainClassifier } from '../../src/supervised/train.js';
import { SubwordVectors } from '../../src/model/index.js';
import type { Word2VecOptions } from '../../src/word2vec/options.js';
import { sampleText, tempDir } from '../helpers.js';

const SUPERVISED_TRAIN = new URL('../fixtures/supervised-train.txt', import.meta.url).pathname;

function bytes(...arrays: Float32Array[]): Buffer {
  return Buffer.concat(arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
}

describe('reproducible runs with one thread and a seed', () => {
  const dir = tempDir();
  const corpus = join(dir.path, 'corpus.txt');
  beforeAll(() => writeFileSync(corpus, sampleText(60_000)));
  afterAll(() => dir.remove());

  const word2vec: [string, Partial<Word2VecOptions>][] = [
    ['skip-gram (batched)', { model: 'skipgram' }],
    ['skip-gram (classic)', { model: 'skipgram', update: 'classic' }],
    ['CBOW', { model: 'cbow' }],
    ['skip-gram, hierarchical softmax', { model: 'skipgram', hs: true, negative: 0 }],
    ['CBOW, hierarchical softmax and negative sampling', { model: 'cbow', hs: true }],
    ['fasttext-skipgram', { model: 'fasttext-skipgram', subwords: { buckets: 5000 } }],
    ['fasttext-cbow', { model: 'fasttext-cbow', subwords: { buckets: 5000 } }],
  ];
  for (const [name, options] of word2vec) {
    it(`word2vec ${name}`, async () => {
      const run = async (seed: number) => {
        const m = await train({ input: corpus, dim: 16, epochs: 2, minCount: 3, threads: 1, seed, ...options } as Word2VecOptions);
        // Subword models: the whole input matrix (words and n-gram buckets) and the output weights.
        return m instanceof SubwordVectors ? bytes(m.input, m.output!) : bytes(m.vectors);
      };
      const [a, b, c] = [await run(5), await run(5), await run(6)];
      expect(a.length).toBeGreaterThan(1000);
      expect(a.equals(b)).toBe(true);
      expect(a.equals(c)).toBe(false);
    });
  }

  it('GloVe', async () => {
    const run = async (seed: number) => bytes((await trainGlove({ input: corpus, dim: 16, epochs: 3, minCount: 3, threads: 1, seed })).vectors);
    const [a, b, c] = [await run(5), await run(5), await run(6)];
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('PPMI + SVD', async () => {
    // Subsampling draws from the seed too, so it is on here.
    const run = async (seed: number) => bytes((await trainSvd({ input: corpus, dim: 8, minCount: 3, threads: 1, seed, subsample: 1e-3 })).vectors);
    const [a, b, c] = [await run(5), await run(5), await run(6)];
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('supervised classifier (the saved .bin)', async () => {
    const run = async (seed: number, name: string) => {
      const model = await trainClassifier({ input: SUPERVISED_TRAIN, dim: 10, epochs: 5, threads: 1, seed });
      const path = join(dir.path, name);
      await model.save(path);
      return readFileSync(path);
    };
    const [a, b, c] = [await run(5, 'a.bin'), await run(5, 'b.bin'), await run(6, 'c.bin')];
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { IdSpool } from '../../src/corpus/id-spool.js';
import { VocabularyCounter, Vocabulary, buildVocabulary } from '../../src/corpus/vocabulary.js';
import { END_OF_LINE } from '../../src/corpus/tokenizer.js';
import { Wasm2VecError } from '../../src/errors.js';
import { encodeText } from '../helpers.js';

describe('vocabulary', () => {
  it('counts a hand-counted fixture, sorts by frequency with </s> first, and encodes', async () => {
    const { vocabulary, ids } = await encodeText('the cat sat on the mat\nthe dog sat\n', 1);
    expect(vocabulary.words).toEqual([END_OF_LINE, 'the', 'sat', 'cat', 'on', 'mat', 'dog']);
    expect(Array.from(vocabulary.counts)).toEqual([2, 3, 2, 1, 1, 1, 1]);
    expect(vocabulary.trainWords).toBe(11);
    expect(Array.from(ids)).toEqual([1, 3, 2, 4, 1, 5, 0, 1, 6, 2, 0]);
  });

  it('orders words of equal count first-seen first, or by their UTF-8 bytes as Stanford vocab_count', () => {
    // provisional id 0 is the line break; counts: zeta 2, beta 2, émile 2, alpha 2, Zulu 2, gamma 3
    const words = [END_OF_LINE, 'zeta', 'beta', 'émile', 'alpha', 'Zulu', 'gamma'];
    const counts = [0, 2, 2, 2, 2, 2, 3];
    expect(buildVocabulary(words, counts, 1).vocabulary.words).toEqual([END_OF_LINE, 'gamma', 'zeta', 'beta', 'émile', 'alpha', 'Zulu']);
    expect(buildVocabulary(words, counts, 1, 'bytes').vocabulary.words).toEqual([END_OF_LINE, 'gamma', 'Zulu', 'alpha', 'beta', 'zeta', 'émile']);
  });

  it('drops words below minCount from the vocabulary and the id stream', async () => {
    const { vocabulary, ids } = await encodeText('a b a c a b d\n', 2);
    expect(vocabulary.words).toEqual([END_OF_LINE, 'a', 'b']);
    expect(Array.from(ids)).toEqual([1, 2, 1, 1, 2, 0]);
    expect(vocabulary.trainWords).toBe(6);
  });

  it('rejects an empty corpus and one with no frequent word, with clear messages', () => {
    const empty = new VocabularyCounter(new IdSpool());
    expect(() => empty.finish(1)).toThrow(Wasm2VecError);
    expect(() => empty.finish(1)).toThrow(/empty/);
    const rare = new VocabularyCounter(new IdSpool());
    rare.add(['x', 'y', 'z']);
    expect(() => rare.finish(5)).toThrow(/no word occurs at least 5 times/);
  });

  it('prunes rare words while counting when maxVocabSize is reached, as word2vec.c', () => {
    const spool = new IdSpool();
    const counter = new VocabularyCounter(spool, 4);
    // 'a' is frequent; the singletons overflow the table and are pruned.
    counter.add(['a', 'a', 'a', 'b', 'c', 'a', 'd', 'e', 'f', 'a', 'g']);
    spool.finish();
    const { vocabulary } = counter.finish(1);
    expect(vocabulary.words[1]).toBe('a');
    expect(vocabulary.counts[1]).toBe(5);
    expect(vocabulary.size).toBeLessThanOrEqual(4);
  });

  it('draws noise words in proportion to count^0.75, never </s>', () => {
    const words = [END_OF_LINE, 'w1', 'w2', 'w3', 'w4'];
    const counts = Float64Array.from([50, 1000, 100, 10, 1]);
    const vocabulary = new Vocabulary(words, counts);
    const { threshold, alias } = vocabulary.noiseDistribution();
    const hits = new Float64Array(words.length);
    // Same draw as the kernel: column and coin from one 32×32-bit product.
    let state = 0x12345678;
    const draws = 400_000;
    for (let i = 0; i < draws; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const product = BigInt(state) * BigInt(words.length);
      const column = Number(product >> 32n);
      const coin = Number(product & 0xffffffffn);
      hits[coin < threshold[column] ? column : alias[column]]++;
    }
    const weights = [0, ...[1000, 100, 10, 1].map((c) => c ** 0.75)];
    const total = weights.reduce((a, b) => a + b);
    expect(hits[0]).toBe(0);
    for (let w = 1; w < words.length; w++) expect(hits[w] / draws).toBeCloseTo(weights[w] / total, 2);
  });

  it('computes word2vec.c subsampling keep probabilities', () => {
    const vocabulary = new Vocabulary([END_OF_LINE, 'common', 'rare'], Float64Array.from([0, 99_950, 50]));
    const keep = vocabulary.keepProbabilities(1e-3);
    const t = 1e-3 * 100_000;
    expect(keep[1]).toBeCloseTo((Math.sqrt(99_950 / t) + 1) * (t / 99_950), 6);
    expect(keep[1]).toBeLessThan(0.2);
    expect(keep[2]).toBeGreaterThan(1); // rare words are always kept
  });
});

describe('id spool', () => {
  it('replays the same ids whether blocks stay in memory or spill to a file', () => {
    const n = (1 << 20) * 2 + 12345;
    const inMemory = new IdSpool();
    const spilled = new IdSpool(4 << 20); // one block in memory, the rest on disk
    for (let i = 0; i < n; i++) {
      inMemory.push(i % 1000);
      spilled.push(i % 1000);
    }
    inMemory.finish();
    spilled.finish();
    expect(spilled.spilled).toBe(true);
    expect(inMemory.spilled).toBe(false);
    const a = [...inMemory.blocks()].map((b) => Array.from(b)).flat();
    const b: number[] = [];
    for (const block of spilled.blocks()) for (const id of block) b.push(id);
    expect(b.length).toBe(n);
    expect(b).toEqual(a);
    inMemory.dispose();
    spilled.dispose();
  });
});

// fastText's word n-gram hashing (64-bit arithmetic on sign-extended hashes) against BigInt, and the
// input rows of a line as fastText's getLine builds them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LabelDictionary, multiplyAdd, modulo, pushWordNgrams } from '../../src/corpus/label-dictionary.js';
import { fastTextHash } from '../../src/corpus/subwords.js';

const M64 = (1n << 64n) - 1n;
const toBig = (hi: number, lo: number) => (BigInt(hi) << 32n) | BigInt(lo);

describe('word n-gram hashing', () => {
  it('multiplyAdd is (h · 116049371 + sign-extended add) mod 2^64', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (hi, lo, add) => {
        const [h2, l2] = multiplyAdd(hi, lo, add);
        expect(toBig(h2, l2)).toBe((toBig(hi, lo) * 116049371n + BigInt.asUintN(64, BigInt(add))) & M64);
      }),
      { numRuns: 2000 },
    );
  });

  it('modulo is the uint64 remainder, small and large buckets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (hi, lo, m) => {
        expect(modulo(hi, lo, m)).toBe(Number(toBig(hi, lo) % BigInt(m)));
      }),
      { numRuns: 2000 },
    );
  });

  it('bigrams and trigrams as fastText addWordNgrams', () => {
    const hashes = ['the', 'café', '</s>'].map((w) => fastTextHash(new TextEncoder().encode(w)) | 0);
    const rows: number[] = [];
    pushWordNgrams(rows, hashes, 3, 2_000_000, 10);
    const expected: number[] = [];
    for (let i = 0; i < hashes.length; i++) {
      let h = BigInt.asUintN(64, BigInt(hashes[i]));
      for (let j = i + 1; j < hashes.length && j < i + 3; j++) {
        h = (h * 116049371n + BigInt.asUintN(64, BigInt(hashes[j]))) & M64;
        expected.push(10 + Number(h % 2_000_000n));
      }
    }
    expect(rows).toEqual(expected);
    expect(rows).toHaveLength(3);
  });
});

describe('LabelDictionary.line', () => {
  const dictionary = new LabelDictionary({
    words: ['</s>', 'good', 'film'], wordCounts: [3, 2, 1], labels: ['__label__pos', '__label__neg'], labelCounts: [2, 1], ntokens: 10,
    labelPrefix: '__label__', wordNgrams: 2, bucket: 100, minn: 0, maxn: 0,
  });

  it('words, the line end, then the bigrams of all non-label tokens (unknown words included)', () => {
    const line = dictionary.line(['__label__neg', 'good', 'unknown', 'film', '__label__other']);
    expect(line.labels).toEqual([1]);
    expect(line.tokens).toBe(6);
    expect(line.rows.slice(0, 3)).toEqual([1, 2, 0]);
    // good·unknown, unknown·film, film·</s>
    expect(line.rows).toHaveLength(6);
    const bigrams: number[] = [];
    pushWordNgrams(bigrams, ['good', 'unknown', 'film', '</s>'].map((w) => dictionary.hash(w)), 2, 100, 3);
    expect(line.rows.slice(3)).toEqual(bigrams);
    for (const r of line.rows.slice(3)) expect(r).toBeGreaterThanOrEqual(3);
  });
});

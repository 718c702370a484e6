import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Wasm2VecError } from '../../src/errors.js';
import { KeyedVectors, type ScoredWord } from '../../src/model/index.js';
import { symmetricRandom as rng } from '../../bench/lib/random.js';

// 2-D fixture; unit vectors: a (1,0), b (0,1), c (1,1)/√2, d (−1,0), e (0.6,0.8).
const WORDS = ['a', 'b', 'c', 'd', 'e'];
const VECS = Float32Array.from([1, 0, 0, 2, 1, 1, -3, 0, 3, 4]);
const kv = () => new KeyedVectors([...WORDS], 2, VECS.slice(), [50, 40, 30, 20, 10]);
const S = Math.SQRT1_2; // 0.70711

function expectScored(got: ScoredWord[], want: [string, number][]): void {
  expect(got.map((r) => r.word)).toEqual(want.map((w) => w[0]));
  got.forEach((r, i) => expect(r.score).toBeCloseTo(want[i][1], 4));
}

function randomModel(size: number, dim: number, seed: number): KeyedVectors {
  const next = rng(seed);
  const words = Array.from({ length: size }, (_, i) => `w${i}`);
  return new KeyedVectors(words, dim, Float32Array.from({ length: size * dim }, next));
}

/** Brute-force cosine ranking in JS (float64) for cross-checks. */
function bruteForce(m: KeyedVectors, query: Float32Array, exclude: Set<number>, topN: number, rows = m.size): ScoredWord[] {
  const qn = Math.hypot(...query);
  const all: ScoredWord[] = [];
  for (let r = 0; r < rows; r++) {
    if (exclude.has(r)) continue;
    const v = m.vectors.subarray(r * m.dim, (r + 1) * m.dim);
    let dot = 0;
    for (let i = 0; i < m.dim; i++) dot += v[i] * query[i];
    all.push({ word: m.words[r], score: dot / (qn * Math.hypot(...v)) });
  }
  return all.sort((x, y) => y.score - x.score).slice(0, topN);
}

describe('KeyedVectors basics', () => {
  it('exposes words, dim, size, vocab, counts and vectors', () => {
    const m = kv();
    expect(m.size).toBe(5);
    expect(m.dim).toBe(2);
    expect(m.words).toEqual(WORDS);
    expect(m.vocab.get('c')).toBe(2);
    expect(m.index('e')).toBe(4);
    expect(m.has('d')).toBe(true);
    expect(m.has('z')).toBe(false);
    expect([...m.vector('e')]).toEqual([3, 4]);
    expect(m.counts).toEqual([50, 40, 30, 20, 10]);
    // vector() is a copy
    m.vector('a')[0] = 99;
    expect(m.vector('a')[0]).toBe(1);
    expect([...m.unitVector('e')].map((x) => +x.toFixed(6))).toEqual([0.6, 0.8]);
  });

  it('throws a Wasm2VecError naming an unknown word', () => {
    const m = kv();
    expect(() => m.vector('zebra')).toThrow(Wasm2VecError);
    expect(() => m.vector('zebra')).toThrow(/zebra/);
    expect(() => m.mostSimilar('zebra')).toThrow(/zebra/);
    expect(() => m.similarity('a', 'yak')).toThrow(/yak/);
    expect(() => m.analogy('a', 'b', 'gnu')).toThrow(/gnu/);
  });

  it('validates its input', () => {
    expect(() => new KeyedVectors(['a', 'b'], 2, new Float32Array(3))).toThrow(Wasm2VecError);
    expect(() => new KeyedVectors(['a'], 0, new Float32Array(0))).toThrow(/dimension/);
    expect(() => new KeyedVectors(['a'], 2, new Float32Array(2), [1, 2])).toThrow(/counts/);
    const m = kv();
    expect(() => m.mostSimilar('a', { topN: -1 })).toThrow(Wasm2VecError);
    expect(() => m.mostSimilar('a', { restrictVocab: 0 })).toThrow(Wasm2VecError);
    expect(() => m.mostSimilar([])).toThrow(/at least one/);
    expect(() => m.mostSimilar(new Float32Array(3))).toThrow(/2 floats/);
    expect(() => m.distance('a', 'b', { metric: 'manhattan' as 'cosine' })).toThrow(/metric/);
    expect(() => m.analogy('a', 'b', 'c', { method: '3cosfoo' as '3cosadd' })).toThrow(/method/);
  });

  it('keeps the first row of a duplicated word', () => {
    const m = new KeyedVectors(['x', 'y', 'x'], 1, Float32Array.from([1, 2, 3]));
    expect(m.index('x')).toBe(0);
    expect([...m.vector('x')]).toEqual([1]);
  });
});

describe('similarity and distance', () => {
  it('computes cosines and distances by hand', () => {
    const m = kv();
    expect(m.similarity('a', 'b')).toBeCloseTo(0, 10);
    expect(m.similarity('a', 'c')).toBeCloseTo(S, 10);
    expect(m.similarity('a', 'd')).toBeCloseTo(-1, 10);
    expect(m.similarity('a', 'e')).toBeCloseTo(0.6, 10);
    expect(m.similarity('c', 'e')).toBeCloseTo(1.4 * S, 10);
    expect(m.similarity('e', Float32Array.from([6, 8]))).toBeCloseTo(1, 10);
    expect(m.similarity('a', new Float32Array(2))).toBe(0);
    expect(m.distance('a', 'e')).toBeCloseTo(0.4, 10);
    expect(m.distance('a', 'e', { metric: 'cosine' })).toBeCloseTo(0.4, 10);
    expect(m.distance('a', 'e', { metric: 'euclidean' })).toBeCloseTo(Math.sqrt(20), 10);
    expect(m.distance('b', 'd', { metric: 'euclidean' })).toBeCloseTo(Math.sqrt(13), 10);
  });
});

describe('mostSimilar', () => {
  it('ranks by cosine and excludes the input words', () => {
    const m = kv();
    expectScored(m.mostSimilar('a'), [['c', S], ['e', 0.6], ['b', 0], ['d', -1]]);
    expectScored(m.mostSimilar('a', { topN: 2 }), [['c', S], ['e', 0.6]]);
    expectScored(m.mostSimilar('a', [], { topN: 2 }), [['c', S], ['e', 0.6]]);
    expect(m.mostSimilar('a', { topN: 0 })).toEqual([]);
  });

  it('uses the normalised mean of positive minus negative unit vectors', () => {
    const m = kv();
    // unit(a) + unit(b) = (1,1) → (S, S)
    expectScored(m.mostSimilar(['a', 'b']), [['c', 1], ['e', 1.4 * S], ['d', -S]]);
    // unit(e) − unit(a) = (−0.4, 0.8) → (−1, 2)/√5
    const r5 = 1 / Math.sqrt(5);
    expectScored(m.mostSimilar(['e'], ['a']), [['b', 2 * r5], ['d', r5], ['c', r5 * S]]);
    expectScored(m.mostSimilar('e', 'a'), [['b', 2 * r5], ['d', r5], ['c', r5 * S]]);
  });

  it('takes a raw vector without exclusions; ties go to the lower row', () => {
    const m = kv();
    expectScored(m.mostSimilar(Float32Array.from([0, 5])), [['b', 1], ['e', 0.8], ['c', S], ['a', 0], ['d', 0]]);
  });

  it('restricts the search to the first rows', () => {
    const m = kv();
    expectScored(m.mostSimilar('a', { restrictVocab: 3 }), [['c', S], ['b', 0]]);
    // a query word outside the restricted rows still works
    expectScored(m.mostSimilar('e', { restrictVocab: 2, topN: 5 }), [['b', 0.8], ['a', 0.6]]);
  });

  it('agrees with a brute-force search on a random model', () => {
    const m = randomModel(3000, 50, 7);
    for (const w of ['w0', 'w17', 'w2999']) {
      const got = m.mostSimilar(w, { topN: 20 });
      const want = bruteForce(m, m.vector(w), new Set([m.index(w)]), 20);
      expect(got.map((r) => r.word)).toEqual(want.map((r) => r.word));
      got.forEach((r, i) => expect(r.score).toBeCloseTo(want[i].score, 5));
    }
    const got = m.mostSimilar(['w1', 'w2'], ['w3'], { topN: 10, restrictVocab: 1000 });
    const q = new Float32Array(50);
    for (const [w, s] of [['w1', 1], ['w2', 1], ['w3', -1]] as const) {
      const v = m.vector(w);
      const n = Math.hypot(...v);
      for (let i = 0; i < 50; i++) q[i] += (s * v[i]) / n;
    }
    const want = bruteForce(m, q, new Set([1, 2, 3]), 10, 1000);
    expect(got.map((r) => r.word)).toEqual(want.map((r) => r.word));
  });

  it('handles topN larger than the vocabulary', () => {
    const m = kv();
    expect(m.mostSimilar('a', { topN: 100 })).toHaveLength(4);
    expect(m.mostSimilar(['a', 'b', 'c', 'd', 'e'], { topN: 100 })).toEqual([]);
  });
});

describe('analogy', () => {
  it('3CosAdd: a : b :: c : ? ranks by cos(x, unit(b) − unit(a) + unit(c))', () => {
    const m = kv();
    // unit(b) − unit(a) + unit(c) = (S − 1, 1 + S), |·| = √3
    const q = [(S - 1) / Math.sqrt(3), (1 + S) / Math.sqrt(3)];
    const want: [string, number][] = [
      ['e', 0.6 * q[0] + 0.8 * q[1]],
      ['d', -q[0]],
    ];
    expectScored(m.analogy('a', 'b', 'c'), want);
    expectScored(m.analogy('a', 'b', 'c', { method: '3cosadd', topN: 1 }), want.slice(0, 1));
  });

  it('3CosMul: ((1+cos(x,b))/2 · (1+cos(x,c))/2) / ((1+cos(x,a))/2 + 1e-6)', () => {
    const m = kv();
    const got = m.analogy('a', 'b', 'c', { method: '3cosmul' });
    expect(got.map((r) => r.word)).toEqual(['d', 'e']);
    // d: cos(d,b) = 0, cos(d,c) = −S, cos(d,a) = −1
    expect(got[0].score / ((0.5 * ((1 - S) / 2)) / 1e-6)).toBeCloseTo(1, 4);
    // e: cos(e,b) = 0.8, cos(e,c) = 1.4·S, cos(e,a) = 0.6
    expect(got[1].score).toBeCloseTo((0.9 * ((1 + 1.4 * S) / 2)) / (0.8 + 1e-6), 4);
    expect(m.mostSimilarCosmul(['b', 'c'], ['a'])).toEqual(got);
  });

  it('batches agree with single queries', () => {
    const m = randomModel(2000, 30, 11);
    const questions: [string, string, string][] = [];
    const next = rng(12);
    const pick = () => `w${Math.floor(((next() + 1) / 2) * 2000)}`;
    for (let i = 0; i < 37; i++) questions.push([pick(), pick(), pick()]);
    const batch = m.analogyBatch(questions, { topN: 5 });
    questions.forEach(([a, b, c], i) => {
      const single = m.analogy(a, b, c, { topN: 5 });
      expect(batch[i].map((r) => r.word)).toEqual(single.map((r) => r.word));
      batch[i].forEach((r, j) => expect(r.score).toBeCloseTo(single[j].score, 5));
    });
    const cosmul = m.analogyBatch(questions.slice(0, 3), { method: '3cosmul', topN: 3 });
    expect(cosmul[1]).toEqual(m.analogy(...questions[1], { method: '3cosmul', topN: 3 }));
  });
});

describe('batch queries', () => {
  it('mostSimilarBatch equals mostSimilar for words, word lists, vectors and negatives', () => {
    const m = randomModel(1500, 20, 21);
    const queries = [
      'w5',
      ['w1', 'w2'],
      { positive: ['w10'], negative: ['w11', 'w12'] },
      m.vector('w99'),
      { positive: 'w7' },
      'w1499',
    ];
    const batch = m.mostSimilarBatch(queries, { topN: 8, restrictVocab: 1200 });
    const singles = [
      m.mostSimilar('w5', { topN: 8, restrictVocab: 1200 }),
      m.mostSimilar(['w1', 'w2'], { topN: 8, restrictVocab: 1200 }),
      m.mostSimilar(['w10'], ['w11', 'w12'], { topN: 8, restrictVocab: 1200 }),
      m.mostSimilar(m.vector('w99'), { topN: 8, restrictVocab: 1200 }),
      m.mostSimilar('w7', { topN: 8, restrictVocab: 1200 }),
      m.mostSimilar('w1499', { topN: 8, restrictVocab: 1200 }),
    ];
    batch.forEach((res, i) => {
      expect(res.map((r) => r.word)).toEqual(singles[i].map((r) => r.word));
      res.forEach((r, j) => expect(r.score).toBeCloseTo(singles[i][j].score, 5));
    });
    expect(m.mostSimilarBatch([], {})).toEqual([]);
    expect(m.mostSimilarBatch(['w1'], { topN: 0 })).toEqual([[]]);
  });

  it('analogyIndices returns rows and excludes a, b, c; pads missing results with -1', () => {
    const m = kv();
    const r = m.analogyIndices(Int32Array.from([0, 1, 2, 0, 1, 2]), { topN: 3 });
    expect(r.topN).toBe(3);
    expect([...r.indices]).toEqual([4, 3, -1, 4, 3, -1]);
    expect(r.scores[0]).toBeCloseTo(m.analogy('a', 'b', 'c')[0].score, 5);
    expect(r.scores[2]).toBe(-Infinity);
    expect(() => m.analogyIndices(Int32Array.from([0, 1]))).toThrow(Wasm2VecError);
    expect(() => m.analogyIndices(Int32Array.from([0, 1, 9]))).toThrow(/range/);
  });

  it('similarities scores every row', () => {
    const m = kv();
    const s = m.similarities('a');
    [1, 0, S, -1, 0.6].forEach((x, i) => expect(s[i]).toBeCloseTo(x, 6));
    expect(m.similarities(Float32Array.from([0, 1]), { restrictVocab: 2 })).toHaveLength(2);
  });
});

describe('doesntMatch, textVector, restrict', () => {
  it('doesntMatch picks the word farthest from the mean of the unit vectors, ignoring unknown words', () => {
    const m = kv();
    expect(m.doesntMatch(['a', 'c', 'e', 'd'])).toBe('d');
    expect(m.doesntMatch(['b', 'c', 'e', 'zzz'])).toBe('b');
    expect(() => m.doesntMatch(['zzz'])).toThrow(Wasm2VecError);
  });

  it('textVector averages the known words, with optional weights and tokenizer', () => {
    const m = kv();
    expect([...m.textVector('a b unknown')]).toEqual([0.5, 1]);
    expect([...m.textVector('A  b')]).toEqual([0.5, 1]); // lower-case fallback
    expect([...m.textVector('a b', { weights: new Map([['a', 3]]) })]).toEqual([0.75, 0.5]);
    expect([...m.textVector('a b', { weights: (w) => (w === 'a' ? 0 : 1) })]).toEqual([0, 2]);
    expect([...m.textVector('a,e', { tokenize: (t) => t.split(',') })]).toEqual([2, 2]);
    expect([...m.textVector('nothing known')]).toEqual([0, 0]);
    expect(() => m.textVector('a', { weights: () => NaN })).toThrow(Wasm2VecError);
  });

  it('restrict keeps the first N rows and counts', () => {
    const m = kv();
    const r = m.restrict(2);
    expect(r.words).toEqual(['a', 'b']);
    expect([...r.vectors]).toEqual([1, 0, 0, 2]);
    expect(r.counts).toEqual([50, 40]);
    expectScored(r.mostSimilar('a'), [['b', 0]]);
    expect(m.restrict(10).size).toBe(5);
    expect(() => m.restrict(-1)).toThrow(Wasm2VecError);
  });
});

describe('load and save', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('round-trips through word2vec text and binary files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'w2v-kv-'));
    dirs.push(dir);
    const m = new KeyedVectors(['x', 'y', 'zé'], 3, Float32Array.from([0.5, -1.25, 2, 0.1, 0.2, 0.3, 1e-3, 7, -8]));
    await m.save(join(dir, 'm.bin'));
    const b = await KeyedVectors.load(join(dir, 'm.bin'));
    expect(b.words).toEqual(m.words);
    expect([...b.vectors]).toEqual([...m.vectors]);
    await m.save(join(dir, 'm.txt'), { format: 'word2vec-text' });
    const t = await KeyedVectors.load(join(dir, 'm.txt'), { format: 'word2vec-text' });
    expect(t.words).toEqual(m.words);
    t.vectors.forEach((x, i) => expect(x).toBeCloseTo(m.vectors[i], 5));
    const limited = await KeyedVectors.load(join(dir, 'm.txt'), { limit: 2 });
    expect(limited.words).toEqual(['x', 'y']);
    expectScored(limited.mostSimilar('x'), [['y', m.similarity('x', 'y')]]);
  });
});

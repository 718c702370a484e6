// The explorer's UMAP map (src/serve/umap.ts through wordMap): on synthetic clustered vectors the
// 2-D layout keeps each word's nearest neighbours in its own cluster far above chance (a
// trustworthiness-style check a random or collapsed layout fails), the same seed gives the same
// coordinates and another seed other ones, and too few words are refused with a message.
import { describe, expect, it } from 'vitest';
import { KeyedVectors } from '../../src/model/index.js';
import { wordMap, type MapPoint } from '../../src/serve/queries.js';
import { UMAP_MIN_POINTS, umap2d } from '../../src/serve/umap.js';
import { Wasm2VecError } from '../../src/errors.js';
import { normals } from './helpers.js';

const CLUSTERS = 6;
const PER_CLUSTER = 25;
const DIM = 32;

/** CLUSTERS groups of PER_CLUSTER words c<k>_<i>: a random centre each, plus noise of a third of its norm; interleaved so file order says nothing. */
function clusteredModel(seed: number): KeyedVectors {
  const g = normals(seed);
  const centres = Array.from({ length: CLUSTERS }, () => Array.from({ length: DIM }, () => g()));
  const words: string[] = [];
  const vectors = new Float32Array(CLUSTERS * PER_CLUSTER * DIM);
  for (let i = 0; i < PER_CLUSTER; i++) {
    for (let k = 0; k < CLUSTERS; k++) {
      const row = words.length;
      words.push(`c${k}_${i}`);
      for (let j = 0; j < DIM; j++) vectors[row * DIM + j] = centres[k][j] + g() / 3;
    }
  }
  return new KeyedVectors(words, DIM, vectors);
}

const cluster = (word: string) => word.slice(0, word.indexOf('_'));

/** Share of each point's k nearest 2-D neighbours that are in its own cluster. */
function sameClusterShare(points: MapPoint[], k: number): number {
  let same = 0;
  for (const p of points) {
    const nearest = points
      .filter((q) => q !== p)
      .map((q) => ({ q, d: (q.x - p.x) ** 2 + (q.y - p.y) ** 2 }))
      .sort((a, b) => a.d - b.d)
      .slice(0, k);
    same += nearest.filter(({ q }) => cluster(q.word) === cluster(p.word)).length;
  }
  return same / (points.length * k);
}

describe('the UMAP map (umap-js, seeded)', () => {
  const model = clusteredModel(3);

  it('keeps each word among its own cluster far above chance', () => {
    const map = wordMap(model, CLUSTERS * PER_CLUSTER, undefined, 'umap');
    expect(map.method).toBe('umap');
    expect(map.explained).toBeUndefined();
    expect(map.points).toHaveLength(CLUSTERS * PER_CLUSTER);
    for (const p of map.points) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
    const chance = (PER_CLUSTER - 1) / (CLUSTERS * PER_CLUSTER - 1);
    const share = sameClusterShare(map.points, 5);
    console.log(`UMAP: ${(100 * share).toFixed(1)} % of the 5 nearest map neighbours in the same cluster (chance ${(100 * chance).toFixed(1)} %)`);
    expect(share).toBeGreaterThan(0.9);
    // the layout is not collapsed: the clusters' spread is a real part of the map's
    const xs = map.points.map((p) => p.x);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(1);
  });

  it('a shuffled layout (what a broken map would draw) fails the same check', () => {
    const map = wordMap(model, CLUSTERS * PER_CLUSTER, undefined, 'umap');
    // the same coordinates with the words dealt out at random (seeded Fisher–Yates)
    const words = map.points.map((p) => p.word);
    const g = normals(5);
    for (let i = words.length - 1; i > 0; i--) {
      const j = Math.floor(((Math.atan(g()) / Math.PI + 0.5) * (i + 1)) % (i + 1));
      [words[i], words[j]] = [words[j], words[i]];
    }
    const shuffled = map.points.map((p, i) => ({ ...p, word: words[i] }));
    expect(sameClusterShare(shuffled, 5)).toBeLessThan(0.4);
  });

  it('the same seed gives the same coordinates; another seed, others', () => {
    const rows = new Float32Array(model.vectors.subarray(0, 60 * DIM));
    const a = umap2d(rows, 60, DIM);
    const b = umap2d(rows, 60, DIM);
    expect(Array.from(b)).toEqual(Array.from(a));
    const c = umap2d(rows, 60, DIM, 2);
    expect(Array.from(c)).not.toEqual(Array.from(a));
    // and through the query, as the server and the page ask it
    expect(wordMap(model, 40, 'c2_3', 'umap')).toEqual(wordMap(model, 40, 'c2_3', 'umap'));
  });

  it('a neighbourhood map by UMAP: the word first with score 1, then its neighbours', () => {
    const map = wordMap(model, 12, 'c4_0', 'umap');
    expect(map.word).toBe('c4_0');
    expect(map.points.map((p) => p.word)).toEqual(['c4_0', ...model.mostSimilar('c4_0', { topN: 11 }).map((r) => r.word)]);
    expect(map.points[0].score).toBe(1);
  });

  it(`refuses fewer than ${UMAP_MIN_POINTS} words with a message saying what to do`, () => {
    expect(() => wordMap(model, 2, undefined, 'umap')).toThrow(Wasm2VecError);
    expect(() => wordMap(model, 2, undefined, 'umap')).toThrow('a UMAP map needs at least 3 words, got 2: draw more words, or use PCA');
    expect(wordMap(model, 3, undefined, 'umap').points).toHaveLength(3);
  });
});

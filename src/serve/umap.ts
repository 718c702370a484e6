// The explorer's other 2-D map: UMAP (McInnes, Healy & Melville 2018) of a few hundred unit word
// vectors, through umap-js (PAIR-code's maintained JavaScript port, MIT). Where PCA shows the two
// directions of largest variance, UMAP keeps each word's nearest neighbours near it on the map.
// Every random draw (nearest-neighbour descent, initial layout, negative samples) comes from one
// seeded generator, so the same words give the same map, in Node.js and in a page alike.
import { UMAP } from 'umap-js';
import { Wasm2VecError } from '../errors.js';

/** The seed of every map: a map is a picture to compare and come back to, so it must not change. */
export const UMAP_SEED = 1;
/** umap-js's (and the Python umap-learn's) default neighbourhood size; less for smaller maps. */
export const UMAP_NEIGHBOURS = 15;
/** A map needs a point and at least two neighbours to build UMAP's fuzzy graph. */
export const UMAP_MIN_POINTS = 3;

/** Uniform deviates in [0, 1) from a 32-bit seed (mulberry32: small, fast, well mixed). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * Lays `count` rows of `dim` floats (row i at rows[i·dim]) out in 2-D with UMAP (Euclidean
 * distance: on unit vectors its order is the cosine's). Returns x of row i at 2i, y at 2i + 1.
 */
export function umap2d(rows: Float32Array, count: number, dim: number, seed = UMAP_SEED): Float64Array {
  if (!Number.isInteger(count) || count < UMAP_MIN_POINTS) throw new Wasm2VecError(`a UMAP map needs at least ${UMAP_MIN_POINTS} words, got ${count}: draw more words, or use PCA`);
  if (rows.length < count * dim) throw new Error(`internal: umap2d got ${rows.length} floats for ${count} rows of ${dim}`);
  const data = Array.from({ length: count }, (_, i) => Array.from(rows.subarray(i * dim, (i + 1) * dim)));
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(UMAP_NEIGHBOURS, count - 1), minDist: 0.1, random: seededRandom(seed) });
  const embedding = umap.fit(data);
  const coordinates = new Float64Array(2 * count);
  embedding.forEach(([x, y], i) => {
    coordinates[2 * i] = x;
    coordinates[2 * i + 1] = y;
  });
  if (!coordinates.every(Number.isFinite)) throw new Wasm2VecError(`UMAP found no layout for these ${count} words (are their vectors all equal?): use PCA`);
  return coordinates;
}

// What the explorer asks of a model, one function per question of its JSON API: completion of a
// prefix, nearest neighbours, analogies and the 2-D map (PCA or UMAP). Each answers for one model;
// the server asks every model it serves and lists the answers side by side, and the page asks the
// model it trained itself through the browser build, which exports these same functions.
import { Wasm2VecError } from '../errors.js';
import type { AnalogyMethod, KeyedVectors, ScoredWord } from '../model/index.js';
import { pca2d } from './pca.js';
import { umap2d } from './umap.js';

/** A model the server serves, under the name the page shows (its file name). */
export interface ServedModel {
  name: string;
  path: string;
  model: KeyedVectors;
}

/** A point of the map: a word, its coordinates, and its cosine with the centre word (neighbourhood maps). */
export interface MapPoint {
  word: string;
  x: number;
  y: number;
  score?: number;
}

/** How the map is drawn: principal components (fast, linear) or UMAP (keeps near neighbours near). */
export type MapMethod = 'pca' | 'umap';
export const MAP_METHODS: readonly MapMethod[] = ['pca', 'umap'];

export interface WordMap {
  /** The centre word of a neighbourhood map; absent for a map of the most frequent words. */
  word?: string;
  method: MapMethod;
  points: MapPoint[];
  /** PCA only: the share of the variance along each axis. */
  explained?: [number, number];
}

/** Lower-cased vocabularies, built once per model on the first completion. */
const lowered = new WeakMap<KeyedVectors, string[]>();

/**
 * Up to `limit` vocabulary words that start with `prefix`, most frequent first (file order). Words
 * starting with it exactly come first, then those that do ignoring case.
 */
export function complete(model: KeyedVectors, prefix: string, limit: number): string[] {
  if (prefix.length === 0) return [];
  const exact: string[] = [];
  for (const word of model.words) {
    if (word.startsWith(prefix)) {
      exact.push(word);
      if (exact.length === limit) return exact;
    }
  }
  let lower = lowered.get(model);
  if (!lower) {
    lower = model.words.map((w) => w.toLowerCase());
    lowered.set(model, lower);
  }
  const wanted = prefix.toLowerCase();
  const out = exact;
  const taken = new Set(exact);
  for (let i = 0; i < lower.length && out.length < limit; i++) {
    if (lower[i].startsWith(wanted) && !taken.has(model.words[i])) out.push(model.words[i]);
  }
  return out;
}

/** The topN nearest words by cosine: the same call, words and scores as `wasm2vec similar MODEL WORD -n topN`. */
export function neighbours(model: KeyedVectors, word: string, topN: number): ScoredWord[] {
  return model.mostSimilar([word], [], { topN });
}

/** a : b :: c : ? as `wasm2vec analogy MODEL A B C --method M -n topN`. */
export function analogy(model: KeyedVectors, a: string, b: string, c: string, method: AnalogyMethod, topN: number): ScoredWord[] {
  return model.analogy(a, b, c, { method, topN });
}

/**
 * The map: with a word, the word and its `size` − 1 nearest neighbours; without, the `size` most
 * frequent words. Coordinates are the first two principal components of their unit vectors (PCA),
 * or their UMAP layout (seeded: the same words give the same map).
 */
export function wordMap(model: KeyedVectors, size: number, word?: string, method: MapMethod = 'pca'): WordMap {
  let words: string[];
  let scores: number[] | undefined;
  if (word === undefined) {
    words = model.words.slice(0, Math.min(size, model.size));
  } else {
    const near = size > 1 ? model.mostSimilar([word], [], { topN: size - 1 }) : [];
    words = [word, ...near.map((r) => r.word)];
    scores = [1, ...near.map((r) => r.score)];
  }
  if (words.length === 0) throw new Wasm2VecError('the model has no words to map');
  const dim = model.dim;
  const rows = new Float32Array(words.length * dim);
  words.forEach((w, i) => rows.set(model.unitVector(w), i * dim));
  let coordinates: Float64Array;
  let explained: [number, number] | undefined;
  if (method === 'umap') coordinates = umap2d(rows, words.length, dim);
  else ({ coordinates, explained } = pca2d(rows, words.length, dim));
  const points = words.map((w, i) => {
    const point: MapPoint = { word: w, x: round(coordinates[2 * i]), y: round(coordinates[2 * i + 1]) };
    if (scores) point.score = scores[i];
    return point;
  });
  return { ...(word === undefined ? {} : { word }), method, points, ...(explained ? { explained } : {}) };
}

/** Six significant digits are plenty for a picture and keep the JSON small. */
function round(x: number): number {
  return Number(x.toPrecision(6));
}

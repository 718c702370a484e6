// trainSvd end to end: the PPMI matrix it saves against a brute-force count and the hyperwords
// definition on a tiny corpus, determinism for a seed, subsampling, option checks, abort, the CLI,
// and quality on the shipped sample.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainSvd } from '../../src/svd/train.js';
import { parseMatrixMarket } from '../../src/formats/matrix-market.js';
import { AbortError } from '../../src/errors.js';
import { evaluateWordPairs } from '../../src/model/evaluate.js';
import { SAMPLE_CORPUS, cli, sampleText, scratchDirs } from '../helpers.js';

const WORDSIM = new URL('../fixtures/wordsim353.tsv', import.meta.url).pathname;
const scratch = scratchDirs();

const TINY = [
  'the cat sat on the mat',
  'the dog sat on the log',
  'a cat and a dog',
  'the cat saw the dog on the mat and the log',
  'dog bites cat',
].join('\n');

/** PPMI by definition: count every pair on each line, then log(#(w,c)·Σ#(c)^α / (#(w)·#(c)^α)) − log neg, kept where > 0. */
function bruteForcePpmi(text: string, words: readonly string[], window: number, weight: (d: number) => number, cds: number, neg: number): Map<string, number> {
  const id = new Map(words.map((w, i) => [w, i]));
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const tokens = line.split(' ').filter((t) => t !== '');
    for (let i = 0; i < tokens.length; i++) {
      for (let j = Math.max(0, i - window); j <= Math.min(tokens.length - 1, i + window); j++) {
        if (j === i) continue;
        const key = `${id.get(tokens[i])},${id.get(tokens[j])}`;
        counts.set(key, (counts.get(key) ?? 0) + weight(Math.abs(i - j)));
      }
    }
  }
  const rowSum = new Map<number, number>();
  const colSum = new Map<number, number>();
  for (const [key, x] of counts) {
    const [w, c] = key.split(',').map(Number);
    rowSum.set(w, (rowSum.get(w) ?? 0) + x);
    colSum.set(c, (colSum.get(c) ?? 0) + x);
  }
  let smoothed = 0;
  for (const x of colSum.values()) smoothed += x ** cds;
  const ppmi = new Map<string, number>();
  for (const [key, x] of counts) {
    const [w, c] = key.split(',').map(Number);
    const pmi = Math.log((x * smoothed) / (rowSum.get(w)! * colSum.get(c)! ** cds)) - Math.log(neg);
    if (pmi > 0) ppmi.set(key, pmi);
  }
  return ppmi;
}

describe('trainSvd', () => {
  for (const [window, weighting, cds, neg] of [[2, 'uniform', 0.75, 1], [3, 'linear', 1, 1.5], [2, 'harmonic', 0.5, 1]] as const) {
    it(`saves the PPMI matrix of the definition (window ${window}, ${weighting} weights, cds ${cds}, neg ${neg})`, async () => {
      const dir = scratch();
      const corpus = join(dir, 'tiny.txt');
      writeFileSync(corpus, TINY);
      const path = join(dir, 'ppmi.mtx');
      const model = await trainSvd({ input: corpus, savePpmi: path, minCount: 1, dim: 2, window, weighting, cds, neg, threads: 2 });
      const weight = (d: number) => (weighting === 'uniform' ? 1 : weighting === 'harmonic' ? 1 / d : (window + 1 - d) / window);
      const expected = bruteForcePpmi(TINY, model.words, window, weight, cds, neg);
      const m = parseMatrixMarket(readFileSync(path, 'utf8'), path);
      expect([m.rows, m.cols]).toEqual([model.size, model.size]);
      expect(m.v.length).toBe(expected.size);
      expect(model.report.nnz).toBe(expected.size);
      for (let e = 0; e < m.v.length; e++) {
        const want = expected.get(`${m.i[e]},${m.j[e]}`);
        expect(want, `entry ${model.words[m.i[e]]} ${model.words[m.j[e]]}`).toBeDefined();
        expect(Math.abs(m.v[e] - want!) / want!).toBeLessThan(1e-6);
      }
      expect(model.report.singularValues[0]).toBeGreaterThan(model.report.singularValues[1]);
      // Rows are L2-normalised by default.
      for (let r = 0; r < model.size; r++) {
        const v = model.vectors.subarray(r * 2, r * 2 + 2);
        expect(Math.hypot(v[0], v[1])).toBeCloseTo(1, 5);
      }
    });
  }

  it('is deterministic for a seed and thread count; W = U·Σ^eig', async () => {
    const input = sampleText(30_000);
    const options = { dim: 20, minCount: 3, threads: 2, eig: 1, normalizeVectors: false } as const;
    const a = await trainSvd({ input: (async function* () { yield input; })(), ...options });
    const b = await trainSvd({ input: (async function* () { yield input; })(), ...options });
    expect(b.vectors).toEqual(a.vectors);
    const c = await trainSvd({ input: (async function* () { yield input; })(), ...options, seed: 9 });
    expect(c.vectors).not.toEqual(a.vectors);
    // Another test matrix, the same leading singular values.
    for (let j = 0; j < 5; j++) expect(Math.abs(c.report.singularValues[j] - a.report.singularValues[j]) / a.report.singularValues[j]).toBeLessThan(1e-4);
    // Column norms of W = U·Σ are the singular values.
    for (let j = 0; j < 3; j++) {
      let norm = 0;
      for (let r = 0; r < a.size; r++) norm += a.vectors[r * 20 + j] ** 2;
      expect(Math.sqrt(norm) / a.report.singularValues[j]).toBeCloseTo(1, 4);
    }
  });

  it('subsamples frequent words (hyperwords --sub with --del), reproducibly', async () => {
    const input = sampleText(30_000);
    const run = (subsample: number) => trainSvd({ input: (async function* () { yield input; })(), dim: 10, minCount: 3, threads: 1, subsample });
    const all = await run(0);
    const sub = await run(1e-3);
    // t·N = 30 occurrences: words seen more often lose a share of their tokens.
    expect(all.report.keptTokens).toBe(all.counts!.reduce((a, b) => a + b, 0));
    expect(sub.report.keptTokens).toBeLessThan(0.9 * all.report.keptTokens);
    expect(sub.report.keptTokens).toBeGreaterThan(0.5 * all.report.keptTokens);
    expect(sub.vectors).not.toEqual(all.vectors);
    expect((await run(1e-3)).vectors).toEqual(sub.vectors);
  });

  it('rejects bad options with the option named', async () => {
    await expect(trainSvd({})).rejects.toThrow(/option input is required/);
    await expect(trainSvd({ input: SAMPLE_CORPUS, cds: 2 })).rejects.toThrow(/cds/);
    await expect(trainSvd({ input: SAMPLE_CORPUS, weighting: 'cubic' as 'uniform' })).rejects.toThrow(/weighting/);
    await expect(trainSvd({ input: SAMPLE_CORPUS, win: 2 } as never)).rejects.toThrow(/window/);
    const dir = scratch();
    const corpus = join(dir, 'tiny.txt');
    writeFileSync(corpus, TINY);
    await expect(trainSvd({ input: corpus, minCount: 1, dim: 50 })).rejects.toThrow(/dim 50 is larger than the vocabulary/);
  });

  it('stops promptly on abort', async () => {
    const controller = new AbortController();
    const run = trainSvd({
      input: SAMPLE_CORPUS, dim: 50, threads: 2, powerIterations: 50, signal: controller.signal,
      onProgress: (e) => {
        if (e.phase === 'svd' && e.fraction > 0) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(AbortError);
  });

  it('learns word similarity on the shipped sample (WordSim-353 Spearman well above chance)', async () => {
    const model = await trainSvd({ input: SAMPLE_CORPUS, dim: 100, threads: 2 });
    const ws = await evaluateWordPairs(model, WORDSIM);
    expect(ws.pairs).toBeGreaterThan(250);
    expect(ws.spearman).toBeGreaterThan(0.2);
    const numbers = ['two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'zero', 'one'];
    const near = model.mostSimilar('three', { topN: 5 }).map((s) => s.word);
    expect(near.filter((w) => numbers.includes(w)).length).toBeGreaterThanOrEqual(4);
  });
});

describe('wasm2vec svd (CLI)', () => {
  it('writes the vectors and the PPMI matrix, and fails in one line on a bad option', async () => {
    const dir = scratch();
    const out = join(dir, 'v.txt');
    const ppmi = join(dir, 'p.mtx');
    const ok = await cli(['svd', '--input', SAMPLE_CORPUS, '--output', out, '--save-ppmi', ppmi, '--dim', '10', '--win', '2', '--cds', '0.75', '--neg', '1', '--eig', '0.5', '--threads', '2']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/^svd: .* words, .* positive PMI entries/m);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toMatch(/^\d+ 10$/);
    expect(readFileSync(ppmi, 'utf8').startsWith('%%MatrixMarket matrix coordinate real general\n')).toBe(true);
    const bad = await cli(['svd', '--input', SAMPLE_CORPUS, '--output', join(dir, 'x.txt'), '--eig', '2']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/eig/);
    expect(existsSync(join(dir, 'x.txt'))).toBe(false);
  });
});

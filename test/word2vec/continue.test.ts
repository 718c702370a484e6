// Continued training (initialModel / --init, updateVocabulary) and pretrainedVectors: known words
// start from their saved rows, new words are added with fresh rows, counts are summed, the options
// that shape the matrices must match, and a wrong-dimension vectors file is a clear error.
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { train } from '../../src/word2vec/train.js';
import { readTrainingState, type StateMatrix } from '../../src/formats/wasm2vec-state.js';
import { KeyedVectors } from '../../src/model/index.js';
import { cli, sampleText, tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const text = sampleText(40_000);
const half = text.lastIndexOf(' ', text.length >> 1);
const first = join(tmp.path, 'first.txt');
const second = join(tmp.path, 'second.txt');
writeFileSync(first, text.slice(0, half));
writeFileSync(second, text.slice(half + 1));
/** Row r of a state's matrix (12 floats). */
const row = (matrix: StateMatrix, r: number) => matrix.data.subarray((matrix.offset ?? 0) + r * matrix.stride, (matrix.offset ?? 0) + r * matrix.stride + 12);
const base = { dim: 12, epochs: 2, minCount: 3, threads: 1, seed: 2 } as const;

describe('continued training', () => {
  it('keeps known words rows (a negligible learning rate changes nothing), adds new words, sums counts', async () => {
    const saved = join(tmp.path, 'first.w2v');
    const a = await train({ ...base, input: first, saveState: saved });
    const state = await readTrainingState(saved);
    expect(state.words).toEqual(a.words);
    const b = await train({ input: second, initialModel: saved, updateVocabulary: true, alpha: 1e-30, epochs: 1, threads: 1 });
    expect(b.dim).toBe(12);
    expect(b.words.slice(0, a.size)).toEqual(a.words);
    expect(b.report.continued).toEqual({ knownWords: a.size, addedWords: b.size - a.size, merged: true });
    expect(b.size).toBeGreaterThan(a.size);
    for (const w of ['the', 'of', a.words[a.size - 1]]) {
      const before = a.vector(w);
      const after = b.vector(w);
      for (let d = 0; d < 12; d++) expect(after[d]).toBeCloseTo(before[d], 6);
    }
    const added = b.words[a.size];
    expect(a.vocab.has(added)).toBe(false);
    expect(b.vector(added).some((x) => x !== 0)).toBe(true);
    expect(b.counts![1]).toBeGreaterThan(a.counts![1]);
    // Without updateVocabulary the vocabulary stays the saved one.
    const c = await train({ input: second, initialModel: state, epochs: 1, threads: 1 });
    expect(c.words).toEqual(a.words);
    expect(c.report.continued?.addedWords).toBe(0);
  });

  it('continued training moves known words further (a real learning rate), for subwords too', async () => {
    const saved = join(tmp.path, 'ft.w2v');
    const a = await train({ ...base, model: 'fasttext-cbow', subwords: { minn: 3, maxn: 4, buckets: 3000 }, input: first, saveState: saved });
    const b = await train({ input: second, initialModel: saved, updateVocabulary: true, threads: 1, epochs: 1 });
    expect(b.report.subwords?.buckets).toBe(3000);
    expect(b.vector('the')).not.toEqual(a.vector('the'));
    expect(b.vectors.every(Number.isFinite)).toBe(true);
  });

  it('mergeSaved (the default) ends with the count-weighted mean of the saved and the continued rows, input and output', async () => {
    const saved = join(tmp.path, 'first.w2v');
    const state = await readTrainingState(saved);
    const common = { input: second, initialModel: saved, updateVocabulary: true, epochs: 1, threads: 1, seed: 5 } as const;
    const plainState = join(tmp.path, 'plain.w2v');
    const mergedState = join(tmp.path, 'merged.w2v');
    const plain = await train({ ...common, mergeSaved: false, saveState: plainState });
    const merged = await train({ ...common, saveState: mergedState });
    expect(plain.report.continued?.merged).toBe(false);
    expect(merged.report.continued?.merged).toBe(true);
    const [p, m] = [await readTrainingState(plainState), await readTrainingState(mergedState)];
    const known = state.words.length;
    let moved = 0;
    const newCount = (r: number) => merged.counts![r] - state.counts[r];
    const rows = [1, 2, 7];
    for (let r = known - 1; r > 7; r--) if (newCount(r) > 0) { rows.push(r); break; }
    // A saved word absent from the new text keeps its saved rows (weight 1).
    for (let r = known - 1; r > 7; r--) if (newCount(r) === 0) { rows.push(r); break; }
    expect(rows.length).toBe(5);
    for (const r of rows) {
      const c1 = state.counts[r];
      const c2 = newCount(r);
      const w = c1 + c2 > 0 ? c1 / (c1 + c2) : 1;
      for (const matrix of ['input', 'output'] as const) {
        const [before, continued, got] = [row(state[matrix], r), row(p[matrix], r), row(m[matrix], r)];
        for (let d = 0; d < 12; d++) expect(got[d]).toBeCloseTo(w * before[d] + (1 - w) * continued[d], 6);
        moved += Number(Math.abs(continued[0] - before[0]) > 1e-4);
      }
      expect(merged.vector(state.words[r])).toEqual(row(m.input, r));
    }
    // The check above is not vacuous: continued training did move the rows it blends.
    expect(moved).toBeGreaterThan(4);
    // New words are not blended: their rows are the continued run's.
    for (let r = known; r < merged.size; r += 97) expect(merged.vector(merged.words[r])).toEqual(plain.vector(plain.words[r]));
    await expect(train({ input: second, mergeSaved: true })).rejects.toThrow(/mergeSaved needs initialModel/);
    const bad = await cli(['train', '--input', second, '--output', join(tmp.path, 'x.vec'), '--init', saved, '--merge-saved', '2']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--merge-saved must be 0 or 1, got "2"/);
  });

  it('refuses options that change the matrices, and updateVocabulary without initialModel', async () => {
    const saved = join(tmp.path, 'first.w2v');
    await expect(train({ input: second, initialModel: saved, dim: 20 })).rejects.toThrow(/option dim is 20 but the saved model has 12/);
    await expect(train({ input: second, initialModel: saved, hs: true, update: 'classic' })).rejects.toThrow(/option hs is true but the saved model has false/);
    await expect(train({ input: second, updateVocabulary: true })).rejects.toThrow(/updateVocabulary needs initialModel/);
  });

  it('a continued run killed after a checkpoint resumes with the same initialModel and ends exactly as the uninterrupted one (merge included)', async () => {
    const saved = join(tmp.path, 'first.w2v');
    const options = { input: second, initialModel: saved, updateVocabulary: true, epochs: 3, threads: 1, seed: 6 } as const;
    const whole = await train(options);
    const checkpoint = join(tmp.path, 'continued-checkpoint.w2v');
    const stopped = await train({ ...options, checkpoint: { path: checkpoint }, onEpochEnd: (e) => e.epoch < 1 });
    expect(stopped.report.epochsCompleted).toBe(1);
    const resumed = await train({ ...options, resume: checkpoint });
    expect(resumed.report.resumedFrom?.path).toBe(checkpoint);
    expect(resumed.report.continued?.merged).toBe(true);
    expect(resumed.vectors).toEqual(whole.vectors);
    // The checkpoint names its origin: another saved model, none, or another way of continuing is refused.
    const { initialModel: _, updateVocabulary: __, ...plainOptions } = options;
    await expect(train({ ...plainOptions, resume: checkpoint })).rejects.toThrow(/continued a saved model of \d+ words; give the same initialModel \(--init FILE\) again/);
    await expect(train({ ...options, initialModel: join(tmp.path, 'merged.w2v'), resume: checkpoint })).rejects.toThrow(/initialModel is not the saved model the checkpoint's run continued/);
    await expect(train({ ...options, mergeSaved: false, resume: checkpoint })).rejects.toThrow(/option mergeSaved is false but the checkpoint's run had true/);
    const plainCheckpoint = join(tmp.path, 'plain-checkpoint.w2v');
    await train({ ...base, input: first, epochs: 1, checkpoint: { path: plainCheckpoint } });
    await expect(train({ ...base, input: first, epochs: 1, initialModel: saved, resume: plainCheckpoint })).rejects.toThrow(/did not continue a saved model; resume without initialModel/);
  });

  it('a resumed run keeps its checkpoint rows: pretrainedVectors do not overwrite them', async () => {
    const vectorsFile = join(tmp.path, 'pre-resume.txt');
    writeFileSync(vectorsFile, `1 12\nthe ${Array.from({ length: 12 }, (_, i) => (i - 6) / 50).join(' ')}\n`);
    const options = { ...base, epochs: 3, input: first, pretrainedVectors: vectorsFile } as const;
    const whole = await train(options);
    const checkpoint = join(tmp.path, 'pre-checkpoint.w2v');
    await train({ ...options, checkpoint: { path: checkpoint }, onEpochEnd: (e) => e.epoch < 2 });
    const resumed = await train({ ...options, resume: checkpoint });
    expect(resumed.vectors).toEqual(whole.vectors);
  });

  it('pretrainedVectors start the rows of the words found (dim must match); the CLI has --init and --pretrained-vectors', async () => {
    const vectorsFile = join(tmp.path, 'pre.txt');
    writeFileSync(vectorsFile, '2 12\nthe 1 2 3 4 5 6 7 8 9 10 11 12\nnotaword 0 0 0 0 0 0 0 0 0 0 0 0\n');
    const m = await train({ ...base, input: first, pretrainedVectors: vectorsFile, alpha: 1e-30 });
    expect(m.report.pretrainedWords).toBe(1);
    expect(Array.from(m.vector('the'))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    await expect(train({ ...base, dim: 10, input: first, pretrainedVectors: vectorsFile })).rejects.toThrow(/pre\.txt have dimension 12 but this run trains dim 10/);
    const out = join(tmp.path, 'cli.txt');
    const r = await cli(['train', '--input', second, '--output', out, '--init', join(tmp.path, 'first.w2v'), '--update-vocabulary', '--epochs', '1', '--threads', '1', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const cliModel = await KeyedVectors.load(out);
    expect(cliModel.dim).toBe(12);
    const bad = await cli(['train', '--input', second, '--output', out, '--pretrained-vectors', vectorsFile, '--dim', '10', '--quiet']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});

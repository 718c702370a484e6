// fastText supervised .bin compatibility: models written by fastText 0.9.2 (test/fixtures, see
// fasttext-README.md) load and predict as fastText's predict-prob and test printed; our models
// round-trip through the writer and reader, and fastText itself (when installed) predicts with them
// as we do.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Classifier } from '../../src/model/index.js';
import { trainClassifier } from '../../src/supervised/train.js';
import { Wasm2VecError } from '../../src/errors.js';
import { tempDir } from '../helpers.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const TRAIN = fixture('supervised-train.txt');
const TEST = fixture('supervised-test.txt');
const FASTTEXT = '/usr/bin/fasttext';

function parsePredictProb(text: string): { label: string; probability: number }[][] {
  return text.split('\n').slice(0, -1).map((line) => {
    const parts = line.split(' ').filter((p) => p.length > 0);
    const out = [];
    for (let i = 0; i < parts.length; i += 2) out.push({ label: parts[i], probability: Number(parts[i + 1]) });
    return out;
  });
}

describe('fastText supervised .bin written by fastText 0.9.2', () => {
  for (const loss of ['softmax', 'ova', 'hs'] as const) {
    it(`${loss}: the same top-3 labels and probabilities as fastText predict-prob, and test's N, P@1, R@1`, async () => {
      const model = await Classifier.load(fixture(`supervised-${loss}.bin`));
      expect(model.loss).toBe(loss);
      expect(model.labels).toHaveLength(3);
      const expected = parsePredictProb(readFileSync(fixture(`supervised-${loss}.predict-prob.txt`), 'utf8'));
      const lines = readFileSync(TEST, 'utf8').split('\n').slice(0, -1);
      expect(lines).toHaveLength(expected.length);
      lines.forEach((line, i) => {
        const ours = model.predict(line, { k: 3 });
        expect(ours.map((p) => p.label)).toEqual(expected[i].map((p) => p.label));
        ours.forEach((p, j) => expect(p.probability).toBeCloseTo(expected[i][j].probability, 4));
      });
      const [n, p, r] = readFileSync(fixture(`supervised-${loss}.test.txt`), 'utf8').trim().split('\n').map((l) => Number(l.split('\t')[1]));
      const result = await model.test(TEST, { k: 1 });
      expect(result.examples).toBe(n);
      expect(result.skipped).toBe(1); // the __label__unknown line
      expect(result.precision).toBeCloseTo(p, 3);
      expect(result.recall).toBeCloseTo(r, 3);
    });
  }

  it('rejects an unsupervised model, a truncated file and a wrong magic with the file and offset', async () => {
    await expect(Classifier.load(fixture('fasttext-tiny.bin'))).rejects.toThrow(/fasttext-tiny\.bin: byte offset \d+: not a supervised model/);
    const dir = tempDir();
    try {
      const bytes = readFileSync(fixture('supervised-softmax.bin'));
      const truncated = join(dir.path, 'truncated.bin');
      writeFileSync(truncated, bytes.subarray(0, bytes.length - 10));
      await expect(Classifier.load(truncated)).rejects.toThrow(Wasm2VecError);
      await expect(Classifier.load(truncated)).rejects.toThrow(/truncated.bin: byte offset \d+: truncated file/);
      const wrong = join(dir.path, 'wrong.bin');
      writeFileSync(wrong, Buffer.concat([Buffer.from([1, 2, 3, 4]), bytes.subarray(4)]));
      await expect(Classifier.load(wrong)).rejects.toThrow(/wrong.bin: byte offset 0: not a fastText model/);
    } finally {
      dir.remove();
    }
  });
});

describe('our supervised .bin', () => {
  for (const loss of ['softmax', 'ova', 'ns', 'hs'] as const) {
    it(`${loss}: save → load gives the same predictions${existsSync(FASTTEXT) ? ', and fastText predict gives the same top-1' : ''}`, async () => {
      const model = await trainClassifier({ input: TRAIN, loss, dim: 8, wordNgrams: 2, bucket: 1000, epochs: 20, lr: 0.5, threads: 2 });
      const dir = tempDir();
      try {
        const path = join(dir.path, 'model.bin');
        await model.save(path);
        const loaded = await Classifier.load(path);
        const lines = readFileSync(TEST, 'utf8').split('\n').slice(0, -1);
        for (const line of lines) {
          const a = model.predict(line, { k: 3 });
          const b = loaded.predict(line, { k: 3 });
          expect(b.map((p) => p.label)).toEqual(a.map((p) => p.label));
          b.forEach((p, j) => expect(p.probability).toBeCloseTo(a[j].probability, 6));
        }
        const result = await loaded.test(TEST);
        expect(result.precision).toBeGreaterThan(0.8); // a broken trainer is at chance (~0.4)
        if (existsSync(FASTTEXT)) {
          const theirs = execFileSync(FASTTEXT, ['predict', path, TEST, '1'], { encoding: 'utf8' }).split('\n').slice(0, -1);
          expect(theirs).toEqual(lines.map((line) => loaded.predict(line)[0]?.label ?? ''));
        }
      } finally {
        dir.remove();
      }
    });
  }
});

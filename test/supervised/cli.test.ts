// The supervised, predict, predict-prob and test commands of the built CLI, with fastText's arguments.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';

const TRAIN = new URL('../fixtures/supervised-train.txt', import.meta.url).pathname;
const TEST = new URL('../fixtures/supervised-test.txt', import.meta.url).pathname;

describe('wasm2vec supervised / predict / predict-prob / test', () => {
  it('trains with fastText options, writes PREFIX.bin, and predicts and tests like fastText', async () => {
    const dir = tempDir();
    try {
      const prefix = join(dir.path, 'model');
      const trained = await cli(['supervised', '-input', TRAIN, '-output', prefix, '-dim', '8', '-epoch', '20', '-lr', '0.5', '-wordNgrams', '2', '-bucket', '1000', '-thread', '2', '--json']);
      expect(trained.stderr).toBe('');
      expect(trained.code).toBe(0);
      const report = JSON.parse(trained.stdout);
      expect(report.labels).toBe(3);
      expect(report.examples).toBe(150);
      expect(existsSync(`${prefix}.bin`)).toBe(true);

      const tested = await cli(['test', `${prefix}.bin`, TEST, '1']);
      expect(tested.code).toBe(0);
      const [n, p, r] = tested.stdout.trim().split('\n');
      expect(n).toBe('N\t41');
      expect(Number(p.split('\t')[1])).toBeGreaterThan(0.8);
      expect(r.startsWith('R@1\t')).toBe(true);
      expect(tested.stderr).toMatch(/1 lines without a label the model knows were skipped/);

      const verbose = await cli(['test', `${prefix}.bin`, TEST, '--verbose']);
      expect(verbose.stdout).toMatch(/F1-Score : [\d.]+ +Precision : [\d.]+ +Recall : [\d.]+ +__label__sports/);

      const predicted = await cli(['predict', `${prefix}.bin`, TEST, '2']);
      const lines = predicted.stdout.split('\n').slice(0, -1);
      expect(lines).toHaveLength(readFileSync(TEST, 'utf8').split('\n').length - 1);
      for (const line of lines) expect(line).toMatch(/^__label__\w+ __label__\w+$/);

      const input = join(dir.path, 'lines.txt');
      writeFileSync(input, 'goal team stadium\ncompile kernel code\n');
      const probabilities = await cli(['predict-prob', `${prefix}.bin`, input, '1', '0.2']);
      const rows = probabilities.stdout.trim().split('\n').map((l) => l.split(' '));
      expect(rows.map((row) => row[0])).toEqual(['__label__sports', '__label__tech']);
      for (const row of rows) expect(Number(row[1])).toBeGreaterThan(0.2);
    } finally {
      dir.remove();
    }
  });

  it('bad input: one line on stderr and exit code 1', async () => {
    const dir = tempDir();
    try {
      const noLabels = join(dir.path, 'plain.txt');
      writeFileSync(noLabels, 'no labels at all\n');
      const r = await cli(['supervised', '-input', noLabels, '-output', join(dir.path, 'm')]);
      expect(r.code).toBe(1);
      // One error line (progress lines of the phases that ran may come before it).
      expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('wasm2vec:'))).toHaveLength(1);
      expect(r.stderr).toMatch(/plain\.txt has no labels/);
      const k = await cli(['predict', noLabels, noLabels, 'x']);
      expect(k.code).toBe(1);
      expect(k.stderr).toMatch(/k must be an integer/);
      const notModel = await cli(['test', noLabels, noLabels]);
      expect(notModel.code).toBe(1);
      expect(notModel.stderr).toMatch(/plain\.txt: byte offset 0: not a fastText model/);
    } finally {
      dir.remove();
    }
  });
});

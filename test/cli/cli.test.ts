import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { normalizeSingleDashOptions } from '../../src/cli/args.js';
import { sampleText, tempDir, cli } from '../helpers.js';


describe('wasm2vec train (CLI)', () => {
  it('normalises word2vec.c single-dash options before parsing', () => {
    expect(normalizeSingleDashOptions(['-size', '100', '-min-count', '5', '-iter', '3', 'file'], { size: 'dim', 'min-count': 'min-count', iter: 'epochs' })).toEqual([
      '--dim', '100', '--min-count', '5', '--epochs', '3', 'file',
    ]);
  });

  it('prints the training report as JSON with --json', async () => {
    const dir = tempDir();
    try {
      const corpus = join(dir.path, 'corpus.txt');
      const output = join(dir.path, 'vectors.txt');
      writeFileSync(corpus, sampleText(20_000));
      const r = await cli(['train', '--input', corpus, '--output', output, '--model', 'cbow', '--dim', '8', '--epochs', '1', '--threads', '2', '--json']);
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/words in vocabulary/);
      const report = JSON.parse(r.stdout);
      expect(report).toMatchObject({ model: 'cbow', epochs: 1, threads: 2, corpusTokens: 20_000, output: { path: output, format: 'word2vec-text' } });
      expect(report.vocabSize).toBeGreaterThan(100);
      expect(report.trainWords).toBeLessThanOrEqual(20_000);
      const s = report.seconds;
      // The phases add up to the total, less what lies between them (building the model object).
      const phases = s.vocabulary + s.encode + s.train + s.save;
      expect(s.total).toBeGreaterThanOrEqual(phases - 1e-6);
      expect(s.total).toBeLessThan(phases + 0.5);
      expect(report.wordsPerSecond).toBeGreaterThan(0);
    } finally {
      dir.remove();
    }
  });

  it('says so when --threads is more than the machine runs, and runs the most it does', async () => {
    const dir = tempDir();
    try {
      const corpus = join(dir.path, 'corpus.txt');
      writeFileSync(corpus, sampleText(5_000));
      const most = Math.max(4, 2 * availableParallelism());
      const r = await cli(['train', '--input', corpus, '--output', join(dir.path, 'v.txt'), '--dim', '4', '--epochs', '1', '--threads', '500', '--json']);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`--threads 500 is more than this machine's ${availableParallelism()} cores can use; running ${most} threads`);
      expect(JSON.parse(r.stdout).threads).toBe(most);
    } finally {
      dir.remove();
    }
  });

  it('runs a word2vec.c command line and writes a word2vec.c text file', async () => {
    const dir = tempDir();
    try {
      const corpus = join(dir.path, 'corpus.txt');
      const output = join(dir.path, 'vectors.txt');
      writeFileSync(corpus, sampleText(20_000));
      const r = await cli(['train', '-train', corpus, '-output', output, '-cbow', '1', '-size', '12', '-window', '5', '-negative', '5', '-hs', '0',
        '-sample', '1e-4', '-threads', '2', '-iter', '1', '-min-count', '5', '-binary', '0', '-alpha', '0.05']);
      expect(r.stderr).toMatch(/cbow: .* words in vocabulary.*words\/s/);
      expect(r.code).toBe(0);
      const lines = readFileSync(output, 'utf8').split('\n');
      const [count, dim] = lines[0].split(' ').map(Number);
      expect(dim).toBe(12);
      expect(lines.length).toBe(count + 2); // header, rows, final newline
      expect(lines[1].startsWith('</s> ')).toBe(true);
      expect(lines[2]).toMatch(/^the( -?\d+\.\d{6}){12} $/);
      expect(readdirSync(dir.path).sort()).toEqual(['corpus.txt', 'vectors.txt']);
    } finally {
      dir.remove();
    }
  });

  it('rejects unknown and out-of-range options with a clear message and exit code 1', async () => {
    const bad = [
      [['train', '-train', 'x', '-output', 'y', '-cbow', '2'], /option --cbow must be 0 or 1, got "2"/],
      [['train', '-train', 'x', '-output', 'y', '-classes', '5'], /unknown option -classes/],
      [['train', '--input', 'x', '--output', 'y', '--dim', '-3'], /dim/],
      [['train', '--input', 'x', '--output', 'y', '--window', '0'], /option window must be an integer from 1/],
      [['train', '--output', 'y'], /missing --input/],
      [['train', '--input', 'x', '--output', 'y', '--format', 'npy'], /--format must be one of/],
    ] as const;
    for (const [args, message] of bad) {
      const r = await cli([...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace for input errors
    }
  });

  it('leaves an earlier output intact when a run fails', async () => {
    const dir = tempDir();
    try {
      const corpus = join(dir.path, 'corpus.txt');
      const output = join(dir.path, 'vectors.txt');
      writeFileSync(corpus, sampleText(5_000));
      writeFileSync(output, 'earlier model\n');
      const empty = await cli(['train', '--input', join(dir.path, 'missing.txt'), '--output', output]);
      expect(empty.code).toBe(1);
      const failing = await cli(['train', '--input', corpus, '--output', output, '--threads', '2'], { WASM2VEC_FAULT_INJECTION: 'worker-throws' });
      expect(failing.code).not.toBe(0);
      expect(failing.stderr).toMatch(/injected worker failure/);
      expect(readFileSync(output, 'utf8')).toBe('earlier model\n');
      expect(readdirSync(dir.path).sort()).toEqual(['corpus.txt', 'vectors.txt']);
      expect(existsSync(output)).toBe(true);
    } finally {
      dir.remove();
    }
  });
});

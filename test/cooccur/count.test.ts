import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainGlove } from '../../src/glove/train.js';
import { readCooccurHeader } from '../../src/cooccur/record-file.js';
import { maxProductFor, denseEntriesFor, partitionRows, rowStartsFor } from '../../src/cooccur/layout.js';
import { AbortError } from '../../src/errors.js';
import { sampleText, scratchDirs } from '../helpers.js';

interface Counted {
  words: string[];
  counts: number[];
  window: number;
  symmetric: boolean;
  keys: string[];
  values: Map<string, number>;
}

/** Reads a co-occurrence file written by saveCooccur: vocabulary and records as "word1 word2" → X. */
function readCounts(path: string): Counted {
  const header = readCooccurHeader(path);
  const bytes = readFileSync(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset + header.recordsOffset, header.records * 16);
  const keys: string[] = [];
  const values = new Map<string, number>();
  for (let i = 0; i < header.records; i++) {
    const key = `${header.words[view.getUint32(i * 16, true) - 1]} ${header.words[view.getUint32(i * 16 + 4, true) - 1]}`;
    keys.push(key);
    values.set(key, view.getFloat64(i * 16 + 8, true));
  }
  return { words: header.words, counts: header.counts, window: header.window, symmetric: header.symmetric, keys, values };
}

/** The definition, word by word: Stanford cooccur over the in-vocabulary words of each line. */
function bruteForce(text: string, minCount: number, window: number, symmetric: boolean): { vocabulary: Map<string, number>; pairs: Map<string, number> } {
  const lines = text.split('\n').map((l) => l.split(/[ \t]+/).filter((w) => w.length > 0));
  const vocabulary = new Map<string, number>();
  for (const line of lines) for (const w of line) vocabulary.set(w, (vocabulary.get(w) ?? 0) + 1);
  for (const [w, c] of [...vocabulary]) if (c < minCount) vocabulary.delete(w);
  const pairs = new Map<string, number>();
  const add = (a: string, b: string, v: number) => pairs.set(`${a} ${b}`, (pairs.get(`${a} ${b}`) ?? 0) + v);
  for (const line of lines) {
    const kept = line.filter((w) => vocabulary.has(w));
    for (let j = 0; j < kept.length; j++) {
      for (let k = j - 1; k >= 0 && j - k <= window; k--) {
        add(kept[k], kept[j], 1 / (j - k));
        if (symmetric) add(kept[j], kept[k], 1 / (j - k));
      }
    }
  }
  return { vocabulary, pairs };
}

function expectSameCounts(actual: Counted, expected: Map<string, number>, relative = 1e-12): void {
  expect(actual.values.size).toBe(expected.size);
  for (const [key, value] of expected) {
    const got = actual.values.get(key);
    if (got === undefined) throw new Error(`pair "${key}" is missing`);
    if (Math.abs(got - value) > relative * Math.abs(value)) throw new Error(`pair "${key}": ${got}, expected ${value}`);
  }
}

function expectSorted(c: Counted): void {
  const index = new Map(c.words.map((w, i) => [w, i + 1]));
  const ids = c.keys.map((k) => k.split(' ').map((w) => index.get(w)!));
  for (let i = 1; i < ids.length; i++) {
    const [a1, a2] = ids[i - 1];
    const [b1, b2] = ids[i];
    if (!(a1 < b1 || (a1 === b1 && a2 < b2))) throw new Error(`records ${i - 1} and ${i} are out of order`);
  }
}

/** A text with line breaks every few words, so windows are cut at line ends. */
function linedSample(words: number): string {
  const tokens = sampleText(words).trim().split(' ');
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) out.push(tokens[i], (i * 7919) % 41 === 40 ? '\n' : ' ');
  return out.join('');
}

const scratch = scratchDirs();
afterEach(() => {
  delete process.env.WASM2VEC_FAULT_INJECTION;
});

const fast = { dim: 4, epochs: 1 } as const;

describe('co-occurrence counting', () => {
  const small = [
    'the cat sat on the mat the cat',
    'a a a rare1 the dog sat',
    '',
    'the',
    'on the mat rare2 rare3 the cat sat on the dog',
    '   dog   cat\tmat   ',
  ].join('\n');

  for (const symmetric of [true, false]) {
    for (const window of [1, 3, 10]) {
      it(`matches the brute-force definition (window ${window}, ${symmetric ? 'symmetric' : 'left context only'})`, async () => {
        const dir = scratch();
        const file = join(dir, 'counts.bin');
        writeFileSync(join(dir, 'corpus.txt'), small);
        const model = await trainGlove({ ...fast, input: join(dir, 'corpus.txt'), saveCooccur: file, minCount: 2, window, symmetric, threads: 2 });
        const counted = readCounts(file);
        const expected = bruteForce(small, 2, window, symmetric);
        expect(new Set(counted.words)).toEqual(new Set(expected.vocabulary.keys()));
        counted.words.forEach((w, i) => expect(counted.counts[i]).toBe(expected.vocabulary.get(w)));
        expectSameCounts(counted, expected.pairs);
        expectSorted(counted);
        expect(counted.window).toBe(window);
        expect(counted.symmetric).toBe(symmetric);
        expect(model.report.pairs).toBe(expected.pairs.size);
        expect(model.words).not.toContain('</s>');
      });
    }
  }

  it('matches the brute-force definition on 30 000 words of text with line breaks, on 1 and 3 threads', async () => {
    const text = linedSample(30_000);
    const expected = bruteForce(text, 3, 7, true);
    for (const threads of [1, 3]) {
      const file = join(scratch(), 'counts.bin');
      const model = await trainGlove({ ...fast, input: { text: chunks(text) }, saveCooccur: file, minCount: 3, window: 7, threads });
      const counted = readCounts(file);
      expectSameCounts(counted, expected.pairs, 1e-12);
      expectSorted(counted);
      expect(model.report.counting!.rowRanges.length).toBe(threads);
    }
  });

  it('gives the same records whatever the memory bound, with a tiny bound forcing many spills and multi-pass merges', async () => {
    const dir = scratch();
    const corpus = join(dir, 'corpus.txt');
    writeFileSync(corpus, linedSample(120_000));
    const roomy = join(dir, 'roomy.bin');
    const tight = join(dir, 'tight.bin');
    const a = await trainGlove({ ...fast, input: corpus, saveCooccur: roomy, window: 10, minCount: 2, threads: 2 });
    const b = await trainGlove({ ...fast, input: corpus, saveCooccur: tight, window: 10, minCount: 2, threads: 2, memory: 1 / 1024 });
    expect(a.report.counting!.spilledRuns).toBe(0);
    expect(a.report.memory.records).toBe('memory');
    // The tight run kept nothing big in memory: ids, runs and records all went through files.
    expect(b.report.counting!.spilledRuns).toBeGreaterThan(40);
    expect(b.report.memory.tokens).toBe('file');
    expect(b.report.memory.records).toBe('file');
    expect(b.report.counting!.maxProduct).toBeLessThan(a.report.counting!.maxProduct);
    const ra = readCounts(roomy);
    const rb = readCounts(tight);
    expect(rb.keys).toEqual(ra.keys);
    for (const [key, value] of ra.values) {
      const other = rb.values.get(key)!;
      if (Math.abs(other - value) > 1e-12 * value) throw new Error(`${key}: ${other} vs ${value}`);
    }
    expect(b.report.pairs).toBe(a.report.pairs);
  });

  it('gives the same records with everything in the dense table and with nothing in it', async () => {
    const text = linedSample(20_000);
    const results: Counted[] = [];
    for (const maxProduct of [0, 1e12, 5000]) {
      const file = join(scratch(), 'counts.bin');
      const model = await trainGlove({ ...fast, input: { text: chunks(text) }, saveCooccur: file, minCount: 2, window: 5, threads: 2, maxProduct });
      if (maxProduct === 0) expect(model.report.counting!.denseAdds).toBe(0);
      if (maxProduct === 1e12) expect(model.report.counting!.sparseAdds).toBe(0);
      results.push(readCounts(file));
    }
    for (const r of results.slice(1)) {
      expect(r.keys).toEqual(results[0].keys);
      for (const [key, value] of results[0].values) expect(Math.abs(r.values.get(key)! - value)).toBeLessThanOrEqual(1e-12 * value);
    }
  });

  it('plans the dense table by the rank-product rule and splits rows into balanced ranges', () => {
    expect(denseEntriesFor(10, 6)).toBe(5 + 5 + 3 + 2 + 2);
    expect(rowStartsFor(10, 6)).toEqual(Uint32Array.from([0, 0, 5, 10, 13, 15, 17]));
    const p = maxProductFor(1000, 101);
    expect(denseEntriesFor(p, 101)).toBeLessThanOrEqual(1000);
    expect(denseEntriesFor(p + 1, 101)).toBeGreaterThan(1000);
    expect(maxProductFor(1e9, 101)).toBe(100 * 100);
    const counts = [0, ...Array.from({ length: 999 }, (_, i) => Math.round(1e5 / (i + 1)))];
    const ranges = partitionRows(counts, rowStartsFor(5000, 1000), 4);
    expect(ranges[0][0]).toBe(1);
    expect(ranges[3][1]).toBe(1000);
    for (let i = 1; i < 4; i++) expect(ranges[i][0]).toBe(ranges[i - 1][1]);
    expect(partitionRows([0, 5, 3], rowStartsFor(4, 3), 4).map(([a, b]) => b - a).reduce((x, y) => x + y)).toBe(2);
  });
});

describe('temporary files', () => {
  /** Runs with os.tmpdir() pointing at a fresh directory; `work` is a directory outside it. */
  function withTmpdir<T>(run: (dir: string, work: string) => Promise<T>): Promise<T> {
    const dir = scratch();
    const work = scratch();
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    return run(dir, work).finally(() => {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    });
  }
  const tight = { ...fast, window: 10, minCount: 2, threads: 2, memory: 1 / 1024 } as const;

  it('are removed after a run that spilled everything', async () => {
    await withTmpdir(async (dir, work) => {
      const corpus = join(work, 'corpus.txt');
      writeFileSync(corpus, linedSample(60_000));
      const model = await trainGlove({ ...tight, input: corpus });
      expect(model.report.counting!.spilledRuns).toBeGreaterThan(0);
      expect(readdirSync(dir)).toEqual([]);
    });
  });

  it('are removed when the run fails after counting', async () => {
    await withTmpdir(async (dir, work) => {
      const corpus = join(work, 'corpus.txt');
      writeFileSync(corpus, linedSample(60_000));
      await expect(trainGlove({ ...tight, input: corpus, saveCooccur: join(dir, 'no', 'such', 'dir', 'c.bin') })).rejects.toThrow(/cannot write the co-occurrence file/);
      expect(readdirSync(dir)).toEqual([]);
    });
  });

  it('are removed when a worker fails', async () => {
    await withTmpdir(async (dir) => {
      process.env.WASM2VEC_FAULT_INJECTION = 'worker-throws';
      await expect(trainGlove({ ...tight, input: { text: chunks(linedSample(20_000)) } })).rejects.toThrow(/injected worker failure/);
      expect(readdirSync(dir)).toEqual([]);
    });
  });

  for (const phase of ['cooccur', 'shuffle', 'train'] as const) {
    it(`are removed when the run is aborted during the ${phase} phase`, async () => {
      await withTmpdir(async (dir, work) => {
        const custom = join(work, 'custom-temp');
        mkdirSync(custom);
        const controller = new AbortController();
        const corpus = join(work, 'corpus.txt');
        writeFileSync(corpus, linedSample(60_000));
        const run = trainGlove({
          ...tight, dim: 20, epochs: 50, input: corpus, tempDir: custom, signal: controller.signal,
          onProgress: (e) => {
            if (e.phase === phase) controller.abort();
          },
        });
        await expect(run).rejects.toThrow(AbortError);
        expect(readdirSync(custom)).toEqual([]);
        expect(readdirSync(dir)).toEqual([]);
        rmSync(custom, { recursive: true });
      });
    });
  }
});

async function* chunks(text: string): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += 65_536) yield text.slice(i, i + 65_536);
}

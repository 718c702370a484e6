import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { instantiateKernels } from '../../src/runtime/kernels.js';
import { GloveMemory } from '../../src/glove/layout.js';
import { TempDir } from '../../src/cooccur/count.js';
import { shuffleRecords, type TrainingRecords } from '../../src/glove/shuffle.js';
import type { RecordSegment } from '../../src/cooccur/record-file.js';
import { tempDir } from '../helpers.js';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function setup(records: number) {
  const gm = new GloveMemory(1, 1, 1, 1 << 20, 64 << 20);
  const kernels = instantiateKernels(gm.memory);
  gm.ensureRecords(records);
  const dir = tempDir();
  dirs.push(dir);
  return { gm, kernels, dir: dir.path };
}

/** Records (i/100 + 1, i%100 + 1, X = 1 + i/7): distinct keys, values that identify them. */
function fill(view: DataView, at: number, count: number, first = 0): void {
  for (let j = 0; j < count; j++) {
    const i = first + j;
    view.setUint32(at + j * 16, Math.floor(i / 100) + 1, true);
    view.setUint32(at + j * 16 + 4, (i % 100) + 1, true);
    view.setFloat64(at + j * 16 + 8, 1 + i / 7, true);
  }
}

function readTraining(gm: GloveMemory, out: TrainingRecords): DataView {
  if (out.kind === 'memory') return new DataView(gm.memory.buffer.slice(out.offset, out.offset + out.count * 16));
  const bytes = readFileSync(out.path);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The original index of each output record, checking its converted values on the way. */
function decode(view: DataView, count: number, xMax: number, alpha: number): number[] {
  const order: number[] = [];
  let worst = 0;
  for (let j = 0; j < count; j++) {
    const i = (view.getUint32(j * 16, true) - 1) * 100 + view.getUint32(j * 16 + 4, true) - 1;
    const x = 1 + i / 7;
    worst = Math.max(
      worst,
      Math.abs(view.getFloat32(j * 16 + 8, true) - Math.log(x)) / Math.log(x + 1),
      Math.abs(view.getFloat32(j * 16 + 12, true) - (x > xMax ? 1 : Math.pow(x / xMax, alpha))),
    );
    order.push(i);
  }
  expect(worst).toBeLessThan(1e-6);
  return order;
}

function expectPermutation(order: number[], count: number): void {
  expect(order.length).toBe(count);
  const seen = new Uint8Array(count);
  for (const i of order) {
    expect(i).toBeGreaterThanOrEqual(0);
    expect(i).toBeLessThan(count);
    expect(seen[i]).toBe(0);
    seen[i] = 1;
  }
}

async function run(
  count: number, seed: number, options: { chunkRecords?: number; bucketRecords?: number; fromFile?: boolean; context?: ReturnType<typeof setup> } = {},
) {
  const { gm, kernels, dir } = options.context ?? setup(count);
  let segments: RecordSegment[];
  if (options.fromFile) {
    const bytes = new Uint8Array(count * 16 + 32);
    fill(new DataView(bytes.buffer, 32), 0, count);
    const path = join(dir, 'records.bin');
    writeFileSync(path, bytes);
    segments = [{ kind: 'file', path, offset: 32, count }];
  } else {
    fill(new DataView(gm.memory.buffer), gm.records, count);
    segments = [{ kind: 'memory', offset: gm.records, count }];
  }
  const temp = new TempDir(dir);
  const out = await shuffleRecords({
    gm, kernels, segments, count, seed, xMax: 10, alpha: 0.75, budgetBytes: 1 << 30, temp, chunkRecords: options.chunkRecords, bucketRecords: options.bucketRecords,
    validate: options.fromFile ? { path: 'records.bin', vocabSize: 1_000_000 } : undefined,
  });
  const order = decode(readTraining(gm, out), count, 10, 0.75);
  temp.remove();
  return { order, out };
}

describe('shuffle', () => {
  it('is a permutation, converts every record to (log X, f(X)), and is reproducible from the seed', async () => {
    const a = await run(10_000, 1);
    expectPermutation(a.order, 10_000);
    expect(a.out.kind).toBe('memory');
    const b = await run(10_000, 1);
    const c = await run(10_000, 2);
    expect(b.order).toEqual(a.order);
    expect(c.order).not.toEqual(a.order);
    // Not close to the identity: about 1 fixed point is expected.
    expect(a.order.filter((i, j) => i === j).length).toBeLessThan(10);
  });

  it('external shuffle (buckets on disk) is a reproducible permutation, also when the input is a file', async () => {
    for (const fromFile of [false, true]) {
      const a = await run(20_000, 7, { chunkRecords: 1500, fromFile });
      expect(a.out.kind).toBe('file');
      expectPermutation(a.order, 20_000);
      const b = await run(20_000, 7, { chunkRecords: 1500, fromFile });
      expect(b.order).toEqual(a.order);
      const c = await run(20_000, 8, { chunkRecords: 1500, fromFile });
      expect(c.order).not.toEqual(a.order);
    }
  });

  it('removes its bucket files', async () => {
    const { gm, kernels, dir } = setup(5000);
    fill(new DataView(gm.memory.buffer), gm.records, 5000);
    const temp = new TempDir(dir);
    const out = await shuffleRecords({
      gm, kernels, segments: [{ kind: 'memory', offset: gm.records, count: 5000 }], count: 5000, seed: 3, xMax: 10, alpha: 0.75,
      budgetBytes: 1 << 30, temp, chunkRecords: 300,
    });
    expect(out.kind).toBe('file');
    expect(readdirSync(temp.created!)).toEqual(['shuffled.bin']);
    temp.remove();
    expect(readdirSync(dir)).toEqual([]);
  });

  const variants = [
    ['in memory, one Fisher–Yates pass', {}],
    ['in memory, through random buckets', { bucketRecords: 2 }],
    ['external, through bucket files', { chunkRecords: 3 }],
  ] as const;
  for (const [name, variant] of variants) {
    it(`puts each record in each position equally often (${name})`, async () => {
      const n = 6;
      const trials = 'chunkRecords' in variant ? 1200 : 3000;
      const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
      const context = setup(n);
      for (let seed = 0; seed < trials; seed++) {
        const { order } = await run(n, seed, { ...variant, context });
        order.forEach((i, position) => counts[i][position]++);
      }
      // Each cell ~ Binomial(trials, 1/6); allow 5 standard deviations.
      const sd = Math.sqrt((trials * (n - 1)) / (n * n));
      for (const row of counts) for (const c of row) expect(Math.abs(c - trials / n)).toBeLessThan(5 * sd);
    });
  }

  it('rejects bad records from a co-occurrence file with the record number', async () => {
    const { gm, kernels, dir } = setup(100);
    const temp = new TempDir(dir);
    const cases: [string, (v: DataView) => void, RegExp][] = [
      ['out of range', (v) => v.setUint32(5 * 16, 0, true), /record 5: word ids \(0, 6\) are outside 1\.\.999/],
      ['not positive', (v) => v.setFloat64(7 * 16 + 8, -1, true), /record 7: value -1 is not a finite positive number/],
      ['NaN', (v) => v.setFloat64(8 * 16 + 8, NaN, true), /record 8: value NaN/],
      ['unsorted', (v) => v.setUint32(9 * 16 + 4, 1, true), /record 9: pair \(1, 1\) is not after the previous pair \(1, 9\)/],
      ['duplicate', (v) => v.setUint32(9 * 16 + 4, 9, true), /record 9: pair \(1, 9\) is not after/],
    ];
    for (const external of [false, true]) {
      for (const [, corrupt, message] of cases) {
        const bytes = new Uint8Array(100 * 16);
        const view = new DataView(bytes.buffer);
        fill(view, 0, 100);
        corrupt(view);
        const path = join(dir, 'bad.bin');
        writeFileSync(path, bytes);
        await expect(
          shuffleRecords({
            gm, kernels, segments: [{ kind: 'file', path, offset: 0, count: 100 }], count: 100, seed: 1, xMax: 10, alpha: 0.75,
            budgetBytes: 1 << 30, temp, validate: { path, vocabSize: 1000 }, chunkRecords: external ? 8 : undefined,
          }),
        ).rejects.toThrow(message);
      }
    }
    temp.remove();
  });
});

// planOnly / --dry-run (issue #18): every trainer stops after its vocabulary pass and returns the
// memory plan (every region with its sharing class and size, the total) without training or
// writing anything; the plan is the one the run would allocate.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { train } from '../../src/word2vec/train.js';
import { trainGlove } from '../../src/glove/train.js';
import { trainSvd } from '../../src/svd/train.js';
import { trainClassifier } from '../../src/supervised/train.js';
import type { MemoryPlan } from '../../src/runtime/memory-plan.js';
import { cli, sampleText, tempDir } from '../helpers.js';

const SUPERVISED_TRAIN = new URL('../fixtures/supervised-train.txt', import.meta.url).pathname;

function expectSound(plan: MemoryPlan, trainer: MemoryPlan['trainer']): void {
  expect(plan.trainer).toBe(trainer);
  expect(plan.vocabSize).toBeGreaterThan(10);
  expect(plan.fits).toBe(true);
  expect(plan.regions.length).toBeGreaterThan(5);
  for (const r of plan.regions) {
    expect(['hogwild', 'atomic', 'worker', 'read-only']).toContain(r.sharing);
    expect(r.bytes).toBeGreaterThanOrEqual(0);
  }
}

describe('memory plan (planOnly, --dry-run)', () => {
  const dir = tempDir();
  const corpus = join(dir.path, 'corpus.txt');
  beforeAll(() => writeFileSync(corpus, sampleText(30_000)));
  afterAll(() => dir.remove());

  it('word2vec: the regions of the run, with the vocabulary, the matrices and the corpus store', async () => {
    const plan = await train({ input: corpus, dim: 30, threads: 2, minCount: 2, hs: true, planOnly: true });
    expectSound(plan, 'word2vec');
    const trained = await train({ input: corpus, dim: 30, threads: 2, minCount: 2, hs: true, epochs: 1 });
    // The same vocabulary and exactly the memory the run allocated.
    expect(plan.vocabSize).toBe(trained.report.vocabSize);
    expect(plan.totalBytes).toBe(trained.report.memoryBytes);
    const input = plan.regions.find((r) => r.name.startsWith('input vectors'))!;
    expect(input.sharing).toBe('hogwild');
    expect(input.bytes).toBe(plan.vocabSize * 32 * 4);
    expect(plan.regions.filter((r) => r.sharing === 'worker' && /^worker \d+$/.test(r.name))).toHaveLength(2);
    expect(plan.regions.reduce((sum, r) => sum + r.bytes, 0)).toBeLessThanOrEqual(plan.totalBytes);
    expect(plan.notes.join(' ')).toMatch(/stays in the shared memory/);
    const onFile = await train({ input: corpus, dim: 30, threads: 1, minCount: 2, tokenStore: 'file', planOnly: true });
    expect(onFile.notes.join(' ')).toMatch(/temporary file/);
    expect(onFile.regions.some((r) => r.name.startsWith('encoded corpus'))).toBe(false);
  });

  it('supervised: the plan the classifier allocates', async () => {
    const plan = await trainClassifier({ input: SUPERVISED_TRAIN, dim: 10, threads: 1, planOnly: true });
    expectSound(plan, 'supervised');
    const trained = await trainClassifier({ input: SUPERVISED_TRAIN, dim: 10, threads: 1, epochs: 1 });
    expect(plan.totalBytes).toBe(trained.report.memoryBytes);
    expect(plan.regions.find((r) => r.name.startsWith('input vectors'))!.sharing).toBe('hogwild');
  });

  it('GloVe and PPMI + SVD: the phases after the vocabulary pass, the records bounded by the memory budget', async () => {
    const glove = await trainGlove({ input: corpus, dim: 20, threads: 2, minCount: 2, memory: 0.25, planOnly: true });
    expectSound(glove, 'glove');
    expect(glove.regions.find((r) => r.name.startsWith('training: word rows'))!.sharing).toBe('hogwild');
    expect(glove.totalBytes).toBeLessThan(0.5 * 2 ** 30);
    const svd = await trainSvd({ input: corpus, dim: 8, threads: 2, minCount: 2, memory: 0.25, planOnly: true });
    expectSound(svd, 'svd');
    expect(svd.regions.some((r) => r.name.startsWith('SVD memory: dense matrix'))).toBe(true);
    expect(svd.vocabSize).toBe(glove.vocabSize);
  });

  it('the CLI prints the plan and exits 0 without writing the output, for every trainer command', async () => {
    const out = join(dir.path, 'never.txt');
    for (const args of [
      ['train', '--input', corpus, '--output', out, '--min-count', '2', '--threads', '1'],
      ['glove', '--input', corpus, '--min-count', '2', '--threads', '1', '--memory', '0.25'],
      ['svd', '--input', corpus, '--min-count', '2', '--threads', '1', '--memory', '0.25'],
      ['supervised', '--input', SUPERVISED_TRAIN, '--threads', '1'],
    ]) {
      const r = await cli([...args, '--dry-run', '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^memory plan \(\w+, [\d,]+ words in vocabulary\):/);
      expect(r.stdout).toMatch(/\n +[\d.]+ (B|KiB|MiB|GiB) +total/);
      expect(r.stdout).toMatch(/ worker  /);
    }
    expect(existsSync(out)).toBe(false);
    const json = await cli(['train', '--input', corpus, '--min-count', '2', '--threads', '1', '--dry-run', '--json', '--quiet']);
    expect(JSON.parse(json.stdout).trainer).toBe('word2vec');
  });
});

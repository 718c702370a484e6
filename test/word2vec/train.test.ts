import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { train } from '../../src/word2vec/train.js';
import { AbortError, Wasm2VecError } from '../../src/errors.js';
import { planWord2VecLayout } from '../../src/word2vec/layout.js';
import { chunksOf, sampleText, tempDir } from '../helpers.js';

const text = sampleText(60_000);
const small = { model: 'skipgram', dim: 20, epochs: 2, minCount: 3, sample: 1e-3 } as const;

afterEach(() => {
  delete process.env.WASM2VEC_FAULT_INJECTION;
});

describe('train', () => {
  it('trains on an async iterable with several workers and reports what it did', async () => {
    const events: string[] = [];
    const model = await train({ ...small, input: { text: chunksOf(text, 10_000) }, threads: 2, onProgress: (e) => events.push(e.phase) });
    expect(model.dim).toBe(20);
    expect(model.words[0]).toBe('</s>');
    expect(model.words.slice(1, 4)).toEqual(['the', 'of', 'and']);
    expect(model.size).toBe(model.report.vocabSize);
    expect(model.report.corpusTokens).toBe(60_000);
    expect(model.report.threads).toBe(2);
    expect(model.report.tokenStore).toBe('memory');
    expect(events).toContain('vocabulary');
    expect(events).toContain('train');
    const v = model.vector('the');
    expect(v.length).toBe(20);
    expect(v.every(Number.isFinite)).toBe(true);
  });

  it('is deterministic with one thread, and the file token store trains exactly like the in-memory one', async () => {
    const a = await train({ ...small, input: { text: chunksOf(text, 10_000) }, threads: 1, seed: 5 });
    const b = await train({ ...small, input: { text: chunksOf(text, 10_000) }, threads: 1, seed: 5, tokenStore: 'file' });
    const c = await train({ ...small, input: { text: chunksOf(text, 10_000) }, threads: 1, seed: 6 });
    expect(b.report.tokenStore).toBe('file');
    expect(b.vectors).toEqual(a.vectors);
    expect(c.vectors).not.toEqual(a.vectors);
  });

  it('stops within a second when the signal aborts, rejecting with AbortError', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    const run = train({
      ...small, dim: 100, epochs: 200, input: { text: chunksOf(text, 10_000) }, threads: 2, signal: controller.signal,
      onProgress: (e) => {
        if (e.phase === 'train' && e.words > 0 && !abortedAt) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    });
    await expect(run).rejects.toThrow(AbortError);
    expect(abortedAt).toBeGreaterThan(0);
    expect(performance.now() - abortedAt).toBeLessThan(1000);
  });

  it('rejects at once when the signal is already aborted', async () => {
    await expect(train({ ...small, input: { text: chunksOf(text, 10_000) }, signal: AbortSignal.abort() })).rejects.toThrow(AbortError);
  });

  it('fails the run with the worker error when a worker throws', async () => {
    process.env.WASM2VEC_FAULT_INJECTION = 'worker-throws';
    await expect(train({ ...small, input: { text: chunksOf(text, 10_000) }, threads: 2 })).rejects.toThrow(/injected worker failure/);
  });

  it('rejects bad input with clear errors', async () => {
    const dir = tempDir();
    try {
      const empty = join(dir.path, 'empty.txt');
      writeFileSync(empty, '  \n\n ');
      await expect(train({ input: empty })).rejects.toThrow(/empty/);
      await expect(train({ input: { text: chunksOf('a b c', 10) }, minCount: 2 })).rejects.toThrow(/no word occurs at least 2 times/);
      await expect(train({ input: join(dir.path, 'nope.txt') })).rejects.toThrow(/cannot open corpus .*nope\.txt/);
      await expect(train({ input: empty, dim: 0 })).rejects.toThrow(/option dim must be an integer from 1/);
      await expect(train({ input: empty, model: 'glove' as never })).rejects.toThrow(/option model/);
      await expect(train({ input: empty, sample: -1 })).rejects.toThrow(Wasm2VecError);
    } finally {
      dir.remove();
    }
  });

  it('says how much memory a model needs when it does not fit in wasm32', () => {
    expect(() => planWord2VecLayout(4_000_000, 300, 2).layout.assertFits('the vocabulary or dim')).toThrow(
      /needs 8\.9\d GiB .* at most 4 GiB .*input vectors.*reduce the vocabulary or dim/,
    );
    expect(() => planWord2VecLayout(1_000_000, 300, 2).layout.assertFits('x')).not.toThrow();
  });
});

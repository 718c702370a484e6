// onEpochEnd: the workers meet at every epoch end (src/runtime/rendezvous.ts), the callback sees a
// copy of the vectors, and returning false or throwing ends the run without hung workers.
import { describe, expect, it } from 'vitest';
import { train } from '../../src/word2vec/train.js';
import { AbortError, Wasm2VecError } from '../../src/errors.js';
import type { EpochEndEvent } from '../../src/word2vec/options.js';
import { chunksOf, sampleText } from '../helpers.js';

const text = sampleText(60_000);
const small = { model: 'skipgram', dim: 20, epochs: 3, minCount: 3, sample: 1e-3 } as const;

describe('onEpochEnd', () => {
  it('is called once per epoch with a copy of the vectors, and changes nothing at one thread', async () => {
    const events: EpochEndEvent[] = [];
    const snapshots: Float32Array[] = [];
    const withCallback = await train({
      ...small, input: { text: chunksOf(text, 10_000) }, threads: 1, seed: 3,
      onEpochEnd: (e) => {
        events.push(e);
        snapshots.push(e.vectors.vectors.slice());
      },
    });
    const without = await train({ ...small, input: { text: chunksOf(text, 10_000) }, threads: 1, seed: 3 });
    expect(events.map((e) => e.epoch)).toEqual([1, 2, 3]);
    for (const e of events) {
      expect(e.epochs).toBe(3);
      expect(e.loss).toBeGreaterThan(0);
      expect(e.wordsPerSecond).toBeGreaterThan(0);
      expect(e.vectors.words).toEqual(withCallback.words);
    }
    // Each epoch moved the vectors; the callback's copy did not move afterwards.
    expect(snapshots[0]).not.toEqual(snapshots[1]);
    expect(events[0].vectors.vectors).toEqual(snapshots[0]);
    // The last epoch's copy is the final model; and parking at epoch ends does not change training.
    expect(events[2].vectors.vectors).toEqual(withCallback.vectors);
    expect(withCallback.vectors).toEqual(without.vectors);
    expect(withCallback.report.epochsCompleted).toBe(3);
    // Each event's loss is the epoch's figure in the report (the same tallies, read at the barrier).
    expect(events.map((e) => e.loss)).toEqual(withCallback.report.losses);
    expect(events[2].loss!).toBeLessThan(events[0].loss!);
    expect(withCallback.report.stoppedEarly).toBeUndefined();
  });

  it('stops early when the callback returns false (async too), with the vectors so far', async () => {
    const seen: number[] = [];
    let firstCopy: Float32Array | undefined;
    const model = await train({
      ...small, epochs: 50, input: { text: chunksOf(text, 10_000) }, threads: 2,
      onEpochEnd: async (e) => {
        seen.push(e.epoch);
        firstCopy ??= e.vectors.vectors;
        await new Promise((r) => setTimeout(r, 5));
        return e.epoch < 2;
      },
    });
    expect(seen).toEqual([1, 2]);
    expect(model.report.epochsCompleted).toBe(2);
    expect(model.report.stoppedEarly).toBe(true);
    expect(model.report.losses).toHaveLength(2);
    expect(model.vectors.every(Number.isFinite)).toBe(true);
    expect(model.vectors).not.toEqual(firstCopy);
  });

  it('rejects with the error the callback throws, and a later run works', async () => {
    const boom = new Error('evaluation failed');
    await expect(
      train({ ...small, epochs: 50, input: { text: chunksOf(text, 10_000) }, threads: 2, onEpochEnd: () => { throw boom; } }),
    ).rejects.toBe(boom);
    const again = await train({ ...small, epochs: 1, input: { text: chunksOf(text, 10_000) }, threads: 2 });
    expect(again.report.epochsCompleted).toBe(1);
  });

  it('an abort while the workers are parked in a slow callback rejects with AbortError, no hang', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const run = train({
      ...small, epochs: 50, input: { text: chunksOf(text, 10_000) }, threads: 2, signal: controller.signal,
      onEpochEnd: async () => {
        controller.abort();
        await new Promise((r) => setTimeout(r, 50));
      },
    });
    await expect(run).rejects.toThrow(AbortError);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('works for CBOW with hierarchical softmax and for subword models (composed word vectors)', async () => {
    const epochs: number[] = [];
    const cbow = await train({ ...small, model: 'cbow', hs: true, negative: 0, input: { text: chunksOf(text, 10_000) }, threads: 2, onEpochEnd: (e) => void epochs.push(e.epoch) });
    expect(epochs).toEqual([1, 2, 3]);
    expect(cbow.vectors.every(Number.isFinite)).toBe(true);
    let last: Float32Array | undefined;
    const ft = await train({
      ...small, model: 'fasttext-skipgram', subwords: { minn: 3, maxn: 4, buckets: 2000 }, input: { text: chunksOf(text, 10_000) }, threads: 1,
      onEpochEnd: (e) => void (last = e.vectors.vectors),
    });
    expect(last).toEqual(ft.vectors);
  });

  it('rejects a callback that is not a function', async () => {
    await expect(train({ ...small, input: { text: chunksOf(text, 10_000) }, onEpochEnd: 5 as never })).rejects.toThrow(Wasm2VecError);
  });
});

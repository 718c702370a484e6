// GloVe's training state (GloVe #170): checkpoints at iteration ends, a resumed run that ends
// byte-identical to the uninterrupted one at one thread, continued iterations (initialModel) with
// AdaGrad's sums restored equal to one longer run, and a restart without them taking a different,
// costlier path; epoch callbacks; mismatched options, corpora and the other trainer's state are
// one-line errors naming the file.
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainGlove } from '../../src/glove/train.js';
import { train } from '../../src/word2vec/train.js';
import { Wasm2VecError } from '../../src/errors.js';
import { gloveRowFloats, readGloveState, readTrainingState, writeGloveState } from '../../src/formats/wasm2vec-state.js';
import { sampleText, tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const corpus = join(tmp.path, 'corpus.txt');
writeFileSync(corpus, sampleText(30_000));
const small = { input: corpus, dim: 12, window: 5, minCount: 3, xMax: 10, threads: 1, seed: 7, memory: 0.25 } as const;

describe('GloVe state', () => {
  it('a run resumed from an iteration-end checkpoint ends byte-identical to the uninterrupted run (one thread)', async () => {
    const options = { ...small, epochs: 6 };
    const whole = await trainGlove(options);
    const path = join(tmp.path, 'ckpt.w2v');
    const at3 = join(tmp.path, 'at3.w2v');
    const seen: number[] = [];
    // Checkpoints at every iteration end (everySeconds tiny); the one after iteration 3 is kept.
    const checkpointed = await trainGlove({
      ...options, checkpoint: { path, everySeconds: 0.001 },
      onEpochEnd: (e) => {
        seen.push(e.epoch);
        expect(e.vectors.size).toBe(whole.size);
        if (e.epoch === 3) copyFileSync(path, at3);
      },
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    // Meeting at iteration ends changes nothing in the arithmetic.
    expect(checkpointed.vectors).toEqual(whole.vectors);
    expect(checkpointed.report.costs).toEqual(whole.report.costs);
    expect(checkpointed.report.checkpoints?.written).toBe(6);
    expect(checkpointed.report.checkpoints?.seconds).toBeGreaterThan(0);
    const state = await readGloveState(at3);
    expect(state.schedule).toMatchObject({ epochs: 6, iterationsDone: 3, pairs: whole.report.pairs, corpusTokens: whole.report.corpusTokens });
    expect(state.schedule.costs).toEqual(whole.report.costs.slice(0, 3));
    expect(state.words.length).toBe(whole.size + 1);
    const resumed = await trainGlove({ ...options, resume: at3 });
    expect(resumed.report.resumedFrom).toEqual({ path: at3, iterationsDone: 3 });
    expect(resumed.report.costs).toEqual(whole.report.costs);
    expect(resumed.vectors).toEqual(whole.vectors);
    // The last checkpoint is the finished run's state, and a finished run cannot be resumed.
    const last = await readGloveState(path);
    expect(last.schedule.iterationsDone).toBe(6);
    await expect(trainGlove({ ...options, resume: path })).rejects.toThrow(/finished all 6 iterations; to train more, use it as initialModel/);
  });

  it('continuing a saved run with its AdaGrad sums equals one longer run; restarting AdaGrad takes a costlier path', async () => {
    const twenty = await trainGlove({ ...small, epochs: 20 });
    const saved = join(tmp.path, 'ten.w2v');
    const ten = await trainGlove({ ...small, epochs: 10, saveState: saved });
    expect(ten.report.costs).toEqual(twenty.report.costs.slice(0, 10));
    const more = await trainGlove({ input: corpus, threads: 1, epochs: 10, initialModel: saved });
    // The words below minCount are not in the saved vocabulary: dropped, as counting dropped them before.
    expect(more.report.continued?.iterationsBefore).toBe(10);
    expect(more.report.continued?.droppedTokens).toBeGreaterThan(0);
    expect(more.report.costs).toEqual(twenty.report.costs);
    expect(more.vectors).toEqual(twenty.vectors);
    // The same state with AdaGrad's sums zeroed: the vectors alone, as loading a vectors file would give.
    const state = await readGloveState(saved);
    const cols = gloveRowFloats(state.dim);
    for (const rows of [state.wordRows, state.contextRows]) {
      for (let r = 0; r < rows.rows; r++) rows.data!.fill(0, r * cols + state.dim + 1, (r + 1) * cols);
    }
    const restarted = await trainGlove({ input: corpus, threads: 1, epochs: 10, initialModel: state });
    const after = (costs: number[]) => costs.slice(10);
    // Larger steps at the restart: every continued iteration costs more than with the sums kept.
    after(restarted.report.costs).forEach((c, i) => expect(c).toBeGreaterThan(after(twenty.report.costs)[i]));
    expect(restarted.vectors).not.toEqual(twenty.vectors);
  }, 120_000);

  it('continues on a new text over the saved vocabulary, dropping its other words', async () => {
    const saved = join(tmp.path, 'for-new.w2v');
    await trainGlove({ ...small, epochs: 2, saveState: saved });
    const other = join(tmp.path, 'other.txt');
    writeFileSync(other, sampleText(40_000).split(' ').slice(30_000).join(' ') + ' zzunknownword zzunknownword zzunknownword');
    const more = await trainGlove({ input: other, threads: 1, epochs: 2, initialModel: saved, saveState: join(tmp.path, 'after-new.w2v') });
    const state = await readGloveState(saved);
    expect(more.size).toBe(state.words.length - 1);
    expect(more.has('zzunknownword')).toBe(false);
    expect(more.report.continued?.droppedTokens).toBeGreaterThanOrEqual(3);
    const after = await readGloveState(join(tmp.path, 'after-new.w2v'));
    expect(after.words).toEqual(state.words);
    expect(after.schedule).toMatchObject({ iterationsDone: 4, givenVocabulary: true });
    await expect(trainGlove({ input: corpus, threads: 1, epochs: 1, dim: 16, initialModel: saved })).rejects.toThrow(/for-new\.w2v: option dim is 16 but the saved model has 12/);
  });

  it('a continued run (initialModel) checkpoints and resumes exactly too', async () => {
    const saved = join(tmp.path, 'base-for-resume.w2v');
    await trainGlove({ ...small, epochs: 3, saveState: saved });
    const continued = { input: corpus, threads: 1, epochs: 4, initialModel: saved } as const;
    const whole = await trainGlove(continued);
    const path = join(tmp.path, 'continued.w2v');
    const at5 = join(tmp.path, 'continued-5.w2v');
    await trainGlove({ ...continued, checkpoint: { path, everySeconds: 0.001 }, onEpochEnd: (e) => { if (e.epoch === 5) copyFileSync(path, at5); } });
    expect((await readGloveState(at5)).schedule).toMatchObject({ epochs: 7, iterationsDone: 5, givenVocabulary: true });
    const resumed = await trainGlove({ input: corpus, threads: 1, epochs: 4, resume: at5 });
    expect(resumed.report.costs).toEqual(whole.report.costs);
    expect(resumed.vectors).toEqual(whole.vectors);
  });

  it('stops early when onEpochEnd returns false, with the vectors so far', async () => {
    const model = await trainGlove({ ...small, epochs: 8, threads: 2, onEpochEnd: (e) => e.epoch < 2 });
    expect(model.report.stoppedEarly).toBe(true);
    expect(model.report.epochsCompleted).toBe(2);
    expect(model.report.costs).toHaveLength(2);
    const boom = new Error('boom');
    await expect(trainGlove({ ...small, epochs: 8, threads: 2, onEpochEnd: () => { throw boom; } })).rejects.toBe(boom);
  });

  it('refuses other options, another corpus and the other trainer\'s state with one-line errors naming the file', async () => {
    const options = { ...small, epochs: 3 };
    const path = join(tmp.path, 'refuse.w2v');
    const at1 = join(tmp.path, 'refuse-1.w2v');
    await trainGlove({ ...options, checkpoint: { path, everySeconds: 0.001 }, onEpochEnd: (e) => { if (e.epoch === 1) copyFileSync(path, at1); } });
    await expect(trainGlove({ ...options, dim: 16, resume: at1 })).rejects.toThrow(/cannot resume from .*refuse-1\.w2v: option dim is 16 but the checkpoint was trained with 12/);
    await expect(trainGlove({ ...options, learningRate: 0.1, resume: at1 })).rejects.toThrow(/option learningRate is 0\.1/);
    const other = join(tmp.path, 'other-corpus.txt');
    writeFileSync(other, sampleText(31_000));
    await expect(trainGlove({ ...options, input: other, resume: at1 })).rejects.toThrow(/refuse-1\.w2v: (word \d+ is|the corpus has)/);
    const w2v = join(tmp.path, 'word2vec.w2v');
    await train({ input: corpus, dim: 8, epochs: 1, minCount: 3, threads: 1, saveState: w2v });
    const e1 = await trainGlove({ ...options, resume: w2v }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(Wasm2VecError);
    expect((e1 as Error).message).toMatch(/word2vec\.w2v: this is a word2vec training state/);
    expect((e1 as Error).message.split('\n')).toHaveLength(1);
    await expect(trainGlove({ ...options, initialModel: w2v })).rejects.toThrow(/word2vec\.w2v: this is a word2vec training state/);
    await expect(train({ input: corpus, dim: 12, epochs: 1, minCount: 3, threads: 1, initialModel: at1 })).rejects.toThrow(/refuse-1\.w2v: this is a GloVe training state/);
    await expect(readTrainingState(at1)).rejects.toThrow(/GloVe training state/);
    const bytes = readFileSync(at1);
    writeFileSync(at1, bytes.subarray(0, bytes.length >> 1));
    await expect(trainGlove({ ...options, resume: at1 })).rejects.toThrow(/refuse-1\.w2v: byte \d+: .*truncated/);
    await expect(trainGlove({ ...options, resume: path, initialModel: path })).rejects.toThrow(/exclude each other/);
    await expect(trainGlove({ ...options, checkpoint: { path, every: 3 } as never })).rejects.toThrow(/did you mean "everySeconds"/);
  });

  it('resumes a run trained from a co-occurrence file (read again, not recounted) exactly too', async () => {
    const counts = join(tmp.path, 'pairs.bin');
    await trainGlove({ ...small, epochs: 1, saveCooccur: counts });
    const options = { cooccur: counts, dim: 12, xMax: 10, threads: 1, seed: 7, memory: 0.25, epochs: 4 } as const;
    const whole = await trainGlove(options);
    const path = join(tmp.path, 'from-file.w2v');
    const at2 = join(tmp.path, 'from-file-2.w2v');
    await trainGlove({ ...options, checkpoint: { path, everySeconds: 0.001 }, onEpochEnd: (e) => { if (e.epoch === 2) copyFileSync(path, at2); } });
    const resumed = await trainGlove({ ...options, resume: at2 });
    expect(resumed.vectors).toEqual(whole.vectors);
    // Continued from the file as well: 4 + 2 iterations = one 6-iteration run.
    const six = await trainGlove({ ...options, epochs: 6 });
    const saved = join(tmp.path, 'from-file-4.w2v');
    await trainGlove({ ...options, saveState: saved });
    const more = await trainGlove({ cooccur: counts, threads: 1, epochs: 2, initialModel: saved });
    expect(more.vectors).toEqual(six.vectors);
  });

  it('with two threads, a resumed run ends within a small tolerance of the uninterrupted one', async () => {
    const options = { ...small, threads: 2, epochs: 12 };
    const path = join(tmp.path, 'two.w2v');
    const at4 = join(tmp.path, 'two-4.w2v');
    const whole = await trainGlove({ ...options, checkpoint: { path, everySeconds: 0.001 }, onEpochEnd: (e) => { if (e.epoch === 4) copyFileSync(path, at4); } });
    const resumed = await trainGlove({ ...options, resume: at4 });
    expect(resumed.report.costs.slice(0, 4)).toEqual(whole.report.costs.slice(0, 4));
    // Hogwild updates race, so not bit for bit: the final costs agree to 2.5% (six uninterrupted
    // 2-thread runs of this recipe spread over 0.94%; resumed with vectors drawn afresh: 1.144×, with
    // AdaGrad's sums zeroed: 1.011×, inside the tolerance: the kill -9 test separates those at one thread).
    expect(Math.abs(resumed.report.costs[11] / whole.report.costs[11] - 1)).toBeLessThan(0.025);
  });

  it('an abort while the workers wait at an iteration end rejects with AbortError, no hang; --dry-run names the state file size', async () => {
    const controller = new AbortController();
    const run = trainGlove({
      ...small, epochs: 50, threads: 2, signal: controller.signal,
      onEpochEnd: async () => {
        controller.abort();
        await new Promise((r) => setTimeout(r, 200));
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    const plan = await trainGlove({ ...small, epochs: 3, planOnly: true, checkpoint: { path: join(tmp.path, 'plan.w2v') } });
    expect(plan.regions.some((r) => r.name.startsWith('rendezvous'))).toBe(true);
    expect(plan.notes.join(' ')).toMatch(/checkpoints and --save-state are written from the word and context rows in place/);
  });

  it('round-trips through writeGloveState (a state written from a read one is the same file)', async () => {
    const path = join(tmp.path, 'rt.w2v');
    await trainGlove({ ...small, epochs: 2, saveState: path });
    const state = await readGloveState(path);
    const again = join(tmp.path, 'rt2.w2v');
    await writeGloveState(again, state, { fsync: false });
    expect(readFileSync(again).equals(readFileSync(path))).toBe(true);
  });
});

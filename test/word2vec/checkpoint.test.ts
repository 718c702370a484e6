// Checkpoints and resume: a checkpoint taken at an epoch end or mid-epoch (the workers parked at a
// chunk boundary), a process killed with SIGKILL after it, and a resumed run that trains exactly as
// the uninterrupted one at one thread; mismatched options or corpus and damaged checkpoints are
// one-line errors.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { train } from '../../src/word2vec/train.js';
import { Wasm2VecError } from '../../src/errors.js';
import { readTrainingState } from '../../src/formats/wasm2vec-state.js';
import { cli, sampleText, tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const corpus = join(tmp.path, 'corpus.txt');
writeFileSync(corpus, sampleText(30_000));
const CLI = new URL('../../dist/src/cli/main.js', import.meta.url).pathname;

describe('checkpoint and resume', () => {
  it('a run resumed from an epoch-end checkpoint ends exactly as the uninterrupted run (one thread), for SG, CBOW+HS and subwords', async () => {
    const variants = [
      { model: 'skipgram' },
      { model: 'cbow', hs: true },
      { model: 'fasttext-skipgram', subwords: { minn: 3, maxn: 4, buckets: 1000 } },
    ] as const;
    for (const variant of variants) {
      const options = { ...variant, input: corpus, dim: 12, epochs: 3, minCount: 2, threads: 1, seed: 9 };
      const whole = await train(options);
      const path = join(tmp.path, `epoch-${variant.model}.w2v`);
      const first = await train({ ...options, checkpoint: { path }, onEpochEnd: (e) => e.epoch < 1 });
      expect(first.report.epochsCompleted).toBe(1);
      expect(first.report.checkpoints?.written).toBe(1);
      const state = await readTrainingState(path);
      expect(state.schedule.workers[0]).toMatchObject({ epoch: 1, position: 0 });
      const resumed = await train({ ...options, resume: path });
      expect(resumed.report.resumedFrom?.wordsDone).toBe(state.schedule.wordsDone);
      expect(resumed.vectors).toEqual(whole.vectors);
    }
  });

  it('a mid-epoch checkpoint (workers parked at a chunk boundary) of an aborted run resumes exactly too', async () => {
    process.env.WASM2VEC_CHUNK_IDS = '2048';
    try {
      const options = { input: corpus, dim: 12, epochs: 60, minCount: 2, threads: 1, seed: 4 } as const;
      const whole = await train(options);
      const path = join(tmp.path, 'mid.w2v');
      let midEpoch: Awaited<ReturnType<typeof readTrainingState>> | undefined;
      for (let attempt = 0; attempt < 8 && !midEpoch; attempt++) {
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 300 + 37 * attempt);
        await expect(train({ ...options, checkpoint: { path, everySeconds: 0.01 }, signal: controller.signal })).rejects.toThrow();
        if (!existsSync(path)) continue;
        const state = await readTrainingState(path);
        if (state.schedule.workers[0].position > 0) midEpoch = state;
      }
      expect(midEpoch).toBeDefined();
      const resumed = await train({ ...options, resume: path });
      expect(resumed.vectors).toEqual(whole.vectors);
    } finally {
      delete process.env.WASM2VEC_CHUNK_IDS;
    }
  });

  it('resumes a CLI run killed with SIGKILL after a checkpoint; the result equals the uninterrupted run', async () => {
    const path = join(tmp.path, 'killed.w2v');
    const out = join(tmp.path, 'killed.txt');
    const args = ['--input', corpus, '--dim', '12', '--epochs', '150', '--min-count', '2', '--threads', '1', '--seed', '3'];
    const child = spawn(process.execPath, [CLI, 'train', ...args, '--output', out, '--checkpoint', path, '--checkpoint-every', '0.2s', '--quiet'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 60_000;
    while (!existsSync(path) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(out)).toBe(false);
    // No temporary file of an interrupted checkpoint write is mistaken for a checkpoint.
    const state = await readTrainingState(path);
    expect(state.schedule.wordsDone).toBeGreaterThan(0);
    expect(state.schedule.wordsDone).toBeLessThan(state.schedule.wordsTotal);
    const options = { input: corpus, dim: 12, epochs: 150, minCount: 2, threads: 1, seed: 3 } as const;
    const resumed = await train({ ...options, resume: path });
    const whole = await train(options);
    expect(resumed.vectors).toEqual(whole.vectors);
    // The CLI resumes too, and writes the vectors.
    const r = await cli(['train', ...args, '--output', out, '--resume', path, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(`${whole.size} 12`);
  }, 120_000);

  it('refuses other options, another corpus and damaged checkpoints with one-line errors', async () => {
    const options = { input: corpus, dim: 12, epochs: 2, minCount: 2, threads: 1, seed: 9 } as const;
    const path = join(tmp.path, 'refuse.w2v');
    await train({ ...options, saveState: path });
    await expect(train({ ...options, dim: 16, resume: path })).rejects.toThrow(/cannot resume from .*refuse\.w2v: option dim is 16 but the checkpoint was trained with 12/);
    await expect(train({ ...options, threads: 2, resume: path })).rejects.toThrow(/option threads is 2 .* 1/);
    const other = join(tmp.path, 'other.txt');
    writeFileSync(other, sampleText(31_000));
    await expect(train({ ...options, input: other, resume: path })).rejects.toThrow(/the corpus is not the one it was trained on/);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
    const error = await train({ ...options, resume: path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Wasm2VecError);
    expect((error as Error).message).toMatch(/refuse\.w2v: byte \d+: .*truncated/);
    const r = await cli(['train', '--input', corpus, '--output', join(tmp.path, 'x.txt'), '--dim', '12', '--epochs', '2', '--min-count', '2', '--threads', '1', '--seed', '9', '--resume', path]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/byte \d+/);
    const bad = await cli(['train', '--input', corpus, '--output', join(tmp.path, 'x.txt'), '--checkpoint', path, '--checkpoint-every', '10 minutes']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--checkpoint-every must be a duration/);
  });
});

// `wasm2vec glove --checkpoint` killed with SIGKILL, then `--resume`: the resumed run finishes, ends
// exactly as the uninterrupted run at one thread, and passes a final-cost threshold that the two
// broken resumes (AdaGrad's sums zeroed, vectors drawn afresh) are shown to fail from the same
// checkpoint; --save-state and --init through the CLI; the other trainer's state is a one-line error.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainGlove } from '../../src/glove/train.js';
import { gloveRowFloats, readGloveState, writeGloveState, type GloveTrainingState } from '../../src/formats/wasm2vec-state.js';
import { cli, sampleText, tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const corpus = join(tmp.path, 'corpus.txt');
writeFileSync(corpus, sampleText(30_000));
const CLI = new URL('../../dist/src/cli/main.js', import.meta.url).pathname;
const EPOCHS = 60;
const args = ['--input', corpus, '--dim', '12', '--window', '5', '--min-count', '3', '--x-max', '10', '--epochs', String(EPOCHS), '--threads', '1', '--seed', '5', '--memory', '0.25'];
const options = { input: corpus, dim: 12, window: 5, minCount: 3, xMax: 10, epochs: EPOCHS, threads: 1, seed: 5, memory: 0.25 } as const;
/**
 * A resumed run's final cost may exceed the uninterrupted run's by this factor at most. Measured from
 * a checkpoint after iteration 5 of 60: AdaGrad's sums zeroed end at 1.0010×, fresh vectors at 1.012×
 * (a correct resume at one thread: exactly 1×).
 */
const FINAL_COST_TOLERANCE = 1.0002;

/** The state with every row's AdaGrad sums (or, with `vectors`, its vectors and biases) replaced. */
function damaged(state: GloveTrainingState, part: 'sums' | 'vectors'): GloveTrainingState {
  const cols = gloveRowFloats(state.dim);
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) / state.dim;
  for (const rows of [state.wordRows, state.contextRows]) {
    const data = rows.data!;
    for (let r = 0; r < rows.rows; r++) {
      if (part === 'sums') data.fill(0, r * cols + state.dim + 1, (r + 1) * cols);
      else for (let c = 0; c <= state.dim; c++) data[r * cols + c] = random();
    }
  }
  return state;
}

describe('GloVe kill -9 and resume (CLI)', () => {
  it('resumes a run killed with SIGKILL after a checkpoint; broken resumes fail the same threshold', async () => {
    const path = join(tmp.path, 'killed.w2v');
    const out = join(tmp.path, 'killed.txt');
    const child = spawn(process.execPath, [CLI, 'glove', ...args, '--output', out, '--checkpoint', path, '--checkpoint-every', '0.05s', '--quiet'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Killed once a checkpoint of at least 5 iterations is there (a state renamed into place: safe to read).
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (existsSync(path) && (await readGloveState(path)).schedule.iterationsDone >= 5) break;
      if (Date.now() > deadline) throw new Error('no checkpoint of 5 iterations within 60 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(out)).toBe(false);
    const state = await readGloveState(path);
    expect(state.schedule.iterationsDone).toBeLessThan(EPOCHS);

    const whole = await trainGlove(options);
    const r = await cli(['glove', ...args, '--output', out, '--resume', path, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const resumed = await trainGlove({ ...options, resume: path });
    expect(resumed.vectors).toEqual(whole.vectors);
    const final = (costs: number[]) => costs[costs.length - 1];
    const threshold = final(whole.report.costs) * FINAL_COST_TOLERANCE;
    expect(final(resumed.report.costs)).toBeLessThanOrEqual(threshold);
    // The CLI's output holds the same vectors (glove-text, 6 decimals as glove.c).
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(whole.size);
    expect(lines[0].split(' ')[0]).toBe(whole.words[0]);

    // The threshold separates: the same checkpoint with AdaGrad's sums zeroed, or with fresh vectors, does not pass.
    for (const part of ['sums', 'vectors'] as const) {
      const broken = join(tmp.path, `broken-${part}.w2v`);
      await writeGloveState(broken, damaged(await readGloveState(path), part), { fsync: false });
      const run = await trainGlove({ ...options, resume: broken });
      expect(final(run.report.costs), `resume with ${part} damaged`).toBeGreaterThan(threshold);
    }
  }, 180_000);

  it('--save-state then --init trains more iterations; a word2vec state is refused in one line', async () => {
    const saved = join(tmp.path, 'cli.w2v');
    const out = join(tmp.path, 'cli.txt');
    const short = ['--input', corpus, '--dim', '8', '--min-count', '3', '--epochs', '2', '--threads', '1', '--quiet'];
    expect((await cli(['glove', ...short, '--output', out, '--save-state', saved])).code).toBe(0);
    const more = await cli(['glove', '--input', corpus, '--epochs', '3', '--threads', '1', '--output', out, '--init', saved]);
    expect(more.code).toBe(0);
    expect(more.stderr).toMatch(/5 iterations|final cost/);
    expect(readFileSync(out, 'utf8').split('\n')[0].split(' ')).toHaveLength(9);
    const w2v = join(tmp.path, 'w2v.w2v');
    expect((await cli(['train', '--input', corpus, '--dim', '8', '--epochs', '1', '--min-count', '3', '--threads', '1', '--output', join(tmp.path, 'w.txt'), '--save-state', w2v, '--quiet'])).code).toBe(0);
    const refused = await cli(['glove', ...short, '--output', out, '--resume', w2v]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/w2v\.w2v: this is a word2vec training state/);
    const every = await cli(['glove', ...short, '--output', out, '--checkpoint-every', '1m']);
    expect(every.code).not.toBe(0);
    expect(every.stderr).toMatch(/--checkpoint-every needs --checkpoint/);
  }, 120_000);
});

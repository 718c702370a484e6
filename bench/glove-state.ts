// Issue #18 for GloVe (GloVe #170): what a checkpoint costs, and whether a killed-and-resumed run
// trains as well as an uninterrupted one.
//
//   1. Checkpoint pause (a timing: run it on a quiet machine): the same GloVe run in process, without
//      checkpoints and with one at every iteration end (--checkpoint-every tiny): report.checkpoints
//      gives the seconds the workers were parked per checkpoint (the state written atomically, with
//      fsync), set against the training seconds per iteration and the state file's size.
//   2. Resume quality (not a timing): `wasm2vec glove` through the CLI, uninterrupted, then a run with
//      --checkpoint killed with SIGKILL after its first checkpoint and finished with --resume; both
//      vectors scored with wasm2vec's evaluator (bench/e2e/quality.ts). At --threads 1 the two must be
//      byte-identical; with more threads (Hogwild) within 0.01 WordSim-353 and 0.5 analogy points.
//
// node dist/bench/glove-state.js --input /work/shared/data/text8_head --threads 2 --epochs 15
import { runCli } from './lib/run-cli.js';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { trainGlove } from '../src/glove/train.js';
import { readGloveState } from '../src/formats/wasm2vec-state.js';
import { evaluateModel, findEvalFiles } from './e2e/quality.js';

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: '/work/shared/data/text8_head' },
    eval: { type: 'string', default: '/work/shared/data/eval' },
    epochs: { type: 'string', default: '15' },
    threads: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    dim: { type: 'string', default: '100' },
    window: { type: 'string', default: '10' },
    'min-count': { type: 'string', default: '5' },
    memory: { type: 'string', default: '1' },
    skip: { type: 'string', default: '' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`usage: node dist/bench/glove-state.js [--input FILE] [--eval DIR] [--epochs N] [--threads N] [--seed N]
       [--dim N] [--window N] [--min-count N] [--memory GIB] [--skip pause|resume] [--keep]`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'wasm2vec-glove-state-'));
const recipe = {
  input: values.input!, epochs: Number(values.epochs), threads: Number(values.threads), seed: Number(values.seed), dim: Number(values.dim),
  window: Number(values.window), minCount: Number(values['min-count']), memory: Number(values.memory),
};
const cliArgs = [
  'glove', '--input', recipe.input, '--epochs', String(recipe.epochs), '--threads', String(recipe.threads), '--seed', String(recipe.seed),
  '--dim', String(recipe.dim), '--window', String(recipe.window), '--min-count', String(recipe.minCount), '--memory', String(recipe.memory), '--quiet',
];
const skip = new Set(values.skip!.split(',').filter(Boolean));

const result: Record<string, unknown> = { recipe };
try {
  if (!skip.has('pause')) {
    // Alternating, so a drift of the machine hits both: plain run, checkpointed run, twice.
    const rounds: { plainTrain: number; checkpointedTrain: number; written: number; checkpointSeconds: number }[] = [];
    const path = join(dir, 'pause.w2v');
    for (let round = 0; round < 2; round++) {
      const plain = await trainGlove(recipe);
      const checkpointed = await trainGlove({ ...recipe, checkpoint: { path, everySeconds: 1e-3 } });
      rounds.push({
        plainTrain: plain.report.seconds.train, checkpointedTrain: checkpointed.report.seconds.train,
        written: checkpointed.report.checkpoints!.written, checkpointSeconds: checkpointed.report.checkpoints!.seconds,
      });
    }
    const best = (f: (r: (typeof rounds)[number]) => number) => Math.min(...rounds.map(f));
    const perIteration = best((r) => r.plainTrain) / recipe.epochs;
    const pause = best((r) => r.checkpointSeconds / r.written);
    result.checkpointPause = {
      stateBytes: statSync(path).size,
      secondsPerCheckpoint: +pause.toFixed(4),
      trainSecondsPerIteration: +perIteration.toFixed(4),
      pauseOverIteration: +(pause / perIteration).toFixed(3),
      // The parked time beyond the writes: what meeting at every iteration end costs by itself.
      trainSecondsPlain: +best((r) => r.plainTrain).toFixed(3),
      trainSecondsCheckpointedMinusWrites: +best((r) => r.checkpointedTrain - r.checkpointSeconds).toFixed(3),
      rounds,
    };
  }
  if (!skip.has('resume')) {
    const whole = join(dir, 'whole.txt');
    const resumed = join(dir, 'resumed.txt');
    const checkpoint = join(dir, 'run.w2v');
    const a = await runCli([...cliArgs, '--output', whole]);
    if (a.code !== 0) throw new Error(`uninterrupted run failed (${a.code})`);
    // A checkpoint at every iteration end: the first file is iteration 1's (or a later one's, if polling lags).
    const b = await runCli([...cliArgs, '--output', resumed, '--checkpoint', checkpoint, '--checkpoint-every', '0.001s'], async (kill) => {
      while (!existsSync(checkpoint)) await new Promise((r) => setTimeout(r, 5));
      kill();
    });
    if (b.signal !== 'SIGKILL') throw new Error(`the checkpointed run was not killed (exit ${b.code}); is the corpus too small?`);
    const state = await readGloveState(checkpoint);
    const c = await runCli([...cliArgs, '--output', resumed, '--resume', checkpoint]);
    if (c.code !== 0) throw new Error(`resumed run failed (${c.code})`);
    const files = findEvalFiles(values.eval!);
    const [qa, qb] = [await evaluateModel(whole, files), await evaluateModel(resumed, files)];
    const analogyPoints = qa.analogy && qb.analogy ? +((qb.analogy.total - qa.analogy.total) * 100).toFixed(2) : null;
    const wordsimDelta = qa.wordsim && qb.wordsim ? +(qb.wordsim.spearman - qa.wordsim.spearman).toFixed(4) : null;
    const identical = readFileSync(whole).equals(readFileSync(resumed));
    result.resume = {
      killedAfterIterations: state.schedule.iterationsDone,
      uninterrupted: { analogy: qa.analogy?.total, wordsim: qa.wordsim?.spearman },
      resumed: { analogy: qb.analogy?.total, wordsim: qb.wordsim?.spearman },
      analogyPoints, wordsimDelta, identical,
      pass: recipe.threads === 1 ? identical : analogyPoints !== null && wordsimDelta !== null && Math.abs(analogyPoints) <= 0.5 && Math.abs(wordsimDelta) <= 0.01,
    };
  }
  console.log(JSON.stringify(result, null, 2));
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}

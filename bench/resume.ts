// Issue #18's resume check: a word2vec run killed with SIGKILL right after its first epoch-end
// checkpoint and resumed (--resume) must end within 0.3 analogy points and 0.01 WordSim-353 of the
// uninterrupted run with the same seed. Both runs use the CLI (dist/src/cli/main.js) in child
// processes; quality is scored with wasm2vec's evaluator (bench/e2e/quality.ts: gensim's semantics,
// analogies restricted to the 30 000 most frequent words). A quality figure, not a timing.
// node dist/bench/resume.js --input /work/shared/data/enwiki-100M.txt --epochs 3 --threads 2
import { runCli } from './lib/run-cli.js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readTrainingState } from '../src/formats/wasm2vec-state.js';
import { evaluateModel, findEvalFiles } from './e2e/quality.js';

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: '/work/shared/data/enwiki-100M.txt' },
    eval: { type: 'string', default: '/work/shared/data/eval' },
    epochs: { type: 'string', default: '3' },
    threads: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    model: { type: 'string', default: 'skipgram' },
    dim: { type: 'string', default: '100' },
    'min-count': { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
  },
});

const dir = mkdtempSync(join(tmpdir(), 'wasm2vec-resume-'));
const common = [
  'train', '--input', values.input!, '--epochs', values.epochs!, '--threads', values.threads!, '--seed', values.seed!,
  '--model', values.model!, '--dim', values.dim!, '--min-count', values['min-count']!, '--quiet',
];

try {
  const whole = join(dir, 'whole.txt');
  const resumed = join(dir, 'resumed.txt');
  const checkpoint = join(dir, 'run.w2v');
  const started = performance.now();
  const a = await runCli([...common, '--output', whole]);
  if (a.code !== 0) throw new Error(`uninterrupted run failed (${a.code})`);
  const wholeSeconds = (performance.now() - started) / 1000;

  // Only epoch-end checkpoints (the timer is far away): the first file written is epoch 1's end.
  let killedAfter: { wordsDone: number; wordsTotal: number; epochs: number[] } | undefined;
  const b = await runCli([...common, '--output', resumed, '--checkpoint', checkpoint, '--checkpoint-every', '1000h'], async (kill) => {
    while (!existsSync(checkpoint)) await new Promise((r) => setTimeout(r, 20));
    kill();
  });
  if (b.signal !== 'SIGKILL') throw new Error(`the checkpointed run was not killed (exit ${b.code}); is the corpus too small?`);
  const state = await readTrainingState(checkpoint);
  killedAfter = { wordsDone: state.schedule.wordsDone, wordsTotal: state.schedule.wordsTotal, epochs: state.schedule.workers.map((w) => w.epoch) };
  const c = await runCli([...common, '--output', resumed, '--resume', checkpoint]);
  if (c.code !== 0) throw new Error(`resumed run failed (${c.code})`);

  const files = findEvalFiles(values.eval!);
  const [qa, qb] = [await evaluateModel(whole, files), await evaluateModel(resumed, files)];
  const analogyPoints = qa.analogy && qb.analogy ? +((qb.analogy.total - qa.analogy.total) * 100).toFixed(2) : null;
  const wordsimDelta = qa.wordsim && qb.wordsim ? +(qb.wordsim.spearman - qa.wordsim.spearman).toFixed(4) : null;
  console.log(JSON.stringify({
    input: values.input, epochs: Number(values.epochs), threads: Number(values.threads), seed: Number(values.seed), model: values.model,
    killedAfter,
    uninterrupted: { analogy: qa.analogy?.total, wordsim: qa.wordsim?.spearman, seconds: +wholeSeconds.toFixed(1) },
    resumed: { analogy: qb.analogy?.total, wordsim: qb.wordsim?.spearman },
    analogyPoints, wordsimDelta,
    pass: analogyPoints !== null && wordsimDelta !== null && Math.abs(analogyPoints) <= 0.3 && Math.abs(wordsimDelta) <= 0.01,
  }));
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}

// What the word2vec loss tally (issue #18: option `loss`, assembly/losses.ts) costs in training
// speed: the same 1-epoch run with the tally on and off (the kernel checks the C_LOSS flag once per
// chunk; off, each term costs one not-taken branch), in ABBA order per round (on, off, off, on, then
// off, on, on, off) so that drift on the machine favours neither, for skip-gram and CBOW as
// bench/e2e runs them (dim 100, window 5, negative 5, sample 1e-3, all cores). Prints the median
// training words/s of each side and `costPercent` = 1 − on/off; the loss stays on by default only
// if it is ≤ 2 % (WORD2VEC_DEFAULTS.loss in src/word2vec/options.ts).
// Run on a quiet machine:
//   node dist/bench/loss-cost.js --input /work/shared/data/enwiki-100M.txt --rounds 3
// A first run per model is discarded (compilation). Writes bench/results/<time>-loss-cost.json unless --no-save.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { train } from '../src/word2vec/train.js';
import { machineInfo } from './lib/machine.js';
import { defaultResultsDir } from './lib/paths.js';
import { commandLine, timestampStem } from './lib/results.js';
import { median } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: '/work/shared/data/enwiki-100M.txt' },
    rounds: { type: 'string', default: '3' },
    epochs: { type: 'string', default: '1' },
    modes: { type: 'string', default: 'sg,cbow' },
    threads: { type: 'string' },
    dim: { type: 'string', default: '100' },
    'min-count': { type: 'string', default: '5' },
    out: { type: 'string', default: defaultResultsDir },
    'no-save': { type: 'boolean', default: false },
  },
});

const started = new Date();
const machine = machineInfo();
const modes = values.modes!.split(',').map((m) => ({ sg: 'skipgram', cbow: 'cbow' })[m.trim()] as 'skipgram' | 'cbow');
if (modes.some((m) => m === undefined)) throw new Error(`--modes takes sg and/or cbow, got ${values.modes}`);

interface Run { loss: boolean; wordsPerSecond: number; trainSeconds: number; finalLoss: number | null }

async function once(model: 'skipgram' | 'cbow', loss: boolean): Promise<Run> {
  const m = await train({
    input: values.input!,
    model,
    loss,
    epochs: Number(values.epochs),
    dim: Number(values.dim),
    minCount: Number(values['min-count']),
    ...(values.threads ? { threads: Number(values.threads) } : {}),
  });
  const r = m.report;
  const run = { loss, wordsPerSecond: r.wordsPerSecond, trainSeconds: r.seconds.train, finalLoss: r.losses?.at(-1) ?? null };
  console.error(`${model} loss ${loss ? 'on ' : 'off'}: ${Math.round(run.wordsPerSecond)} words/s, train ${run.trainSeconds.toFixed(2)} s${run.finalLoss !== null ? `, loss ${run.finalLoss.toFixed(4)}` : ''}`);
  return run;
}

const results: Record<string, { runs: Run[]; wordsPerSecond: { on: number; off: number }; costPercent: number }> = {};
for (const model of modes) {
  // One discarded run first: the first run in a process pays for compiling the kernels.
  console.error('warm-up (discarded):');
  await once(model, true);
  const runs: Run[] = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    const order = round % 2 === 0 ? [true, false, false, true] : [false, true, true, false];
    for (const loss of order) runs.push(await once(model, loss));
  }
  const on = median(runs.filter((r) => r.loss).map((r) => r.wordsPerSecond));
  const off = median(runs.filter((r) => !r.loss).map((r) => r.wordsPerSecond));
  results[model] = { runs, wordsPerSecond: { on: Math.round(on), off: Math.round(off) }, costPercent: +((1 - on / off) * 100).toFixed(2) };
}

const summary = {
  kind: 'loss-cost',
  started: started.toISOString(),
  command: commandLine('node dist/bench/loss-cost.js'),
  machine,
  settings: { input: values.input, rounds: Number(values.rounds), epochs: Number(values.epochs), dim: Number(values.dim), threads: values.threads ?? 'all cores' },
  results,
};
for (const [model, r] of Object.entries(results)) {
  console.log(`${model}: loss on ${r.wordsPerSecond.on} words/s, off ${r.wordsPerSecond.off} words/s, cost ${r.costPercent} % (median of ${r.runs.length / 2} each, ABBA)`);
}
if (!values['no-save']) {
  mkdirSync(values.out!, { recursive: true });
  const path = join(values.out!, `${timestampStem(started, 'loss-cost')}.json`);
  writeFileSync(path, JSON.stringify(summary, null, 2) + '\n');
  console.log(`wrote ${path}`);
}

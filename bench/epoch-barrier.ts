// What the epoch barrier costs (onEpochEnd, src/runtime/rendezvous.ts): the same word2vec run without
// a callback and with a no-op one, in ABBA order (A B B A, repeated) so drift on the machine favours
// neither; prints the median training seconds of each, the cost in percent, and the median seconds
// the workers were parked (report.pausedSeconds: the vectors copy handed to the callback). The cost
// is the wait for the slowest worker at each epoch end plus that copy.
// Run on a quiet machine: node dist/bench/epoch-barrier.js --input /work/shared/data/text8_head --epochs 5 --threads 2
import { parseArgs } from 'node:util';
import { train } from '../src/word2vec/train.js';

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: '/work/shared/data/text8_head' },
    rounds: { type: 'string', default: '3' },
    epochs: { type: 'string', default: '5' },
    threads: { type: 'string' },
    model: { type: 'string', default: 'skipgram' },
    dim: { type: 'string', default: '100' },
  },
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function once(withCallback: boolean): Promise<{ train: number; paused: number; epochs: number }> {
  let calls = 0;
  const model = await train({
    input: values.input!,
    model: values.model as 'skipgram' | 'cbow',
    dim: Number(values.dim),
    epochs: Number(values.epochs),
    ...(values.threads ? { threads: Number(values.threads) } : {}),
    ...(withCallback ? { onEpochEnd: () => void calls++ } : {}),
  });
  if (withCallback && calls !== Number(values.epochs)) throw new Error(`onEpochEnd ran ${calls} times for ${values.epochs} epochs`);
  return { train: model.report.seconds.train, paused: model.report.pausedSeconds, epochs: calls };
}

const without: number[] = [];
const withBarrier: number[] = [];
const paused: number[] = [];
for (let round = 0; round < Number(values.rounds); round++) {
  for (const withCallback of [false, true, true, false]) {
    const r = await once(withCallback);
    (withCallback ? withBarrier : without).push(r.train);
    if (withCallback) paused.push(r.paused);
  }
}
const [a, b] = [median(without), median(withBarrier)];
console.log(JSON.stringify({
  input: values.input, epochs: Number(values.epochs), threads: values.threads ?? 'all', runsEach: without.length,
  trainSeconds: { noCallback: +a.toFixed(3), onEpochEnd: +b.toFixed(3) },
  costPercent: +((b / a - 1) * 100).toFixed(2),
  pausedSecondsMedian: +median(paused).toFixed(3),
  without, withBarrier, paused,
}));

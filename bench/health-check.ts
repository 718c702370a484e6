// What the word2vec numerical health check (src/word2vec/health.ts) costs: the same training run
// with the check on and off (WASM2VEC_HEALTH_CHECK=off, read by each worker when it starts),
// alternating, `--repeats` times each; prints the median training words/s of each and the ratio.
// Run on a quiet machine: node dist/bench/health-check.js --input /work/shared/data/text8_head
import { parseArgs } from 'node:util';
import { train } from '../src/word2vec/train.js';

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: '/work/shared/data/text8_head' },
    repeats: { type: 'string', default: '5' },
    epochs: { type: 'string', default: '1' },
    threads: { type: 'string' },
    negative: { type: 'string', default: '5' },
  },
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function once(check: boolean): Promise<number> {
  process.env.WASM2VEC_HEALTH_CHECK = check ? 'on' : 'off';
  const model = await train({
    input: values.input!,
    epochs: Number(values.epochs),
    negative: Number(values.negative),
    ...(values.threads ? { threads: Number(values.threads) } : {}),
  });
  return model.report.wordsPerSecond;
}

const on: number[] = [];
const off: number[] = [];
for (let i = 0; i < Number(values.repeats); i++) {
  // Alternate the order so drift on the machine does not favour one side.
  if (i % 2 === 0) {
    on.push(await once(true));
    off.push(await once(false));
  } else {
    off.push(await once(false));
    on.push(await once(true));
  }
}
const [a, b] = [median(on), median(off)];
console.log(JSON.stringify({ input: values.input, repeats: on.length, wordsPerSecond: { checkOn: Math.round(a), checkOff: Math.round(b) }, costPercent: +((1 - a / b) * 100).toFixed(2), on, off }));

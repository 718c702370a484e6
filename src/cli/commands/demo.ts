import { fileURLToPath } from 'node:url';
import { parseCommandLine, numberOption, threadsOption } from '../args.js';
import { train } from '../../word2vec/train.js';
import { createProgressReporter, formatCount, formatRate, plural } from '../progress.js';

// The bundled sample: the first 4 MB of text8 (Wikipedia, CC BY-SA; see the README).
const SAMPLE = fileURLToPath(new URL('../../../../data/text8-sample.txt.gz', import.meta.url));
const PROBES = ['king', 'france', 'war', 'music', 'three', 'philosophy'];

/** `npm start`: trains skip-gram on the bundled sample and prints a few nearest neighbours. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, { epochs: { type: 'string' }, threads: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    console.log('usage: wasm2vec demo [--epochs 5] [--threads N]\n\nTrains skip-gram on the bundled 680 000-word sample of text8 and shows nearest neighbours.');
    return 0;
  }
  const progress = createProgressReporter();
  console.log(`wasm2vec demo: training skip-gram on ${SAMPLE}`);
  const model = await train({
    input: SAMPLE,
    model: 'skipgram',
    dim: 100,
    window: 5,
    negative: 5,
    sample: 1e-4,
    minCount: 5,
    epochs: numberOption('epochs', values.epochs) ?? 5,
    threads: threadsOption(values.threads),
    onProgress: progress.onWord2Vec,
  });
  progress.stop();
  const r = model.report;
  console.log(
    `\n${formatCount(r.vocabSize)} words in vocabulary, ${formatCount(r.trainWords)} training words × ${plural(r.epochs, 'epoch')} on ${plural(r.threads, 'thread')}` +
      `\ntraining: ${r.seconds.train.toFixed(1)} s, ${formatRate(r.wordsPerSecond)} words/s (${formatRate(r.wordsPerSecondPerThread)} words/s per thread); whole run ${r.seconds.total.toFixed(1)} s\n`,
  );
  for (const word of PROBES) {
    if (!model.has(word)) continue;
    const neighbours = model.mostSimilar(word, { topN: 6 }).map((n) => `${n.word} ${n.score.toFixed(2)}`);
    console.log(`${word.padEnd(11)} → ${neighbours.join(', ')}`);
  }
  console.log('\nTrain on your own corpus: wasm2vec train --input corpus.txt --output vectors.txt (see README)');
  return 0;
}

// node dist/bench/glove.js CORPUS [options]: one GloVe run (vocabulary, co-occurrence counting,
// shuffle, training), each phase timed, printed as JSON. With --eval-dir, the vectors are also
// scored (Google analogy over the 30 000 most frequent words, WordSim-353 Spearman).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpus, loadavg } from 'node:os';
import { trainGlove } from '../src/glove/train.js';
import { evaluateAnalogies, evaluateWordPairs } from '../src/model/evaluate.js';
import type { EmbeddingFormat } from '../src/formats/types.js';

const USAGE = `usage: node dist/bench/glove.js CORPUS [options]

Defaults are the GloVe settings of ../shared/BASELINES.md (Stanford demo.sh with 100 dimensions):
  --dim 100 --window 15 --min-count 5 --x-max 10 --alpha 0.75 --iter 15 --threads 2
  --eta 0.05 --memory GIB (default: the library's) --seed 1
  --output FILE         also write the vectors (GloVe text, or --format)
  --eval-dir DIR        score the vectors with DIR/questions-words.txt and DIR/wordsim353.tsv
  --progress            print each iteration's cost to stderr`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dim: { type: 'string' }, window: { type: 'string' }, 'min-count': { type: 'string' }, 'x-max': { type: 'string' },
    alpha: { type: 'string' }, iter: { type: 'string' }, threads: { type: 'string' }, eta: { type: 'string' },
    memory: { type: 'string' }, seed: { type: 'string' }, output: { type: 'string' }, format: { type: 'string' },
    'eval-dir': { type: 'string' }, progress: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  },
});
if (values.help || positionals.length !== 1) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}
const num = (v: string | undefined, fallback?: number) => (v === undefined ? fallback : Number(v));
const corpus = positionals[0];
const settings = {
  dim: num(values.dim, 100)!,
  window: num(values.window, 15)!,
  minCount: num(values['min-count'], 5)!,
  xMax: num(values['x-max'], 10)!,
  alpha: num(values.alpha, 0.75)!,
  epochs: num(values.iter, 15)!,
  threads: num(values.threads, 2)!,
  learningRate: num(values.eta, 0.05)!,
  memory: num(values.memory),
  seed: num(values.seed, 1)!,
};

const load = loadavg();
const started = performance.now();
const model = await trainGlove({
  input: corpus,
  ...settings,
  onProgress: values.progress
    ? (e) => {
        if (e.phase === 'train' && e.iteration !== undefined && e.cost !== undefined) process.stderr.write(`iter ${e.iteration} cost ${e.cost.toFixed(6)}\r`);
      }
    : undefined,
});
const wall = (performance.now() - started) / 1000;
const r = model.report;
let saveSeconds: number | undefined;
if (values.output) {
  const t = performance.now();
  await model.save(values.output, { format: (values.format ?? 'glove-text') as EmbeddingFormat });
  saveSeconds = (performance.now() - t) / 1000;
}

let quality: Record<string, number> | undefined;
if (values['eval-dir']) {
  const questions = join(values['eval-dir'], 'questions-words.txt');
  const pairs = join(values['eval-dir'], 'wordsim353.tsv');
  if (existsSync(questions) && existsSync(pairs)) {
    const analogies = await evaluateAnalogies(model, questions, { restrictVocab: 30_000 });
    const ws = await evaluateWordPairs(model, pairs);
    quality = {
      analogyTotal: analogies.total.accuracy * 100,
      analogySemantic: analogies.semantic.accuracy * 100,
      analogySyntactic: analogies.syntactic.accuracy * 100,
      analogyQuestions: analogies.total.correct + analogies.total.incorrect,
      ws353Spearman: ws.spearman,
      ws353Pairs: ws.pairs,
    };
  }
}

const rss = process.resourceUsage().maxRSS / 1024;
console.log(
  JSON.stringify(
    {
      corpus,
      settings: { ...settings, memoryBytes: r.memory.budgetBytes },
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAverageAtStart: load },
      phases: {
        vocabulary: r.seconds.vocabulary,
        cooccur: r.seconds.cooccur,
        shuffle: r.seconds.shuffle,
        train: r.seconds.train,
        total: r.seconds.total,
        save: saveSeconds,
      },
      wallSeconds: wall,
      vocabSize: r.vocabSize,
      corpusTokens: r.corpusTokens,
      pairs: r.pairs,
      pairsPerSecond: r.pairsPerSecond,
      secondsPerIteration: r.seconds.train / r.epochs,
      costs: r.costs,
      counting: r.counting,
      memory: { ...r.memory, peakRssMiB: Math.round(rss) },
      quality,
    },
    null,
    2,
  ),
);

// Query benchmark: `npm run build:ts && node dist/bench/query.js [--model FILE] [--analogies FILE] [--queries N]`
//
// 1. mostSimilar on a random 100 000 × 100 matrix: the time of the first query (which builds the
//    normalised copy in WebAssembly memory) and the median of the following ones (target < 1 ms).
// 2. The full analogy evaluation (questions-words.txt, restrictVocab 30000) if the file exists: on
//    --model if given, else on a synthetic model whose first rows are the questions' words (so every
//    question is answered: the worst case, 19 544 questions × 30 000 rows).
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { evaluateAnalogies } from '../src/model/evaluate.js';
import { KeyedVectors } from '../src/model/index.js';
import { symmetricRandom as rng } from './lib/random.js';

const DEFAULT_ANALOGIES = '/work/shared/data/eval/questions-words.txt';

function randomModel(words: string[], dim: number, seed: number): KeyedVectors {
  const next = rng(seed);
  return new KeyedVectors(words, dim, Float32Array.from({ length: words.length * dim }, next));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      analogies: { type: 'string', default: DEFAULT_ANALOGIES },
      queries: { type: 'string', default: '200' },
    },
    strict: true,
  });
  const queries = Number(values.queries);

  // 1. mostSimilar latency
  const size = 100_000;
  const dim = 100;
  const model = randomModel(Array.from({ length: size }, (_, i) => `w${i}`), dim, 1);
  const pick = rng(2);
  const word = () => `w${Math.floor(((pick() + 1) / 2) * size)}`;
  let t = performance.now();
  model.mostSimilar(word(), { topN: 10 });
  const first = performance.now() - t;
  const times: number[] = [];
  for (let i = 0; i < queries; i++) {
    const w = word();
    t = performance.now();
    model.mostSimilar(w, { topN: 10 });
    times.push(performance.now() - t);
  }
  const batchWords = Array.from({ length: queries }, word);
  t = performance.now();
  model.mostSimilarBatch(batchWords, { topN: 10 });
  const batch = (performance.now() - t) / queries;
  console.log(`mostSimilar, ${size} × ${dim} random vectors, top 10:`);
  console.log(`  first query (builds the normalised copy): ${first.toFixed(1)} ms`);
  console.log(`  median of the next ${queries}: ${median(times).toFixed(3)} ms/query (min ${Math.min(...times).toFixed(3)}, max ${Math.max(...times).toFixed(3)})`);
  console.log(`  mostSimilarBatch of ${queries}: ${batch.toFixed(3)} ms/query`);

  // 2. analogy evaluation
  const file = values.analogies;
  if (!existsSync(file)) {
    console.log(`analogy evaluation skipped: ${file} not found`);
    return;
  }
  let evalModel: KeyedVectors;
  if (values.model) {
    t = performance.now();
    evalModel = await KeyedVectors.load(values.model);
    console.log(`loaded ${values.model}: ${evalModel.size} × ${evalModel.dim} in ${((performance.now() - t) / 1000).toFixed(2)} s`);
  } else {
    const questionWords = new Set<string>();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.startsWith(':')) continue;
      for (const w of line.split(/\s+/)) if (w) questionWords.add(w.toLowerCase());
    }
    const words = [...questionWords];
    for (let i = words.length; i < 30_000; i++) words.push(`filler${i}`);
    evalModel = randomModel(words, dim, 3);
    console.log(`synthetic model: the ${questionWords.size} question words + fillers, ${words.length} × ${dim}`);
  }
  t = performance.now();
  const r = await evaluateAnalogies(evalModel, file, { restrictVocab: 30_000 });
  const seconds = (performance.now() - t) / 1000;
  const answered = r.total.correct + r.total.incorrect;
  console.log(
    `analogy evaluation: ${answered} questions answered (${r.oov} OOV) in ${seconds.toFixed(2)} s ` +
      `(${((seconds * 1000) / Math.max(1, answered)).toFixed(3)} ms/question); total accuracy ${(100 * r.total.accuracy).toFixed(2)}%`,
  );
}

await main();

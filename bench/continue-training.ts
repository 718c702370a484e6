// Issue #18's continued-training check: train on the first half of a corpus (cut at a word
// boundary), continue on the second half with updateVocabulary, and compare with one run on the
// whole: words that occur only in the second half must get vectors, and the analogy accuracy
// (questions-words.txt, gensim's semantics, 30 000 most frequent words) should be within 0.5 points.
// Each seed trains the first half once, then continues it twice (mergeSaved on, the default, and
// off: gensim's plain continued training) and trains the whole once. Same epochs and threads for
// every run, defaults otherwise. A quality figure, not a timing; results in bench/results/continue/.
// node dist/bench/continue-training.js --input /work/shared/data/text8_head --threads 2 --seeds 1,2,3,4,5
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { train } from '../src/word2vec/train.js';
import { evaluateAnalogies, evaluateWordPairs } from '../src/model/evaluate.js';
import type { KeyedVectors } from '../src/model/index.js';
import { repoRoot } from './lib/paths.js';

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: '/work/shared/data/text8_head' },
    eval: { type: 'string', default: '/work/shared/data/eval' },
    threads: { type: 'string', default: '2' },
    epochs: { type: 'string', default: '5' },
    model: { type: 'string', default: 'skipgram' },
    seeds: { type: 'string', default: '1,2,3' },
    out: { type: 'string', default: join(repoRoot, 'bench', 'results', 'continue') },
  },
});

interface Score { analogy: number; wordsim: number; vocabulary: number }
const score = async (m: KeyedVectors): Promise<Score> => ({
  analogy: +((await evaluateAnalogies(m, join(values.eval!, 'questions-words.txt'), { restrictVocab: 30_000 })).total.accuracy * 100).toFixed(2),
  wordsim: +(await evaluateWordPairs(m, join(values.eval!, 'wordsim353.tsv'))).spearman.toFixed(4),
  vocabulary: m.size,
});
const mean = (xs: number[]) => +(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3);

const dir = mkdtempSync(join(tmpdir(), 'wasm2vec-continue-'));
try {
  const text = readFileSync(values.input!, 'latin1');
  const cut = text.lastIndexOf(' ', text.length >> 1);
  const [firstHalf, secondHalf] = [join(dir, 'first.txt'), join(dir, 'second.txt')];
  writeFileSync(firstHalf, text.slice(0, cut), 'latin1');
  writeFileSync(secondHalf, text.slice(cut + 1), 'latin1');
  const rows: { seed: number; firstHalf: Score; merged: Score; plain: Score; whole: Score; onlySecond: number; withVectors: number }[] = [];
  for (const seed of values.seeds!.split(',').map(Number)) {
    const common = { threads: Number(values.threads), epochs: Number(values.epochs), model: values.model as 'skipgram' | 'cbow', seed };
    const state = join(dir, 'first.w2v');
    const first = await train({ ...common, input: firstHalf, saveState: state });
    const merged = await train({ ...common, input: secondHalf, initialModel: state, updateVocabulary: true });
    const plain = await train({ ...common, input: secondHalf, initialModel: state, updateVocabulary: true, mergeSaved: false });
    const whole = await train({ ...common, input: values.input! });
    const onlySecond = merged.words.filter((w) => !first.vocab.has(w));
    const row = {
      seed, firstHalf: await score(first), merged: await score(merged), plain: await score(plain), whole: await score(whole),
      onlySecond: onlySecond.length, withVectors: onlySecond.filter((w) => merged.vector(w).some((x) => x !== 0)).length,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  const gap = (k: 'merged' | 'plain') => mean(rows.map((r) => r[k].analogy - r.whole.analogy));
  const summary = {
    input: values.input, model: values.model, threads: Number(values.threads), epochs: Number(values.epochs), seeds: rows.map((r) => r.seed),
    analogy: { firstHalf: mean(rows.map((r) => r.firstHalf.analogy)), merged: mean(rows.map((r) => r.merged.analogy)), plain: mean(rows.map((r) => r.plain.analogy)), whole: mean(rows.map((r) => r.whole.analogy)) },
    wordsim: { firstHalf: mean(rows.map((r) => r.firstHalf.wordsim)), merged: mean(rows.map((r) => r.merged.wordsim)), plain: mean(rows.map((r) => r.plain.wordsim)), whole: mean(rows.map((r) => r.whole.wordsim)) },
    analogyPointsMergedMinusWhole: gap('merged'),
    analogyPointsPlainMinusWhole: gap('plain'),
    pass: rows.every((r) => r.onlySecond > 0 && r.withVectors === r.onlySecond) && Math.abs(gap('merged')) <= 0.5,
    rows,
  };
  console.log(JSON.stringify({ ...summary, rows: undefined }));
  mkdirSync(values.out!, { recursive: true });
  const file = join(values.out!, `${new Date().toISOString().replace(/[:.]/g, '-')}-${values.model}-continue.json`);
  writeFileSync(file, JSON.stringify(summary, null, 2) + '\n');
  console.log(`wrote ${file}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

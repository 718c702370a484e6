// Issue #18's continued-training check: train on the first half of a corpus (cut at a word
// boundary), continue on the second half with updateVocabulary, and compare with one run on the
// whole: words that occur only in the second half must get vectors, and the analogy accuracy
// (questions-words.txt, gensim's semantics, 30 000 most frequent words) should be within 0.5 points.
// Same epochs and threads for every run, defaults otherwise. A quality figure, not a timing.
// node dist/bench/continue-training.js --input /work/shared/data/text8_head --threads 2
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { train } from '../src/word2vec/train.js';
import { evaluateAnalogies, evaluateWordPairs } from '../src/model/evaluate.js';
import type { KeyedVectors } from '../src/model/index.js';

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: '/work/shared/data/text8_head' },
    eval: { type: 'string', default: '/work/shared/data/eval' },
    threads: { type: 'string', default: '2' },
    epochs: { type: 'string', default: '5' },
    model: { type: 'string', default: 'skipgram' },
  },
});

const dir = mkdtempSync(join(tmpdir(), 'wasm2vec-continue-'));
try {
  const text = readFileSync(values.input!, 'latin1');
  const cut = text.lastIndexOf(' ', text.length >> 1);
  const [firstHalf, secondHalf] = [join(dir, 'first.txt'), join(dir, 'second.txt')];
  writeFileSync(firstHalf, text.slice(0, cut), 'latin1');
  writeFileSync(secondHalf, text.slice(cut + 1), 'latin1');
  const common = { threads: Number(values.threads), epochs: Number(values.epochs), model: values.model as 'skipgram' | 'cbow' };

  const state = join(dir, 'first.w2v');
  const first = await train({ ...common, input: firstHalf, saveState: state });
  const continued = await train({ ...common, input: secondHalf, initialModel: state, updateVocabulary: true });
  const whole = await train({ ...common, input: values.input! });

  const onlySecond = continued.words.filter((w) => !first.vocab.has(w));
  const withVectors = onlySecond.filter((w) => continued.vector(w).some((x) => x !== 0));
  const score = async (m: KeyedVectors) => ({
    analogy: +((await evaluateAnalogies(m, join(values.eval!, 'questions-words.txt'), { restrictVocab: 30_000 })).total.accuracy * 100).toFixed(2),
    wordsim: +(await evaluateWordPairs(m, join(values.eval!, 'wordsim353.tsv'))).spearman.toFixed(4),
    vocabulary: m.size,
  });
  const [a, b, c] = [await score(first), await score(continued), await score(whole)];
  console.log(JSON.stringify({
    input: values.input, ...common,
    firstHalf: a, continued: b, whole: c,
    wordsOnlyInSecondHalf: onlySecond.length, ofThemWithVectors: withVectors.length, examples: onlySecond.slice(0, 8),
    analogyPointsContinuedMinusWhole: +(b.analogy - c.analogy).toFixed(2),
    pass: withVectors.length === onlySecond.length && onlySecond.length > 0 && Math.abs(b.analogy - c.analogy) <= 0.5,
  }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

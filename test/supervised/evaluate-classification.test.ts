// eval --classification: logistic regression on mean word vectors (frozen), against thresholds a
// broken pipeline cannot pass, on hand-made vectors and (when the data is there) on SST-2.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyedVectors, evaluateClassification } from '../../src/model/index.js';
import { train } from '../../src/word2vec/train.js';
import { Wasm2VecError } from '../../src/errors.js';
import { cli, tempDir } from '../helpers.js';

const TRAIN = new URL('../fixtures/supervised-train.txt', import.meta.url).pathname;
const TEST = new URL('../fixtures/supervised-test.txt', import.meta.url).pathname;
const SST2 = '/work/shared/data/classification/sst2';

const TOPICS: Record<string, string> = {
  sports: 'match goal team player coach score referee stadium league season win lost ball fußball équipe',
  food: 'recipe sauce cheese oven bake flour sugar butter garlic soup café crème 中文 noodle spicy',
  tech: 'computer software code bug compile server network memory thread kernel cpu москва laptop screen',
};

/** Each topic's words point along their own axis (plus noise); common words are noise only. */
function topicVectors(): KeyedVectors {
  const words: string[] = [];
  const rows: number[] = [];
  let seed = 3;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.6;
  Object.values(TOPICS).forEach((list, topic) => {
    for (const w of list.split(' ')) {
      words.push(w);
      for (let d = 0; d < 6; d++) rows.push((d === topic ? 1 : 0) + noise());
    }
  });
  for (const w of 'the a of and to in is was very not really good bad new old'.split(' ')) {
    words.push(w);
    for (let d = 0; d < 6; d++) rows.push(noise());
  }
  return new KeyedVectors(words, 6, Float32Array.from(rows));
}

describe('evaluateClassification', () => {
  it('separates topics with topic-aligned vectors; vectors that carry nothing fall to the majority class', async () => {
    const model = topicVectors();
    const r = await evaluateClassification(model, TRAIN, TEST);
    expect(r.labels).toBe(3);
    expect(r.trainExamples).toBe(150);
    expect(r.testExamples).toBe(41);
    expect(r.skipped).toBe(1); // the line whose only label is not in the training file
    expect(r.coverage).toBeGreaterThan(0.8);
    expect(r.accuracy).toBeGreaterThan(0.9);
    expect(r.majorityBaseline).toBeLessThan(0.6);
    // Vectors that carry nothing (every word the same) leave only the majority class.
    const constant = new KeyedVectors([...model.words], 6, new Float32Array(model.vectors.length).fill(0.5));
    const s = await evaluateClassification(constant, TRAIN, TEST);
    expect(s.accuracy).toBeLessThan(0.6);
    expect(s.accuracy).toBeLessThan(r.accuracy - 0.3);
  });

  it('rejects a training file with one label and a test file with none it knows', async () => {
    const dir = tempDir();
    try {
      const one = join(dir.path, 'one.txt');
      writeFileSync(one, '__label__a goal team\n__label__a code\n');
      await expect(evaluateClassification(topicVectors(), one, TEST)).rejects.toThrow(/one\.txt: only one label/);
      const other = join(dir.path, 'other.txt');
      writeFileSync(other, '__label__zzz goal\n');
      await expect(evaluateClassification(topicVectors(), TRAIN, other)).rejects.toThrow(Wasm2VecError);
    } finally {
      dir.remove();
    }
  });

  it("splits unspaced Chinese text with the trainers' tokenizers (jieba with t2s); whitespace sees one unknown word per line", async () => {
    const topics: Record<string, string[]> = {
      sports: ['足球', '比赛', '球队', '球员', '教练', '进球'],
      food: ['面条', '米饭', '好吃', '厨师', '餐厅', '味道'],
      tech: ['电脑', '软件', '程序', '网络', '手机', '屏幕'],
    };
    const words: string[] = [];
    const rows: number[] = [];
    Object.values(topics).forEach((list, topic) => {
      for (const w of list) {
        words.push(w);
        for (let d = 0; d < 3; d++) rows.push(d === topic ? 1 : 0.1);
      }
    });
    const model = new KeyedVectors(words, 3, Float32Array.from(rows));
    // Lines of two or three topic words run together, the way Chinese is written; the test file in
    // Traditional characters (t2s brings them back to the model's Simplified words).
    const traditional: Record<string, string> = { 面条: '麵條', 米饭: '米飯', 球队: '球隊', 球员: '球員', 教练: '教練', 进球: '進球', 电脑: '電腦', 软件: '軟件', 网络: '網絡', 手机: '手機', 餐厅: '餐廳', 比赛: '比賽' };
    const lines = (n: number, offset: number, convert: boolean) => {
      const out: string[] = [];
      for (let i = 0; i < n; i++) {
        const [label, list] = Object.entries(topics)[i % 3];
        const picked = [list[(i + offset) % 6], list[(i * 5 + 1 + offset) % 6], list[(i * 7 + 2 + offset) % 6]];
        out.push(`__label__${label} ${picked.map((w) => (convert ? traditional[w] ?? w : w)).join('')}`);
      }
      return out.join('\n') + '\n';
    };
    const dir = tempDir();
    try {
      const trainPath = join(dir.path, 'train.txt');
      const testPath = join(dir.path, 'test.txt');
      writeFileSync(trainPath, lines(60, 0, false));
      writeFileSync(testPath, lines(30, 3, true));
      const jieba = await evaluateClassification(model, trainPath, testPath, { tokenizer: 'jieba', normalize: 't2s' });
      expect(jieba.coverage).toBeGreaterThan(0.85); // jieba joins a few neighbours (0.94 measured)
      expect(jieba.accuracy).toBeGreaterThan(0.95);
      const whitespace = await evaluateClassification(model, trainPath, testPath);
      expect(whitespace.coverage).toBe(0);
      expect(whitespace.accuracy).toBeLessThan(0.5);
      // Through the CLI, with the trainers' spelling of the options.
      const path = join(dir.path, 'zh.txt');
      await model.save(path, { format: 'word2vec-text' });
      const r = await cli(['eval', path, '--classification', trainPath, testPath, '--tokenizer', 'jieba', '--normalize', 't2s', '--json']);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout).classification.accuracy).toBeCloseTo(jieba.accuracy, 6);
    } finally {
      dir.remove();
    }
  });

  // Measured: CBOW vectors trained on SST-2's own training text (dim 50, 5 epochs) give 0.70-0.72 on
  // dev; the majority class is 0.509 and random vectors about 0.55.
  it.skipIf(!existsSync(SST2))('SST-2 with CBOW vectors trained on its own text: well above the majority class, via the CLI', async () => {
    const dir = tempDir();
    try {
      const vectors = await train({ input: `${SST2}/train.ft`, model: 'cbow', dim: 50, minCount: 2, epochs: 5, threads: 2 });
      const path = join(dir.path, 'sst.bin');
      await vectors.save(path, { format: 'word2vec-binary' });
      const r = await cli(['eval', path, '--classification', `${SST2}/train.ft`, `${SST2}/dev.ft`, '--json']);
      expect(r.stderr).toBe('');
      const { classification } = JSON.parse(r.stdout);
      expect(classification.testExamples).toBe(872);
      expect(classification.majorityBaseline).toBeCloseTo(0.509, 2);
      expect(classification.accuracy).toBeGreaterThan(0.65);
    } finally {
      dir.remove();
    }
  });
});

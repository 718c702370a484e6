// The trainer and the CLI with hierarchical softmax and with the tokenizer options.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { train } from '../../src/word2vec/train.js';
import { chunksOf, sampleText, tempDir, cli } from '../helpers.js';


const text = sampleText(60_000);
const small = { dim: 20, epochs: 2, minCount: 3, sample: 1e-3 } as const;

/** A Chinese corpus with no spaces: topic words co-occur with their own topic's words. */
function chineseCorpus(lines: number): string {
  const topics = [
    ['学生', '老师', '学校', '考试', '作业', '课程'],
    ['医生', '医院', '病人', '药物', '治疗', '健康'],
    ['电脑', '软件', '程序', '网络', '数据', '系统'],
    ['农民', '土地', '粮食', '天气', '收获', '村庄'],
  ];
  const glue = ['和', '在', '关心', '需要', '喜欢', '讨论'];
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((seed / 2 ** 31) * n);
  };
  const out: string[] = [];
  for (let l = 0; l < lines; l++) {
    const topic = topics[rand(topics.length)];
    const parts: string[] = [];
    for (let w = 0; w < 6; w++) parts.push(topic[rand(topic.length)] + glue[rand(glue.length)]);
    out.push(parts.join('') + topic[rand(topic.length)] + (rand(2) ? '。' : '，今天很好。'));
  }
  return out.join('\n') + '\n';
}

describe('train with hierarchical softmax', () => {
  for (const [model, negative] of [['skipgram', 0], ['skipgram', 5], ['cbow', 0]] as const) {
    it(`${model}, hs with negative ${negative}: trains finite vectors, numbers near numbers`, async () => {
      const m = await train({ ...small, model, hs: true, negative, epochs: 5, input: { text: chunksOf(text, 10_000) }, threads: 2 });
      expect(m.words[0]).toBe('</s>');
      expect(m.vectors.every(Number.isFinite)).toBe(true);
      const near = m.mostSimilar('three', { topN: 8 }).map((n) => n.word);
      expect(near.filter((w) => ['one', 'two', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'zero'].includes(w)).length).toBeGreaterThanOrEqual(2);
    });
  }

  it('is deterministic with one thread, and hs changes the result', async () => {
    const a = await train({ ...small, hs: true, negative: 0, input: { text: chunksOf(text, 10_000) }, threads: 1, seed: 3 });
    const b = await train({ ...small, hs: true, negative: 0, input: { text: chunksOf(text, 10_000) }, threads: 1, seed: 3, tokenStore: 'file' });
    const c = await train({ ...small, hs: true, negative: 2, input: { text: chunksOf(text, 10_000) }, threads: 1, seed: 3 });
    expect(b.vectors).toEqual(a.vectors);
    expect(c.vectors).not.toEqual(a.vectors);
  });

  it('validates hs, negative and update together', async () => {
    const input = chunksOf('a b c', 10);
    await expect(train({ input, negative: 0 })).rejects.toThrow(/negative is 0 and hs is off/);
    await expect(train({ input, hs: 1 as never })).rejects.toThrow(/option hs must be true or false/);
    await expect(train({ input, hs: true, negative: -1 })).rejects.toThrow(/option negative must be an integer from 0/);
    await expect(train({ input, hs: true, update: 'batched' })).rejects.toThrow(/batched.*negative sampling only/);
    await expect(train({ input, tokenizer: 'icu' as never })).rejects.toThrow(/option tokenizer must be/);
    await expect(train({ input, normalize: 'NFC' as never })).rejects.toThrow(/option normalize must be "NFKC", "t2s", "s2t", a list of them or false/);
    await expect(train({ input, lowercase: 'yes' as never })).rejects.toThrow(/option lowercase must be true or false/);
  });
});

describe('train with the unicode tokenizer', () => {
  it('learns a vocabulary of Chinese words from unspaced text, and mostSimilar works', async () => {
    const m = await train({ input: { text: chunksOf(chineseCorpus(3_000), 5_000) }, tokenizer: 'unicode', dim: 24, epochs: 5, minCount: 5, threads: 2, sample: 0 });
    const words = m.words.slice(1);
    const multi = words.filter((w) => [...w].length >= 2);
    // Words, not characters only and not whole lines.
    expect(multi.length).toBeGreaterThan(10);
    expect(words.every((w) => [...w].length <= 4)).toBe(true);
    expect(words).toEqual(expect.arrayContaining(['学生', '医院', '电脑', '粮食']));
    expect(words).not.toContain('。');
    const near = m.mostSimilar('医生', { topN: 5 }).map((n) => n.word);
    expect(near.length).toBe(5);
    expect(near.filter((w) => ['医院', '病人', '药物', '治疗', '健康'].includes(w)).length).toBeGreaterThanOrEqual(3);
  });

  it('applies lowercase and NFKC with the whitespace tokenizer too', async () => {
    const m = await train({ input: { text: chunksOf('ＡＢＣ abc Abc ABC '.repeat(20), 7) }, lowercase: true, normalize: 'NFKC', minCount: 1, dim: 8, epochs: 1, threads: 1 });
    expect(m.words).toEqual(['</s>', 'abc']);
  });
});

describe('wasm2vec train (CLI) options', () => {
  it('trains with -hs 1 -negative 0 and with --tokenizer unicode, and `similar` answers on Chinese', async () => {
    const dir = tempDir();
    try {
      const corpus = join(dir.path, 'corpus.txt');
      const output = join(dir.path, 'vectors.txt');
      writeFileSync(corpus, sampleText(20_000));
      const hs = await cli(['train', '-train', corpus, '-output', output, '-hs', '1', '-negative', '0', '-size', '12', '-iter', '1', '-threads', '2', '-binary', '0']);
      expect(hs.stderr).toMatch(/skipgram: .* words in vocabulary/);
      expect(hs.code).toBe(0);
      expect(readFileSync(output, 'utf8').split('\n')[0]).toMatch(/^\d+ 12$/);

      const zh = join(dir.path, 'zh.txt');
      const zhVectors = join(dir.path, 'zh.vec');
      writeFileSync(zh, chineseCorpus(2_000));
      const r = await cli(['train', '--input', zh, '--output', zhVectors, '--tokenizer', 'unicode', '--lowercase', '--normalize', 'nfkc', '--dim', '16', '--epochs', '3', '--threads', '2', '--hs', '1']);
      expect(r.code).toBe(0);
      const s = await cli(['similar', zhVectors, '学生', '--top', '3', '--json']);
      expect(s.code).toBe(0);
      const results = JSON.parse(s.stdout.trim().split('\n')[0]).results as { word: string }[];
      expect(results.length).toBe(3);
      expect(results.every((x) => [...x.word].length >= 1 && !x.word.includes('。'))).toBe(true);
    } finally {
      dir.remove();
    }
  });

  it('rejects bad values of the new options with clear messages', async () => {
    const bad = [
      [['train', '-train', 'x', '-output', 'y', '-hs', '2'], /option --hs must be 0 or 1, got "2"/],
      [['train', '-train', 'x', '-output', 'y', '-negative', '0'], /negative is 0 and hs is off/],
      [['train', '--input', 'x', '--output', 'y', '--tokenizer', 'icu'], /--tokenizer must be whitespace, unicode, jieba or a module path/],
      [['train', '--input', 'x', '--output', 'y', '--normalize', 'nfc'], /--normalize must be nfkc/],
      [['train', '--input', 'x', '--output', 'y', '--hs', '1', '--update', 'batched'], /negative sampling only/],
    ] as const;
    for (const [args, message] of bad) {
      const r = await cli([...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    const help = await cli(['train', '--help']);
    expect(help.stdout).toMatch(/--hs 0\|1/);
    expect(help.stdout).toMatch(/--tokenizer T/);
    expect(help.stdout).toMatch(/--normalize N +before splitting: nfkc/);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importOptional } from '../../src/corpus/optional-package.js';
import { correctDictionary } from '../../src/corpus/script-conversion.js';
import { END_OF_LINE, resolveTextOptions, tokenize, type TokenizeOptions } from '../../src/corpus/tokenizer.js';
import { chunksOf } from '../helpers.js';

async function tokens(text: string, options: TokenizeOptions, chunkSize = 1 << 20): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of tokenize(chunksOf(text, chunkSize), options)) out.push(...batch);
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'wasm2vec-zh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jieba tokenizer', () => {
  it("gives Python jieba 0.42's segmentation (default dictionary, HMM on), punctuation kept", async () => {
    // Python: jieba.cut('我来到北京清华大学，他来到了网易杭研大厦。') with HMM=True
    expect(await tokens('我来到北京清华大学，他来到了网易杭研大厦。', { tokenizer: 'jieba' })).toEqual([
      '我', '来到', '北京', '清华大学', '，', '他', '来到', '了', '网易', '杭研', '大厦', '。',
    ]);
    // HMM finds 杭研 (not in the dictionary); whitespace tokens are dropped, each '\n' ends a sentence.
    expect(await tokens('小明硕士毕业于中国科学院计算所\nhello world\n', { tokenizer: 'jieba' })).toEqual([
      '小明', '硕士', '毕业', '于', '中国科学院', '计算所', END_OF_LINE, 'hello', 'world', END_OF_LINE,
    ]);
  });

  it('splits unknown runs of letters, digits and symbols as Python jieba does', async () => {
    expect(await tokens('COVID-19疫情 UTC+8 3.14% a_b', { tokenizer: 'jieba' })).toEqual(['COVID', '-', '19', '疫情', 'UTC', '+', '8', '3.14%', 'a', '_', 'b']);
    // …but keeps the dictionary's own such words whole (Python: ['学习', 'C++', '语言', 'AT&T', '公司', 'x', '+', 'y']).
    expect(await tokens('学习C++语言 AT&T公司 x+y', { tokenizer: 'jieba' })).toEqual(['学习', 'C++', '语言', 'AT&T', '公司', 'x', '+', 'y']);
  });

  it('gives the same words whatever the chunking of the stream', async () => {
    const text = '北京是中华人民共和国的首都。\n上海位于长江入海口，是中国最大的城市之一。 Tokyo 東京\n'.repeat(20);
    const whole = await tokens(text, { tokenizer: 'jieba' });
    for (const size of [1, 7, 100]) expect(await tokens(text, { tokenizer: 'jieba' }, size)).toEqual(whole);
  });

  it('takes a user dictionary: a word with or without a frequency is kept whole', async () => {
    const userDict = join(dir, 'user.txt');
    writeFileSync(userDict, '杭研大厦\n云计算 5 n\n');
    const t = await tokens('他来到了网易杭研大厦研究云计算。', { tokenizer: 'jieba', userDict });
    expect(t).toContain('杭研大厦');
    expect(t).toContain('云计算');
    expect(() => resolveTextOptions({ tokenizer: 'jieba', userDict: join(dir, 'missing.txt') })).toThrow(/userDict.*missing\.txt does not exist/);
    expect(() => resolveTextOptions({ tokenizer: 'unicode', userDict })).toThrow(/userDict .* is for tokenizer "jieba"/);
  });
});

describe('script conversion (normalize t2s / s2t, OpenCC)', () => {
  it('converts Traditional to Simplified at phrase level, and back', async () => {
    expect(await tokens('歷史 頭髮 乾燥 後來 發展', { normalize: 't2s' })).toEqual(['历史', '头发', '干燥', '后来', '发展']);
    expect(await tokens('历史 头发 发展', { normalize: 's2t' })).toEqual(['歷史', '頭髮', '發展']);
  });

  // OpenCC 1.1.6's dictionaries (the `opencc` command's, via src/corpus/opencc-t2s-corrections.ts),
  // not the newer ones opencc-js bundles: 舖 and 谿 stay, 甯 → 宁, 鍾繇 → 钟繇 (opencc-js: 铺, 溪, 甯, 锺繇).
  it('t2s maps as the opencc command (OpenCC 1.1.6 dictionaries)', async () => {
    expect(await tokens('舖 谿 甯 鍾繇 歷史', { normalize: 't2s' })).toEqual(['舖', '谿', '宁', '钟繇', '历史']);
  });

  it('the correction table sets and removes dictionary entries', () => {
    expect(correctDictionary('a b|c d|e f', { set: 'c x|g h', remove: 'e' })).toEqual([['a', 'b'], ['c', 'x'], ['g', 'h']]);
    expect(correctDictionary('a b', { set: '', remove: '' })).toEqual([['a', 'b']]);
  });

  it('composes with NFKC (first) and lowercase, with every tokenizer', async () => {
    // Full-width ＵＳＡ → USA (NFKC) → usa (lowercase); 臺灣 → 台湾 (t2s).
    expect(await tokens('ＵＳＡ 臺灣', { normalize: ['t2s', 'NFKC'], lowercase: true })).toEqual(['usa', '台湾']);
    expect(await tokens('ＵＳＡ與臺灣的歷史', { tokenizer: 'jieba', normalize: ['NFKC', 't2s'], lowercase: true })).toEqual(['usa', '与', '台湾', '的', '历史']);
    expect(await tokens('我們的歷史', { tokenizer: 'unicode', normalize: 't2s' })).toEqual(['我们', '的', '历史']);
  });

  it('rejects bad values naming the option', () => {
    expect(() => resolveTextOptions({ normalize: 'zh' as never })).toThrow(/option normalize must be "NFKC", "t2s", "s2t"/);
    expect(() => resolveTextOptions({ normalize: ['t2s', 's2t'] })).toThrow(/undo each other/);
    expect(resolveTextOptions({ normalize: ['t2s', 'NFKC'] }).normalize).toEqual(['NFKC', 't2s']);
    expect(resolveTextOptions({ normalize: [] }).plain).toBe(true);
  });
});

describe('optional packages', () => {
  it('says which package to install when one is absent', async () => {
    await expect(importOptional('wasm2vec-absent-package-xyz', '@node-rs/jieba', 'tokenizer "jieba"')).rejects.toThrow(
      'tokenizer "jieba" needs the optional package @node-rs/jieba, which is not installed: run `npm install @node-rs/jieba`',
    );
  });
});

describe('tokenizer modules', () => {
  it('loads a user tokenizer from a module path, and names the problem when it cannot', async () => {
    const path = join(dir, 'split-chars.mjs');
    writeFileSync(path, 'export default (text) => Array.from(text.replace(/\\s/g, ""));\nexport const pairs = (text) => text.match(/../g) ?? [];\n');
    expect(await tokens('ab c\nde', { tokenizer: { module: path } })).toEqual(['a', 'b', 'c', END_OF_LINE, 'd', 'e']);
    expect(await tokens('abcd', { tokenizer: { module: path, export: 'pairs' } })).toEqual(['ab', 'cd']);
    await expect(tokens('x', { tokenizer: { module: path, export: 'nope' } })).rejects.toThrow(/no function export "nope"/);
    await expect(tokens('x', { tokenizer: { module: join(dir, 'absent.mjs') } })).rejects.toThrow(/cannot load the tokenizer module/);
    expect(() => resolveTextOptions({ tokenizer: 'jeiba' as never })).toThrow(/option tokenizer must be "whitespace", "unicode", "jieba"/);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { END_OF_LINE, MAX_CARRY_CHARS, tokenize, tokenizeWhitespace, type TokenizeOptions } from '../../src/corpus/tokenizer.js';
import { chunksOf } from '../helpers.js';

async function tokens(text: string, options: TokenizeOptions, chunkSize = 1 << 20): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of tokenize(chunksOf(text, chunkSize), options)) out.push(...batch);
  return out;
}

async function* pieces(parts: string[]): AsyncGenerator<string> {
  yield* parts;
}

async function tokensOfPieces(parts: string[], options: TokenizeOptions): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of tokenize(pieces(parts), options)) out.push(...batch);
  return out;
}

const unicode = { tokenizer: 'unicode' } as const;

describe('unicode tokenizer (Intl.Segmenter words)', () => {
  it('splits Chinese into words, not one token per sentence or per character', async () => {
    const t = await tokens('这是一个简单的文本预处理示例。', unicode);
    expect(t.length).toBeGreaterThan(3);
    expect(t).not.toContain('这是一个简单的文本预处理示例');
    expect(t).not.toContain('。');
    expect(t.join('')).toBe('这是一个简单的文本预处理示例');
    // Multi-character dictionary words come out whole.
    expect(t).toEqual(expect.arrayContaining(['一个', '简单', '文本', '示例']));
    const news = await tokens('北京是中华人民共和国的首都，也是全国的政治和文化中心。', unicode);
    expect(news).toEqual(expect.arrayContaining(['北京', '首都', '政治', '文化', '中心']));
    expect(news.some((w) => w.length >= 2)).toBe(true);
  });

  it('splits Japanese and Thai', async () => {
    const ja = await tokens('東京は日本の首都です。私は毎朝コーヒーを飲みます。', unicode);
    expect(ja).toEqual(expect.arrayContaining(['東京', '日本', '首都']));
    expect(ja.join('')).toBe('東京は日本の首都です私は毎朝コーヒーを飲みます');
    const th = await tokens('ภาษาไทยเป็นภาษาที่สวยงาม', unicode);
    expect(th).toEqual(['ภาษา', 'ไทย', 'เป็น', 'ภาษา', 'ที่', 'สวยงาม']);
  });

  it('keeps Latin words, numbers and mixed scripts, drops punctuation, and ends lines with </s>', async () => {
    const t = await tokens('Hello, 世界! I paid 3.14 euros for café au lait\r\nin 東京 (2024)...\n\nDon\'t stop', unicode);
    expect(t).toEqual([
      'Hello', '世界', 'I', 'paid', '3.14', 'euros', 'for', 'café', 'au', 'lait', END_OF_LINE,
      'in', '東京', '2024', END_OF_LINE, END_OF_LINE, "Don't", 'stop',
    ]);
  });

  it('splits printable ASCII exactly as Intl.Segmenter does (regular-expression fast path)', async () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
    const direct = (text: string) =>
      [...segmenter.segment(text)].flatMap((s) => (s.isWordLike ? [s.segment] : [...s.segment].filter((c) => c === '\n').map(() => END_OF_LINE)));
    const alphabet = [...'ab1Z9_.:\',; -!"#$%&()*+/<=>?@[\\]^`{|}~\n\t\r'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), async (chars) => {
        const text = chars.join('');
        expect(await tokens(text, unicode)).toEqual(direct(text));
      }),
      { numRuns: 3000 },
    );
    const text = "Don't stop: e.g. U.S.A. 3.14, 1,000; a_b __ _ x'y 1'2 a.1\r\nnext";
    expect(await tokens(text, unicode)).toEqual(direct(text));
    expect(direct(text)).toEqual(["Don't", 'stop', 'e.g', 'U.S.A', '3.14', '1,000', 'a_b', '__', "x'y", "1'2", 'a', '1', END_OF_LINE, 'next']);
  });

  it('lowercases and applies NFKC before splitting', async () => {
    expect(await tokens('ＡＢＣ Ｄｅｆ ①', { tokenizer: 'unicode', lowercase: true, normalize: 'NFKC' })).toEqual(['abc', 'def', '1']);
    expect(await tokens('ＡＢＣ Straße', { tokenizer: 'unicode', normalize: 'NFKC' })).toEqual(['ABC', 'Straße']);
    expect(await tokens('ＡＢＣ ÉCOLE', { tokenizer: 'unicode', lowercase: true })).toEqual(['ａｂｃ', 'école']);
    // The whitespace tokenizer takes the same options.
    expect(await tokens('ＡＢＣ Ｄｅｆ\nＸ', { lowercase: true, normalize: 'NFKC' })).toEqual(['abc', 'def', END_OF_LINE, 'x']);
    // Decomposed é (e + U+0301) composes under NFKC.
    expect(await tokens('cafe\u0301', { tokenizer: 'unicode', normalize: 'NFKC' })).toEqual(['café']);
  });

  const mixed =
    '这是一个简单的文本预处理示例。北京是中华人民共和国的首都，也是全国的政治和文化中心。\n' +
    '東京は日本の首都です。ภาษาไทยเป็นภาษาที่สวยงาม Hello, World! 3.14 and 1,000 items: e.g. U.S.A.\n' +
    'ΟΔΟΣ ΑΘΗΝΑΣ ＡＢＣ cafe\u0301 emoji 👍🏽 ok\r\nend';

  for (const options of [
    { tokenizer: 'unicode' },
    { tokenizer: 'unicode', lowercase: true, normalize: 'NFKC' },
    { tokenizer: 'whitespace', lowercase: true, normalize: 'NFKC' },
  ] as TokenizeOptions[]) {
    it(`gives the same tokens wherever the chunk boundaries fall (${JSON.stringify(options)})`, async () => {
      const whole = await tokens(mixed, options);
      expect(whole.length).toBeGreaterThan(20);
      for (let cut = 1; cut < mixed.length; cut++) {
        expect(await tokensOfPieces([mixed.slice(0, cut), mixed.slice(cut)], options), `cut at ${cut}`).toEqual(whole);
      }
      for (const size of [1, 2, 3, 7, 50]) expect(await tokens(mixed, options, size), `chunks of ${size}`).toEqual(whole);
    });
  }

  it('carries a bounded tail through a long run of Chinese with no space or punctuation', async () => {
    const run = '我们今天去公园散步然后回家吃饭'.repeat(3_000); // 45 000 characters, no safe cut
    const seen: number[] = [];
    const chars: number[] = [];
    let words = 0;
    async function* tracked(): AsyncGenerator<string> {
      for await (const c of chunksOf(run, 4096)) yield c;
    }
    for await (const batch of tokenize(tracked(), unicode)) {
      seen.push(batch.length);
      chars.push(batch.reduce((s, w) => s + w.length, 0));
      words += chars[chars.length - 1];
    }
    // Emitted along the way, never more than the carry bound plus a chunk at once, and nothing lost.
    expect(seen.length).toBeGreaterThanOrEqual(Math.floor(run.length / (MAX_CARRY_CHARS + 4096)));
    expect(seen.length).toBeGreaterThan(1);
    for (const c of chars) expect(c).toBeLessThanOrEqual(MAX_CARRY_CHARS + 4096);
    expect(words).toBe(run.length);
    expect(MAX_CARRY_CHARS).toBeLessThan(run.length);
  });

  it('runs a user function on pieces without line breaks, and validates what it returns', async () => {
    const seen: string[] = [];
    const fn = (text: string) => {
      seen.push(text);
      return text.split(/[\s,]+/).filter(Boolean);
    };
    expect(await tokens('a,b c\nd,e\n', { tokenizer: fn }, 3)).toEqual(['a', 'b', 'c', END_OF_LINE, 'd', 'e', END_OF_LINE]);
    expect(seen.every((s) => !s.includes('\n'))).toBe(true);
    expect(await tokens('AB cd', { tokenizer: (t) => [...t.replace(/ /g, '')], lowercase: true })).toEqual(['a', 'b', 'c', 'd']);
    await expect(tokens('x y', { tokenizer: (() => 'x') as never })).rejects.toThrow(/must return an array of strings/);
    await expect(tokens('x y', { tokenizer: (() => [1]) as never })).rejects.toThrow(/must return an array of strings/);
    await expect(tokens('x y', { tokenizer: 'icu' as never })).rejects.toThrow(/option tokenizer must be "whitespace", "unicode", "jieba"/);
  });

  it('leaves the default whitespace tokenizer as it was', async () => {
    const text = 'The  quick\tbrown\nfox, jumps.';
    const before: string[] = [];
    for await (const batch of tokenizeWhitespace(chunksOf(text, 4))) before.push(...batch);
    expect(await tokens(text, {}, 4)).toEqual(before);
    expect(before).toEqual(['The', 'quick', 'brown', END_OF_LINE, 'fox,', 'jumps.']);
  });
});

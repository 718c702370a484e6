// Every input kind of `train()` and `trainGlove()`: arrays and (async) iterables of sentences
// (strings or word lists, as gensim's corpora) must train exactly what the same text in a file
// trains, with one thread and a seed; raw text stays available as a Readable or { text }.
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { train } from '../../src/word2vec/train.js';
import { trainGlove } from '../../src/glove/train.js';
import { readCorpusText } from '../../src/corpus/source.js';
import { Wasm2VecError } from '../../src/errors.js';
import { sampleText, tempDir } from '../helpers.js';

// ~12 000 words of text8 in sentences of 3..40 words.
function sentencesOf(words: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0, n = 3; i < words.length; i += n, n = 3 + ((n * 7) % 38)) out.push(words.slice(i, i + n));
  return out;
}
const sentences = sentencesOf(sampleText(12_000).split(' ').filter((w) => w.length > 0));
const fileText = sentences.map((s) => s.join(' ') + '\n').join('');
const options = { model: 'cbow', dim: 16, epochs: 2, minCount: 2, threads: 1, seed: 3 } as const;

async function text(source: Parameters<typeof readCorpusText>[0]): Promise<string> {
  let out = '';
  for await (const chunk of readCorpusText(source)) out += chunk;
  return out;
}

describe('sentence inputs', () => {
  it('train the same vocabulary and vectors as the same text in a file (arrays, iterables, token lists)', async () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'corpus.txt');
      writeFileSync(path, fileText);
      const fromFile = await train({ ...options, input: path });
      const strings = sentences.map((s) => s.join(' '));
      async function* generated() {
        for (const s of strings) yield s;
      }
      function* tokens() {
        yield* sentences;
      }
      const inputs = [strings, generated(), sentences, tokens(), Readable.from([fileText.slice(0, 1000), fileText.slice(1000)]), { text: [fileText] }];
      for (const input of inputs) {
        const model = await train({ ...options, input });
        expect(model.words).toEqual(fromFile.words);
        expect(model.report.corpusTokens).toBe(fromFile.report.corpusTokens);
        expect(model.vectors).toEqual(fromFile.vectors);
      }
      // The unicode tokenizer path (decoded text) reads sentences the same way.
      const unicodeFile = await train({ ...options, input: path, tokenizer: 'unicode', lowercase: true });
      const unicodeArray = await train({ ...options, input: strings, tokenizer: 'unicode', lowercase: true });
      expect(unicodeArray.words).toEqual(unicodeFile.words);
      expect(unicodeArray.vectors).toEqual(unicodeFile.vectors);
    } finally {
      dir.remove();
    }
  });

  it('keeps sentences apart: no word glued across sentences (the reported bug)', async () => {
    const model = await train({ dim: 8, epochs: 1, minCount: 1, threads: 1, input: ['the king rules the land', 'a man walks the dog'] });
    expect([...model.words].sort()).toEqual(['</s>', 'a', 'dog', 'king', 'land', 'man', 'rules', 'the', 'walks']);
    const tokenModel = await train({ dim: 8, epochs: 1, minCount: 1, threads: 1, input: [['a', 'b'], ['c', 'a']] });
    expect([...tokenModel.words].sort()).toEqual(['</s>', 'a', 'b', 'c']);
  });

  it('trains GloVe from an array of sentences as from the file', async () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'corpus.txt');
      writeFileSync(path, fileText);
      const glove = { dim: 8, epochs: 2, minCount: 2, threads: 1, seed: 3, window: 5, tempDir: dir.path } as const;
      const a = await trainGlove({ ...glove, input: path });
      const b = await trainGlove({ ...glove, input: sentences });
      expect(b.words).toEqual(a.words);
      expect(b.vectors).toEqual(a.vectors);
    } finally {
      dir.remove();
    }
  });

  it('turns a sentence into one line: newlines inside a string sentence do not split it', async () => {
    expect(await text(['a b', 'c\nd', ['e', 'f'], []])).toBe('a b\nc d\ne f\n\n');
    expect(await text({ text: ['a b', 'c\nd'] })).toBe('a bc\nd');
    expect(await text([new TextEncoder().encode('x y\n'), 'z'])).toBe('x y\nz\n');
  });

  it('rejects what is not a corpus with a Wasm2VecError naming the sentence and word', async () => {
    await expect(text([['a', 'b c']])).rejects.toThrow(/sentence 0, word 1 "b c" contains whitespace/);
    await expect(text([['a'], ['b', '']])).rejects.toThrow(/sentence 1, word 1 is an empty string/);
    await expect(text(['a', 42 as unknown as string])).rejects.toThrow(/sentence 1 is number 42: a sentence is a string or an array of words/);
    await expect(text([['a', 7 as unknown as string]])).rejects.toThrow(Wasm2VecError);
    await expect(text({ text: [{}] as unknown as string[] })).rejects.toThrow(/text chunk 0 is an object/);
    await expect(text(Readable.from([['a', 'b']]))).rejects.toThrow(/text chunk 0 is an array: .*pass sentences as an \(async\) iterable/);
    for (const bad of [42, {}, { text: 5 }, null, true]) {
      await expect(train({ input: bad as unknown as string })).rejects.toThrow(Wasm2VecError);
    }
    await expect(train({ input: {} as unknown as string })).rejects.toThrow(/option input must be a corpus file path, "-" \(standard input\), a Readable/);
    await expect(trainGlove({ input: 5 as unknown as string })).rejects.toThrow(/option input must be/);
  });
});

import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readCorpusText } from '../../src/corpus/source.js';
import { END_OF_LINE, tokenizeWhitespace } from '../../src/corpus/tokenizer.js';
import { Wasm2VecError } from '../../src/errors.js';
import { chunksOf, collectTokens, tempDir } from '../helpers.js';

async function* bytes(...parts: number[][]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield Uint8Array.from(p);
}

describe('tokenizer', () => {
  it('splits on Unicode whitespace and marks every line end with </s>', async () => {
    const text = 'a\u00a0b\u3000c\td\r\ne  f\n\ng\u2003h\u0085i';
    expect(await collectTokens(chunksOf(text, 1000))).toEqual(['a', 'b', 'c', 'd', END_OF_LINE, 'e', 'f', END_OF_LINE, END_OF_LINE, 'g', 'h', 'i']);
  });

  it('gives the same tokens whatever the chunk boundaries', async () => {
    const text = 'the quick brown fox\njumps over\tthe lazy dog \n héllo wörld 日本語 テキスト\n';
    const expected = await collectTokens(chunksOf(text, text.length));
    for (const size of [1, 2, 3, 5, 7, 13]) expect(await collectTokens(chunksOf(text, size))).toEqual(expected);
    expect(expected).toContain('héllo');
    expect(expected).toContain('日本語');
  });

  it('streams a single long line without waiting for its end', async () => {
    // An endless line: the tokenizer must yield words long before the input stops.
    let produced = 0;
    async function* endless() {
      for (;;) {
        produced++;
        yield 'anarchism originated as a term of abuse '.repeat(10_000);
      }
    }
    const iterator = tokenizeWhitespace(endless());
    const first = await iterator.next();
    await iterator.return(undefined);
    expect(first.value!.slice(0, 3)).toEqual(['anarchism', 'originated', 'as']);
    expect(produced).toBeLessThanOrEqual(2);
  });

  it('tokenizes a 5 MB one-line corpus exactly like a plain split', async () => {
    const words = Array.from({ length: 1_100_000 }, (_, i) => `w${i % 997}`);
    const text = ' ' + words.join(' ');
    expect(text.length).toBeGreaterThan(4_000_000);
    const tokens = await collectTokens(chunksOf(text, 1 << 20));
    expect(tokens.length).toBe(words.length);
    expect(tokens).toEqual(words);
  });
});

describe('corpus reader', () => {
  it('replaces invalid UTF-8 instead of failing', async () => {
    const text: string[] = [];
    for await (const t of readCorpusText(bytes([0x61, 0xff, 0x62, 0x20, 0x63, 0xc3]))) text.push(t);
    expect(await collectTokens(readCorpusText(bytes([0x61, 0xff, 0x62, 0x20, 0x63])))).toEqual(['a\ufffdb', 'c']);
    expect(text.join('')).toBe('a\ufffdb c\ufffd');
  });

  it('decodes characters split across byte chunks', async () => {
    // "é x" with é's two bytes in different chunks.
    expect(await collectTokens(readCorpusText(bytes([0xc3], [0xa9, 0x20, 0x78])))).toEqual(['é', 'x']);
  });

  it('reads plain and gzip files, detecting gzip from the content', async () => {
    const dir = tempDir();
    try {
      const text = 'one two three\nfour five\n';
      const plain = join(dir.path, 'corpus.txt');
      const gz = join(dir.path, 'corpus.data'); // gzip without a .gz name
      writeFileSync(plain, text);
      writeFileSync(gz, gzipSync(text));
      const expected = ['one', 'two', 'three', END_OF_LINE, 'four', 'five', END_OF_LINE];
      expect(await collectTokens(readCorpusText(plain))).toEqual(expected);
      expect(await collectTokens(readCorpusText(gz))).toEqual(expected);
    } finally {
      dir.remove();
    }
  });

  it('names the file when it cannot be opened or is corrupt gzip', async () => {
    const dir = tempDir();
    try {
      const missing = join(dir.path, 'missing.txt');
      await expect(collectTokens(readCorpusText(missing))).rejects.toThrow(Wasm2VecError);
      await expect(collectTokens(readCorpusText(missing))).rejects.toThrow(/missing\.txt/);
      const broken = join(dir.path, 'broken.gz');
      writeFileSync(broken, Buffer.concat([gzipSync('some words here '.repeat(1000)).subarray(0, 40), Buffer.alloc(40, 7)]));
      await expect(collectTokens(readCorpusText(broken))).rejects.toThrow(/broken\.gz.*gzip/);
      await expect(collectTokens(readCorpusText(dir.path))).rejects.toThrow(/directory/);
    } finally {
      dir.remove();
    }
  });
});

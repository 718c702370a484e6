import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteVocabularyCounter, MAX_WORD_BYTES } from '../../src/corpus/byte-counter.js';
import { countCorpusVocabulary } from '../../src/corpus/count-vocabulary.js';
import { IdSpool } from '../../src/corpus/id-spool.js';
import { encodeText, sampleText, tempDir } from '../helpers.js';

function countBytes(bytes: Uint8Array, chunkSize: number, minCount: number, maxVocabSize?: number) {
  const spool = new IdSpool();
  const counter = new ByteVocabularyCounter(spool, maxVocabSize);
  for (let i = 0; i < bytes.length; i += chunkSize) counter.add(bytes.subarray(i, i + chunkSize));
  counter.end();
  spool.finish();
  const { vocabulary, remap } = counter.finish(minCount);
  const ids: number[] = [];
  for (const block of spool.blocks()) for (const id of block) if (remap[id] >= 0) ids.push(remap[id]);
  spool.dispose();
  return { vocabulary, ids, tokens: counter.totalTokens };
}

describe('byte-level vocabulary counter', () => {
  it('gives the same vocabulary and ids as the string tokenizer, at every chunk boundary', async () => {
    const text = 'the quick\u00a0brown fox\njumps\u3000over the\tlazy dog\r\n日本語 テキスト the\u2003fox\u202fé\u0085x  \n\nthe end';
    const expected = await encodeText(text, 1);
    const bytes = new TextEncoder().encode(text);
    for (let size = 1; size <= bytes.length; size++) {
      const got = countBytes(bytes, size, 1);
      expect(got.vocabulary.words, `chunk ${size}`).toEqual(expected.vocabulary.words);
      expect(Array.from(got.vocabulary.counts)).toEqual(Array.from(expected.vocabulary.counts));
      expect(got.ids).toEqual(Array.from(expected.ids));
    }
  });

  it('matches the string path on random text with Unicode spaces and invalid UTF-8, in random chunks', async () => {
    // Fragments: words, ASCII and Unicode spaces, line ends, and bytes that start or cut a
    // multi-byte space (0xc2, 0xe1–0xe3 leads) or are not UTF-8 at all.
    const fragments: number[][] = [
      [0x61], [0x62, 0x63], [0xc3, 0xa9], [0x20], [0x09], [0x0a], [0x0d], [0x0b],
      [0xc2, 0xa0], [0xc2, 0x85], [0xc2], [0xe2, 0x80, 0x83], [0xe2, 0x80], [0xe2, 0x81, 0x9f], [0xe3, 0x80, 0x80],
      [0xe1, 0x9a, 0x80], [0xe1, 0x9a], [0xe2, 0x80, 0xaf], [0xe2, 0x80, 0x8b], [0xff], [0xfe, 0x61], [0xe3],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: fragments.length - 1 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 9 }),
        async (picks, chunkSize) => {
          const bytes = Uint8Array.from(picks.flatMap((p) => fragments[p]).concat([0x20, 0x7a]));
          const text = new TextDecoder().decode(bytes);
          const expected = await encodeText(text, 1);
          const got = countBytes(bytes, chunkSize, 1);
          expect(got.vocabulary.words).toEqual(expected.vocabulary.words);
          expect(Array.from(got.vocabulary.counts)).toEqual(Array.from(expected.vocabulary.counts));
          expect(got.ids).toEqual(Array.from(expected.ids));
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('matches the string path on a real corpus slice', async () => {
    const text = sampleText(50_000);
    const expected = await encodeText(text, 3);
    const got = countBytes(new TextEncoder().encode(text), 65_536, 3);
    expect(got.vocabulary.words).toEqual(expected.vocabulary.words);
    expect(got.ids).toEqual(Array.from(expected.ids));
    expect(got.tokens).toBe(50_000);
  });

  it('grows its tables, arena and id buffer past their first sizes', async () => {
    // 80 000 distinct words (past 4 096 word slots and 32 768 table entries), 30 000 of them
    // 60 bytes long (past the 1 MiB arena), and 1.2 M words (past the 1 Mi-id buffer).
    const words: string[] = [];
    for (let i = 0; i < 80_000; i++) words.push(i % 8 < 3 ? `${'long'.repeat(14)}${i}` : `w${i}`);
    const parts: string[] = [];
    for (let i = 0; i < 1_200_000; i++) parts.push(words[(i * 7919) % words.length] + (i % 97 === 0 ? '\n' : ' '));
    const text = parts.join('');
    const expected = await encodeText(text, 1);
    const got = countBytes(new TextEncoder().encode(text), 1 << 20, 1);
    expect(got.vocabulary.size).toBe(expected.vocabulary.size);
    expect(got.vocabulary.words).toEqual(expected.vocabulary.words);
    expect(Array.from(got.vocabulary.counts)).toEqual(Array.from(expected.vocabulary.counts));
    expect(got.ids.length).toBe(expected.ids.length);
    expect(Int32Array.from(got.ids)).toEqual(expected.ids);
    expect(got.tokens).toBe(1_200_000 + 12_372); // words and line ends
  });

  it('merges byte variants that decode to the same word (invalid UTF-8 → U+FFFD)', () => {
    // "a\xffb" and "a\xfeb" both decode to "a\ufffdb".
    const bytes = Uint8Array.from([0x61, 0xff, 0x62, 0x20, 0x61, 0xfe, 0x62, 0x20, 0x63]);
    const got = countBytes(bytes, 3, 1);
    expect(got.vocabulary.words).toEqual(['</s>', 'a\ufffdb', 'c']);
    expect(Array.from(got.vocabulary.counts)).toEqual([0, 2, 1]);
    expect(got.ids).toEqual([1, 1, 2]);
  });

  it('keeps rare byte variants that reach minCount together, and drops rare ASCII words', () => {
    // "a\xffb" and "a\xfeb" (3 each) both decode to "a\ufffdb": 6 ≥ 5. "rare" (4) is dropped.
    const variant = (b: number) => [0x61, b, 0x62, 0x20];
    const bytes = Uint8Array.from([
      ...[0, 1, 2].flatMap(() => [...variant(0xff), ...variant(0xfe)]),
      ...new TextEncoder().encode('rare rare rare rare often often often often often '),
    ]);
    const got = countBytes(bytes, 7, 5);
    expect(got.vocabulary.words).toEqual(['</s>', 'a\ufffdb', 'often']);
    expect(Array.from(got.vocabulary.counts)).toEqual([0, 6, 5]);
    expect(got.ids).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
  });

  it('names minCount when no word is frequent enough', () => {
    expect(() => countBytes(new TextEncoder().encode('a b a c'), 3, 5)).toThrow(/no word occurs at least 5 times/);
  });

  it('treats a literal </s> as the line-end token, as word2vec.c does', () => {
    const got = countBytes(new TextEncoder().encode('a </s> b\nc'), 4, 1);
    expect(got.ids).toEqual([1, 0, 2, 0, 3]);
  });

  it('truncates a gigantic token instead of holding it', () => {
    const huge = 'x'.repeat(3 * MAX_WORD_BYTES + 17);
    const got = countBytes(new TextEncoder().encode(`a ${huge} b ${huge}`), 1000, 1);
    expect(got.vocabulary.words.slice(1).sort()).toEqual(['a', 'b', 'x'.repeat(MAX_WORD_BYTES)].sort());
    expect(got.tokens).toBe(4);
  });

  it('does not truncate a word of MAX_WORD_BYTES − 1 bytes whose following space is cut by the chunk end', async () => {
    const long = 'x'.repeat(MAX_WORD_BYTES - 1);
    const text = `a ${long}\u2000b ${long}\u3000`;
    const expected = await encodeText(text, 1);
    const bytes = new TextEncoder().encode(text);
    // Chunks that end inside the 3-byte spaces, one or two bytes in.
    for (const size of [MAX_WORD_BYTES + 2, MAX_WORD_BYTES + 3, 2 * MAX_WORD_BYTES + 5, 2 * MAX_WORD_BYTES + 6]) {
      const got = countBytes(bytes, size, 1);
      expect(got.vocabulary.words, `chunk ${size}`).toEqual(expected.vocabulary.words);
      expect(got.ids, `chunk ${size}`).toEqual(Array.from(expected.ids));
    }
  });

  it('prunes like word2vec.c when maxVocabSize is reached', () => {
    const got = countBytes(new TextEncoder().encode('a a a b c a d e f a g'), 5, 1, 4);
    expect(got.vocabulary.words[1]).toBe('a');
    expect(got.vocabulary.counts[1]).toBe(5);
    expect(got.vocabulary.size).toBeLessThanOrEqual(4);
  });

  it('counts a file split across worker threads exactly as in one pass', async () => {
    const dir = tempDir();
    try {
      // Lines of varying length, Unicode spaces and a long single-line stretch, so that split
      // points fall after spaces and after line ends.
      const words = sampleText(60_000).split(' ').filter((w) => w.length > 0);
      const lines: string[] = [];
      for (let i = 0; i < words.length; ) {
        const n = 1 + ((i * 7) % 40);
        lines.push(words.slice(i, i + n).join(i % 3 === 0 ? '\u3000' : ' '));
        i += n;
      }
      const path = join(dir.path, 'corpus.txt');
      writeFileSync(path, `${lines.join('\n')}\n${words.slice(0, 20_000).join(' ')}`);
      const run = async (threads: number) => {
        const spool = new IdSpool();
        const got = await countCorpusVocabulary(path, spool, { minCount: 2, threads, parallelMinBytes: 0 });
        const ids: number[] = [];
        for (const block of spool.blocks()) for (const id of block) ids.push(got.remap[id]);
        spool.dispose();
        return { words: got.vocabulary.words, counts: Array.from(got.vocabulary.counts), tokens: got.corpusTokens, ids };
      };
      const one = await run(1);
      expect(one.tokens).toBe(words.length + 20_000 + lines.length); // words and line ends
      for (const threads of [2, 3, 5]) expect(await run(threads), `${threads} threads`).toEqual(one);
      const spool = new IdSpool();
      await expect(countCorpusVocabulary(path, spool, { minCount: 2, threads: 2, parallelMinBytes: 0, signal: AbortSignal.abort() })).rejects.toThrow(/aborted/);
      spool.dispose();
    } finally {
      dir.remove();
    }
  });
});

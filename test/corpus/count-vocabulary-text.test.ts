import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { countTextVocabulary, countVocabulary } from '../../src/corpus/count-vocabulary.js';
import { IdSpool } from '../../src/corpus/id-spool.js';
import type { TokenizeOptions } from '../../src/corpus/tokenizer.js';
import { train } from '../../src/word2vec/train.js';
import { tempDir } from '../helpers.js';

// Workers run the compiled dist/ (npm run build:ts first).
const SAMPLE = new URL('../../data/zhwiki-sample.txt.gz', import.meta.url).pathname;
const CHARS_MODULE = new URL('./fixtures/chars.mjs', import.meta.url).pathname;
const THREAD_TAGGED_MODULE = new URL('./fixtures/thread-tagged.mjs', import.meta.url).pathname;

describe('the text vocabulary pass on worker threads', () => {
  it('gives the vocabulary, order and ids of one pass for the unicode, jieba and module tokenizers', async () => {
    const dir = tempDir();
    try {
      // The first 400 lines of the Chinese sample with a BOM first, then a U+FEFF and a long line
      // without line ends (split at a space), and no final line end.
      const zh = gunzipSync(readFileSync(SAMPLE)).toString('utf8').split('\n').slice(0, 400);
      const path = join(dir.path, 'corpus.txt');
      writeFileSync(path, `\ufeff${zh.join('\n')}\n\ufeff北京 ${'上海 Tokyo 東京 '.repeat(3000)}最後`);
      const run = async (threads: number, options: TokenizeOptions) => {
        const spool = new IdSpool();
        const got = await countVocabulary(path, spool, { minCount: 2, threads, parallelMinBytes: 0, ...options });
        const ids: number[] = [];
        for (const block of spool.blocks()) for (const id of block) ids.push(got.remap[id]);
        spool.dispose();
        return { words: got.vocabulary.words, counts: Array.from(got.vocabulary.counts), tokens: got.corpusTokens, ids };
      };
      const cases: [string, TokenizeOptions][] = [
        ['unicode', { tokenizer: 'unicode' }],
        ['jieba t2s', { tokenizer: 'jieba', normalize: 't2s' }],
        ['module', { tokenizer: { module: CHARS_MODULE }, lowercase: true }],
        ['whitespace NFKC', { normalize: 'NFKC' }],
      ];
      for (const [name, options] of cases) {
        const one = await run(1, options);
        expect(one.tokens, name).toBeGreaterThan(10_000);
        for (const threads of [2, 3]) expect(await run(threads, options), `${name}, ${threads} threads`).toEqual(one);
      }
      const spool = new IdSpool();
      await expect(countTextVocabulary(path, spool, { minCount: 2, threads: 2, parallelMinBytes: 0, tokenizer: 'unicode', signal: AbortSignal.abort() })).rejects.toThrow(/aborted/);
      spool.dispose();
    } finally {
      dir.remove();
    }
  });

  it('runs on the worker threads when a trainer calls it (its "no maxVocabSize" is Number.MAX_SAFE_INTEGER)', async () => {
    const dir = tempDir();
    try {
      // Over the 4 MiB split size of the text pass: 2 threads split it, and the tokenizer tags each
      // piece of text with the thread that tokenized it.
      const path = join(dir.path, 'corpus.txt');
      writeFileSync(path, 'alpha beta gamma delta epsilon zeta eta theta\n'.repeat(100_000));
      const tokenizer = { module: THREAD_TAGGED_MODULE };
      const small = { input: path, tokenizer, dim: 8, epochs: 1, minCount: 1, sample: 0 } as const;
      const two = await train({ ...small, threads: 2 });
      expect(two.vocab.has('@worker')).toBe(true);
      expect(two.vocab.has('@main')).toBe(true);
      const one = await train({ ...small, threads: 1 });
      expect(one.vocab.has('@worker')).toBe(false);
      // A real limit keeps the pass on one thread (its pruning depends on the order of the whole text).
      const limited = await train({ ...small, threads: 2, maxVocabSize: 1_000 });
      expect(limited.vocab.has('@worker')).toBe(false);
    } finally {
      dir.remove();
    }
  });
});

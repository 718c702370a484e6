// The phrase kernels against the scalar reference of word2phrase.c (test/reference/word2phrase.ts)
// on random texts made of the bytes its tokenizer treats specially: spaces, tabs, line ends, '\r',
// NUL, '_' (joined pairs and words share one table), literal "</s>", words past 179 bytes, UTF-8,
// and files that end inside a word. One thread and three (ranges split after separators).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { phraseCorpus } from '../../src/phrases/learn.js';
import { word2phraseReference } from '../reference/word2phrase.js';
import { tempDir } from '../helpers.js';

const PIECES = ['a', 'b', 'c', 'd', 'a', 'b', 'c', 'a', 'b', 'ab', 'a_b', '_', 'b_', ' ', ' ', ' ', '  ', '\t', '\n', '\n', '\r', '\r\n', '\0', '</s>', 'x'.repeat(178), 'y'.repeat(185), 'é'];

describe('phrases against the word2phrase.c reference', () => {
  it('gives the same bytes on random texts, thresholds and min-counts, on 1 and 3 threads', async () => {
    const dir = tempDir();
    let n = 0;
    let joined = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.constantFrom(...PIECES), { minLength: 0, maxLength: 600, size: 'max' }),
          fc.constantFrom(0, 0.5, 3, 40),
          fc.integer({ min: 1, max: 3 }),
          async (pieces, threshold, minCount) => {
            // Mostly words with spaces, so that pairs repeat and join.
            const text = Buffer.from(pieces.map((p) => (p.trim() === p && p !== '\0' && p !== '\r' ? `${p} ` : p)).join(''), 'utf8');
            const input = join(dir.path, `in${n++}.txt`);
            writeFileSync(input, text);
            const expected = word2phraseReference(text, threshold, minCount);
            if (!Buffer.from(expected).equals(Buffer.from(word2phraseReference(text, Infinity, minCount)))) joined++;
            for (const threads of [1, 3]) {
              const output = `${input}.${threads}.out`;
              await phraseCorpus({ input, output, threshold, minCount, threads, parallelMinBytes: 1 });
              expect(Buffer.from(readFileSync(output)).equals(Buffer.from(expected)), `threads ${threads}`).toBe(true);
            }
          },
        ),
        { numRuns: 40, seed: 18 },
      );
      expect(joined).toBeGreaterThan(10); // most texts had pairs joined
    } finally {
      dir.remove();
    }
  }, 120_000);
});

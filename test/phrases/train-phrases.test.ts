// train({ phrases }) and trainGlove({ phrases }): learned phrases are joined into the tokens in the
// vocabulary pass, so the joined pairs become words of the model, with the counts Phrases.apply gives.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { train } from '../../src/word2vec/train.js';
import { trainGlove } from '../../src/glove/train.js';
import { learnPhrases } from '../../src/phrases/learn.js';
import { tempDir } from '../helpers.js';

const PLAIN = new URL('./fixtures/phrases-corpus-plain.txt', import.meta.url).pathname;
const small = { dim: 8, epochs: 1, minCount: 5, threads: 1 } as const;

/** Token counts of the corpus with the phrases joined line by line (the independent count). */
function expectedCounts(apply: (tokens: string[]) => string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(PLAIN, 'utf8').split('\n')) {
    for (const token of apply(line.split(' ').filter((t) => t !== ''))) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return counts;
}

describe('train({ phrases })', () => {
  it('word2vec: joined pairs are words, counted as Phrases.apply joins them; object, file and settings agree', async () => {
    const phrases = await learnPhrases({ input: PLAIN, threshold: 30, threads: 1 });
    const counts = expectedCounts((t) => phrases.apply(t));
    expect(counts.get('united_states')).toBeGreaterThan(50);
    const dir = tempDir();
    try {
      const file = join(dir.path, 'phrases.txt');
      await phrases.save(file);
      for (const option of [phrases, file, { threshold: 30 }]) {
        const model = await train({ input: PLAIN, ...small, phrases: option });
        for (const word of ['united_states', 'prime_minister', 'los_angeles', 'san_francisco', 'new']) {
          expect(model.words.includes(word), word).toBe(true);
        }
        expect(model.words.includes('los')).toBe(counts.get('los')! >= 5);
        expect(model.words.length).toBe([...counts.values()].filter((c) => c >= 5).length + 1); // + </s>
      }
    } finally {
      dir.remove();
    }
  });

  it('GloVe: the same words, on one thread and on two', async () => {
    const phrases = await learnPhrases({ input: PLAIN, threshold: 30, threads: 1 });
    const counts = expectedCounts((t) => phrases.apply(t));
    const frequent = [...counts.entries()].filter(([, c]) => c >= 5).map(([w]) => w).sort();
    for (const threads of [1, 2]) {
      const model = await trainGlove({ input: PLAIN, dim: 4, epochs: 1, minCount: 5, threads, phrases });
      expect([...model.words].sort()).toEqual(frequent);
    }
  });

  it('rejects a bad phrases option at the edge, and settings with a corpus it cannot read twice', async () => {
    await expect(train({ input: PLAIN, ...small, phrases: 5 as never })).rejects.toThrow(/option phrases must be a Phrases object/);
    await expect(train({ input: PLAIN, ...small, phrases: { treshold: 10 } as never })).rejects.toThrow(/unknown option "treshold" \(did you mean "threshold"\?\)/);
    await expect(train({ input: [['a', 'b']], ...small, phrases: { threshold: 10 } })).rejects.toThrow(/input must be a file path/);
    const dir = tempDir();
    try {
      const bad = join(dir.path, 'bad.txt');
      writeFileSync(bad, 'not phrases\n');
      await expect(trainGlove({ input: PLAIN, dim: 4, epochs: 1, phrases: bad })).rejects.toThrow(/bad\.txt: line 1 is not/);
    } finally {
      dir.remove();
    }
  });
});

// Every trainer takes the same text options through the one vocabulary pass (countVocabulary), and
// rejects option keys it does not know.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { train, trainGlove } from '../../src/index.js';
import { tempDir } from '../helpers.js';

describe('text options for every trainer', () => {
  it('GloVe and word2vec lowercase, normalise and segment alike', async () => {
    const dir = tempDir();
    const corpus = join(dir.path, 'mixed.txt');
    const lines = ['Ｔｈｅ KING rules the Land', 'the king and the QUEEN rule the land', '北京是中国的首都', 'the Queen and the King'];
    writeFileSync(corpus, Array.from({ length: 30 }, (_, i) => lines[i % lines.length]).join('\n') + '\n');
    const text = { tokenizer: 'unicode', lowercase: true, normalize: 'NFKC' } as const;
    const w2v = await train({ input: corpus, ...text, minCount: 1, dim: 8, epochs: 1, threads: 1 });
    const glove = await trainGlove({ input: corpus, ...text, minCount: 1, dim: 8, epochs: 1, threads: 1 });
    const words = new Set(glove.words);
    expect(words.has('the') && words.has('king') && words.has('queen')).toBe(true);
    expect(words.has('KING') || words.has('Ｔｈｅ')).toBe(false);
    expect([...words].some((w) => /[\u4e00-\u9fff]/.test(w) && w.length < '北京是中国的首都'.length)).toBe(true);
    // The same vocabulary (word2vec keeps </s>, GloVe does not).
    expect(new Set(w2v.words.filter((w) => w !== '</s>'))).toEqual(words);
    dir.remove();
  });

  it('rejects unknown option keys with the nearest known one', async () => {
    await expect(train({ input: 'x', iter: 5 } as never)).rejects.toThrow(/unknown option "iter" \(did you mean "epochs"\?\)/);
    await expect(train({ input: 'x', dimm: 5 } as never)).rejects.toThrow(/unknown option "dimm" \(did you mean "dim"\?\)/);
    await expect(trainGlove({ input: 'x', vectorSize: 50 } as never)).rejects.toThrow(/unknown option "vectorSize" \(did you mean "dim"\?\)/);
    await expect(trainGlove({ input: 'x', lowercas: true } as never)).rejects.toThrow(/did you mean "lowercase"/);
  });
});

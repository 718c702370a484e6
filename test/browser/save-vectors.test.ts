// vectorsBlob (the browser build's save, into a Blob): the same bytes as KeyedVectors.save writes to a
// file, in every word-vector format, so a model downloaded from a page reads back like a saved one.
// Runs in Node.js (which has Blob): the writers are the same code the browser bundle carries.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vectorsBlob } from '../../src/browser/save-vectors.js';
import { Wasm2VecError } from '../../src/errors.js';
import type { EmbeddingFormat } from '../../src/formats/types.js';
import { tempDir } from '../helpers.js';
import { randomModel } from '../serve/helpers.js';

describe('vectorsBlob', () => {
  // more rows than one writer buffer (1 MiB) holds, so the writer reuses its buffer between calls
  const model = randomModel(7000, 40, 9);

  for (const format of ['fasttext-vec', 'word2vec-text', 'word2vec-binary', 'glove-text'] as EmbeddingFormat[]) {
    it(`${format}: the bytes of KeyedVectors.save`, async () => {
      const dir = tempDir();
      try {
        const path = join(dir.path, `model.${format}`);
        await model.save(path, { format });
        const saved = readFileSync(path);
        expect(saved.length).toBeGreaterThan(1 << 20);
        const blob = await vectorsBlob(model, { format });
        expect(Buffer.from(await blob.arrayBuffer()).equals(saved)).toBe(true);
      } finally {
        dir.remove();
      }
    });
  }

  it('refuses fasttext-bin (it needs a subword model) with a message naming the formats it writes', async () => {
    await expect(vectorsBlob(model, { format: 'fasttext-bin' })).rejects.toThrow(Wasm2VecError);
    await expect(vectorsBlob(model, { format: 'fasttext-bin' })).rejects.toThrow('choose fasttext-vec, word2vec-text, word2vec-binary or glove-text');
  });
});

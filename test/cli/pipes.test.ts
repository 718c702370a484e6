// The CLI in pipes and scripts: progress lines on a non-TTY stderr, binary output inferred from a
// .bin name (word2vec.c's text only with an explicit -binary 0), queries from stdin with --json,
// and fastText's print-word-vectors / print-sentence-vectors.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectEmbeddingFormat } from '../../src/formats/index.js';
import { KeyedVectors } from '../../src/model/index.js';
import { cli, sampleText, tempDir } from '../helpers.js';

const CLI = new URL('../../dist/src/cli/main.js', import.meta.url).pathname;

/** Runs the built CLI with `stdin` piped in. */
function piped(args: string[], stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
    child.stdin!.end(stdin);
  });
}

describe('the CLI in pipes', () => {
  it('writes binary for an --output ending in .bin, text with -binary 0, progress lines on a non-TTY, and answers stdin queries', async () => {
    const dir = tempDir();
    try {
      const corpus = join(dir.path, 'corpus.txt');
      writeFileSync(corpus, sampleText(30_000));
      const bin = join(dir.path, 'v.bin');
      const r = await cli(['train', '--input', corpus, '--output', bin, '--dim', '8', '--epochs', '1', '--threads', '1', '--min-count', '3']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^vocabulary: 100\.0% \| [\d,]+ words \| done in \d+s$/m);
      expect(r.stderr).toMatch(/^training: 100\.0% \| .*epoch 1, alpha .* \| done in \d+s$/m);
      expect(r.stderr).toMatch(/× 1 epoch, 1 thread,/);
      expect(r.stderr).not.toMatch(/NaN|Infinity|ETA NF|ETA LL/);
      expect(await detectEmbeddingFormat(bin)).toBe('word2vec-binary');

      const text = join(dir.path, 'w2v-text.bin');
      expect((await cli(['train', '-train', corpus, '-output', text, '-size', '8', '-iter', '1', '-threads', '1', '-binary', '0', '--quiet'])).code).toBe(0);
      expect(readFileSync(text, 'utf8')).toMatch(/^\d+ 8\n<\/s> /);

      // -save-vocab as word2vec.c: "word count" lines in vocabulary order, </s> first; -read-vocab refused clearly.
      const vocab = join(dir.path, 'vocab.txt');
      expect((await cli(['train', '-train', corpus, '-output', join(dir.path, 'v.txt'), '-size', '4', '-iter', '1', '-threads', '1', '-save-vocab', vocab, '--quiet'])).code).toBe(0);
      const vocabLines = readFileSync(vocab, 'utf8').trimEnd().split('\n');
      const textModel = await KeyedVectors.load(join(dir.path, 'v.txt'));
      expect(vocabLines.map((l) => l.split(' ')[0])).toEqual(textModel.words);
      expect(vocabLines[0]).toBe('</s> 0');
      const theCount = sampleText(30_000).split(' ').filter((w) => w === 'the').length;
      expect(vocabLines[1]).toBe(`the ${theCount}`);
      const refused = await cli(['train', '-train', corpus, '-output', join(dir.path, 'x.txt'), '-read-vocab', vocab]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^wasm2vec: -read-vocab is not supported: .*\n$/);

      const help = await cli(['train', '--help']);
      expect(help.stdout).toMatch(/\.bin → word2vec-binary/);
      expect(help.stdout).toMatch(/-binary 0 -output v\.bin" writes text/);

      const model = await KeyedVectors.load(bin);
      const q = await piped(['similar', bin, '--json', '-n', '2'], 'the\nof and\n');
      expect(q.code).toBe(0);
      const answers = q.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(answers.map((a) => a.query)).toEqual(['the', 'of and']);
      expect(answers[0].results.map((x: { word: string }) => x.word)).toEqual(model.mostSimilar('the', { topN: 2 }).map((x) => x.word));

      const a = await piped(['analogy', bin, '--json', '-n', '1'], 'the of and\n');
      expect(a.code).toBe(0);
      expect(JSON.parse(a.stdout)).toMatchObject({ query: 'the of and', a: 'the', b: 'of', c: 'and' });
    } finally {
      dir.remove();
    }
  });
});

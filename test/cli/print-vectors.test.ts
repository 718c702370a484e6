// `print-word-vectors` and `print-sentence-vectors` against what the real fastText 0.9.2 printed
// for the same models and input (test/fixtures/fasttext-README.md): byte for byte, unseen words,
// models without n-grams and empty lines included.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { run as printWords } from '../../src/cli/commands/print-word-vectors.js';
import { run as printSentences } from '../../src/cli/commands/print-sentence-vectors.js';
import type { CommandIO } from '../../src/cli/io.js';
import { Wasm2VecError } from '../../src/errors.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

function io(stdinText: string): CommandIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  stdin.end(stdinText);
  return { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, stdin, out: () => out, err: () => err };
}

describe('print-word-vectors', () => {
  for (const model of ['fasttext-tiny', 'fasttext-cbow-hs']) {
    it(`prints what fastText prints for ${model}.bin, known and unseen words`, async () => {
      const expected = readFileSync(fixture(`${model}.print-word-vectors.txt`), 'utf8');
      const words = expected.split('\n').filter((l) => l.length > 0).map((l) => l.split(' ')[0]);
      const out = io(words.join('\n') + '\n');
      expect(await printWords([fixture(`${model}.bin`)], out)).toBe(0);
      expect(out.out()).toBe(expected);
    });
  }

  it('takes words on the command line, and prints zeros for unknown words of a plain model', async () => {
    const out = io('');
    expect(await printWords([fixture('fasttext-tiny.vec'), 'drink', 'zzqx'], out)).toBe(0);
    const [drink, unknown] = out.out().split('\n');
    expect(drink).toMatch(/^drink( -?\d\.?\d*(e-?\d+)?){8} $/);
    expect(unknown).toBe('zzqx 0 0 0 0 0 0 0 0 ');
    expect(out.err()).toMatch(/"zzqx" is not in the vocabulary: zero vector/);
    await expect(printWords([], io(''))).rejects.toThrow(Wasm2VecError);
  });
});

describe('print-sentence-vectors', () => {
  for (const model of ['fasttext-tiny', 'fasttext-cbow-hs']) {
    it(`prints what fastText prints for ${model}.bin, one line per input line`, async () => {
      const out = io(readFileSync(fixture('fasttext-sentences.txt'), 'utf8'));
      expect(await printSentences([fixture(`${model}.bin`)], out)).toBe(0);
      expect(out.out()).toBe(readFileSync(fixture(`${model}.print-sentence-vectors.txt`), 'utf8'));
    });
  }

  it('needs exactly the model', async () => {
    await expect(printSentences([fixture('fasttext-tiny.bin'), 'extra'], io(''))).rejects.toThrow(/expected MODEL/);
  });
});

/**
 * fastText model formats, checked against files written by the real fastText 0.9.2 (Debian's
 * /usr/bin/fasttext; see test/fixtures/fasttext-README.md for the commands):
 *  - fasttext-tiny.bin: skipgram, dim 8, 1000 buckets, minn 3, maxn 6, on fasttext-corpus.txt;
 *  - fasttext-cbow-hs.bin: cbow, hierarchical softmax, dim 4, maxn 0 (no n-grams, 0 buckets);
 *  - *.vec: what fastText wrote next to them; *.print-word-vectors.txt: `fasttext print-word-vectors`
 *    for every vocabulary word and some unseen ones; fasttext-tiny.print-ngrams.txt: `fasttext
 *    print-ngrams` for some words (their n-grams in order, with each n-gram's row).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { run as runAnalogy } from '../../src/cli/commands/analogy.js';
import { run as runEval } from '../../src/cli/commands/eval.js';
import { run as runSimilar } from '../../src/cli/commands/similar.js';
import type { CommandIO } from '../../src/cli/io.js';
import { Wasm2VecError } from '../../src/errors.js';
import {
  FASTTEXT_MAGIC,
  detectEmbeddingFormat,
  formatG5,
  readEmbeddings,
  readFastTextBinary,
  writeEmbeddings,
  writeFastTextModel,
  type EmbeddingFormat,
} from '../../src/formats/index.js';
import { KeyedVectors } from '../../src/model/index.js';
import { SubwordVectors } from '../../src/model/subword-vectors.js';
import { fastTextHash, subwordBuckets, subwordStrings } from '../../src/corpus/subwords.js';

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
const TINY = join(FIXTURES, 'fasttext-tiny.bin');
const HS = join(FIXTURES, 'fasttext-cbow-hs.bin');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wasm2vec-fasttext-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
let counter = 0;
const file = (name: string) => join(dir, `${counter++}-${name}`);

async function load(path: string): Promise<SubwordVectors> {
  const m = await KeyedVectors.load(path);
  expect(m).toBeInstanceOf(SubwordVectors);
  return m as SubwordVectors;
}

/** "word v1 v2 ... \n" lines as fastText prints them. */
async function printed(name: string): Promise<Array<{ word: string; values: string[] }>> {
  const text = await readFile(join(FIXTURES, name), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      expect(l.endsWith(' ')).toBe(true); // every value is followed by a space
      const [word, ...values] = l.slice(0, -1).split(' ');
      return { word, values };
    });
}

const g5 = (v: ArrayLike<number>) => Array.from(v, (x) => formatG5(x));
const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('reading fastText 0.9.2 .bin models', () => {
  it('reads the arguments, dictionary and matrices', async () => {
    const m = await load(TINY);
    expect(m.size).toBe(47);
    expect(m.dim).toBe(8);
    expect(m.words[0]).toBe('</s>');
    expect(m.words).toEqual(expect.arrayContaining(['café', 'naïve', '中文', 'Ελληνικά', 'москва']));
    expect(m.subwords).toEqual({ minn: 3, maxn: 6, buckets: 1000 });
    expect(m.stride).toBe(8);
    expect(m.input.length).toBe((47 + 1000) * 8);
    expect(m.outputRows).toBe(47);
    expect(m.output!.length).toBe(47 * 8);
    expect(m.info).toEqual({
      model: 'skipgram', loss: 'ns', window: 5, epochs: 1, minCount: 1, negative: 5, sample: 1e-4, lrUpdateRate: 100, wordNgrams: 1, corpusTokens: 221,
    });
    // 201 words and 20 end-of-line tokens in the corpus, all kept (minCount 1).
    expect(m.counts!.reduce((a, b) => a + b, 0)).toBe(221);
    expect(m.counts![0]).toBe(20);

    const h = await load(HS);
    expect(h.size).toBe(45);
    expect(h.subwords).toEqual({ minn: 3, maxn: 0, buckets: 0 });
    expect(h.input.length).toBe(45 * 4);
    expect(h.info).toMatchObject({ model: 'cbow', loss: 'hs', epochs: 2, minCount: 2 });
  });

  it('vector() gives what fastText print-word-vectors prints, for known and unseen words (ASCII and not)', async () => {
    const m = await load(TINY);
    const rows = await printed('fasttext-tiny.print-word-vectors.txt');
    const unseen = rows.filter((r) => !m.has(r.word)).map((r) => r.word);
    expect(unseen).toEqual(['cafés', 'naïvely', '中文字', 'Ελλάδα', 'москвы', 'xyz', 'q', 'zz', '😀', 'Straße', 'ü', 'kingdom', 'rivers']);
    for (const { word, values } of rows) {
      // The same text as fastText's "%.5g" of the same float32 values.
      expect(g5(m.vector(word)), word).toEqual(values);
      // ...and so within fastText's printed precision.
      const v = m.vector(word);
      values.forEach((s, i) => expect(Math.abs(v[i] - Number(s))).toBeLessThanOrEqual(Math.abs(Number(s)) * 5e-5 + 1e-12));
    }
  });

  it('a model without n-grams: known words match; unseen words have none (fastText prints zeros)', async () => {
    const h = await load(HS);
    for (const { word, values } of await printed('fasttext-cbow-hs.print-word-vectors.txt')) {
      if (h.has(word)) {
        expect(g5(h.vector(word)), word).toEqual(values);
      } else {
        expect(values.every((v) => v === '0'), word).toBe(true);
        expect(h.subwordVector(word)).toBeUndefined();
        expect(() => h.vector(word)).toThrow(Wasm2VecError);
      }
    }
  });

  it('subwordStrings, subwordBuckets and fastTextHash agree with fastText print-ngrams (non-ASCII bytes sign-extended)', async () => {
    const m = await load(TINY);
    const text = await readFile(join(FIXTURES, 'fasttext-tiny.print-ngrams.txt'), 'utf8');
    const blocks = text.split(/^## /m).filter((b) => b.length > 0);
    expect(blocks.length).toBe(12);
    const row = (r: number) => m.input.subarray(r * m.stride, r * m.stride + m.dim);
    let checked = 0;
    let signMatters = 0;
    for (const block of blocks) {
      const [word, ...lines] = block.trimEnd().split('\n');
      let entries = lines.map((l) => {
        const [ngram, ...values] = l.trimEnd().split(' ');
        return { ngram, values };
      });
      if (m.has(word)) {
        // A known word's own row comes first.
        expect(entries[0].ngram).toBe(word);
        expect(g5(row(m.index(word)))).toEqual(entries[0].values);
        entries = entries.slice(1);
      }
      expect(subwordStrings(word, m.subwords), word).toEqual(entries.map((e) => e.ngram));
      const buckets = subwordBuckets(word, m.subwords);
      expect(buckets.length).toBe(entries.length);
      entries.forEach((e, i) => {
        const bytes = new TextEncoder().encode(e.ngram);
        expect(fastTextHash(bytes) % 1000).toBe(buckets[i]);
        expect(g5(row(m.size + buckets[i])), `${word}: ${e.ngram}`).toEqual(e.values);
        // Hashing the bytes unsigned (the "correct" FNV-1a) would pick another row for most non-ASCII n-grams.
        let h = 2166136261;
        for (const b of bytes) h = Math.imul(h ^ b, 16777619);
        if ((h >>> 0) % 1000 !== buckets[i]) signMatters++;
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(100);
    expect(signMatters).toBeGreaterThan(40);
  });

  it('readEmbeddings gives the words and their vectors (what fastText writes to .vec)', async () => {
    const t = await readEmbeddings(TINY);
    expect(t.format).toBe('fasttext-bin');
    const m = await load(TINY);
    expect(t.words).toEqual(m.words);
    expect(bits(t.vectors).equals(bits(m.vectors))).toBe(true);
    const vec = await readEmbeddings(join(FIXTURES, 'fasttext-tiny.vec'));
    expect(vec.format).toBe('fasttext-vec');
    expect(vec.words).toEqual(t.words);
    for (let i = 0; i < t.vectors.length; i++) expect(Math.abs(vec.vectors[i] - t.vectors[i])).toBeLessThanOrEqual(Math.abs(t.vectors[i]) * 1e-4);
  });

  it('limit keeps the first N words and every n-gram bucket', async () => {
    const full = await load(TINY);
    const m = (await KeyedVectors.load(TINY, { limit: 10 })) as SubwordVectors;
    expect(m).toBeInstanceOf(SubwordVectors);
    expect(m.words).toEqual(full.words.slice(0, 10));
    expect(bits(m.vectors).equals(bits(full.vectors.subarray(0, 80)))).toBe(true);
    expect(m.output).toBeUndefined();
    // A word past the limit is now unseen: its vector comes from its n-grams alone.
    const later = full.words[30];
    expect(bits(m.vector(later)).equals(bits(full.subwordVector(later)!))).toBe(true);
    expect(bits(m.vector('cafés')).equals(bits(full.vector('cafés')))).toBe(true);
    const t = await readEmbeddings(TINY, { limit: 3 });
    expect(t.words).toEqual(full.words.slice(0, 3));
    await expect(readFastTextBinary(TINY, { limit: 0 })).rejects.toThrow(/limit/);
  });
});

describe('writing', () => {
  it('read → write → read is bit-exact, and the file is byte-for-byte the one fastText wrote', async () => {
    for (const fixture of [TINY, HS]) {
      const m = await load(fixture);
      const p = file('copy.bin');
      await m.save(p); // .bin + subwords → fasttext-bin
      expect((await readFile(p)).equals(await readFile(fixture))).toBe(true);
      const again = await load(p);
      expect(again.words).toEqual(m.words);
      expect(again.counts).toEqual(m.counts);
      expect(again.info).toEqual(m.info);
      expect(bits(again.input).equals(bits(m.input))).toBe(true);
      expect(bits(again.output!).equals(bits(m.output!))).toBe(true);
    }
  });

  it('.vec is written exactly as fastText writes it ("%.5g " per value)', async () => {
    for (const name of ['fasttext-tiny', 'fasttext-cbow-hs']) {
      const m = await load(join(FIXTURES, `${name}.bin`));
      const p = file('out.vec');
      await m.save(p, { format: 'fasttext-vec' });
      expect((await readFile(p, 'utf8')).split('\n')).toEqual((await readFile(join(FIXTURES, `${name}.vec`), 'utf8')).split('\n'));
    }
  });

  it('a model without output, info or counts gets fastText defaults; padded rows are written without their padding', async () => {
    const words = ['</s>', 'a', 'héllo', '中文'];
    const dim = 3;
    const stride = 4;
    const buckets = 5;
    const input = new Float32Array((words.length + buckets) * stride).fill(NaN); // padding must not be written
    for (let r = 0; r < words.length + buckets; r++) for (let d = 0; d < dim; d++) input[r * stride + d] = (r + 1) * 0.25 - d * 0.125;
    const m = new SubwordVectors({ words, dim, input, stride, subwords: { minn: 2, maxn: 4, buckets } });
    const p = file('plain.bin');
    await m.save(p);
    const back = await load(p);
    expect(back.words).toEqual(words);
    expect(back.counts).toEqual([1, 1, 1, 1]);
    expect(back.info).toEqual({
      model: 'skipgram', loss: 'ns', window: 5, epochs: 5, minCount: 1, negative: 5, sample: 1e-4, lrUpdateRate: 100, wordNgrams: 1, corpusTokens: 0,
    });
    expect(back.subwords).toEqual({ minn: 2, maxn: 4, buckets });
    for (let r = 0; r < words.length + buckets; r++) {
      expect(Array.from(back.input.subarray(r * dim, (r + 1) * dim))).toEqual(Array.from(input.subarray(r * stride, r * stride + dim)));
    }
    expect(Array.from(back.output!)).toEqual(new Array(words.length * dim).fill(0));
    expect(bits(back.vectors).equals(bits(m.vectors))).toBe(true);
    expect(bits(back.vector('héllos')).equals(bits(m.vector('héllos')))).toBe(true);

    // Counts given, no info: ntokens is their sum. A hierarchical-softmax output of words − 1 rows is padded.
    const output = new Float32Array((words.length - 1) * stride).fill(0.5);
    const withOutput = new SubwordVectors({ words, dim, input, stride, subwords: { minn: 2, maxn: 4, buckets }, counts: [7, 5, 3, 2], output, outputRows: 3 });
    const q = file('hs.bin');
    await withOutput.save(q, { format: 'fasttext-bin' });
    const hs = await load(q);
    expect(hs.info!.corpusTokens).toBe(17);
    expect(hs.counts).toEqual([7, 5, 3, 2]);
    expect(Array.from(hs.output!)).toEqual([...new Array(9).fill(0.5), 0, 0, 0]);
  });

  it('refuses what fastText could not load, and plain word vectors', async () => {
    const words = ['a', 'b'];
    const input = new Float32Array((2 + 3) * 2);
    const ok = { words, dim: 2, input, stride: 2, subwords: { minn: 1, maxn: 2, buckets: 3 } };
    await expect(writeFastTextModel(file('x.bin'), { ...ok, words: ['a', 'a'] })).rejects.toThrow(/duplicate word "a"/);
    await expect(writeFastTextModel(file('x.bin'), { ...ok, words: ['a', 'b\0c'] })).rejects.toThrow(/NUL/);
    await expect(writeFastTextModel(file('x.bin'), { ...ok, input: new Float32Array(4) })).rejects.toThrow(/input matrix holds 4 floats/);
    await expect(writeFastTextModel(file('x.bin'), { ...ok, counts: [1] })).rejects.toThrow(/1 counts for 2 words/);
    const nan = input.slice();
    nan[7] = NaN;
    await expect(writeFastTextModel(file('x.bin'), { ...ok, input: nan })).rejects.toThrow(/non-finite value NaN \(n-gram bucket 1, column 1\)/);
    await expect(writeFastTextModel(file('x.bin'), { ...ok, output: new Float32Array(6), outputRows: 3 })).rejects.toThrow(/3 rows/);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);

    const plain = new KeyedVectors(['a', 'b'], 2, new Float32Array(4));
    await expect(plain.save(file('p.bin'), { format: 'fasttext-bin' })).rejects.toThrow(/needs subword vectors/);
    await expect(writeEmbeddings(file('p.bin'), { words: ['a'], dim: 1, vectors: new Float32Array(1) }, { format: 'fasttext-bin' })).rejects.toThrow(
      /cannot write a table of word vectors as fasttext-bin/,
    );
    // Plain vectors saved to .bin are still word2vec binary.
    const p = file('w2v.bin');
    await plain.save(p);
    expect(await detectEmbeddingFormat(p)).toBe('word2vec-binary');
  });
});

describe('detection', () => {
  it('detects a .bin model by its magic number, whatever the file is called', async () => {
    for (const name of ['model.txt', 'model.vec', 'model']) {
      const p = file(name);
      await copyFile(TINY, p);
      expect(await detectEmbeddingFormat(p)).toBe('fasttext-bin');
      expect(await KeyedVectors.load(p)).toBeInstanceOf(SubwordVectors);
    }
  });

  it('a word2vec binary file is still word2vec binary, and plain formats still load as KeyedVectors', async () => {
    const m = await load(TINY);
    const p = file('plain.bin');
    await writeEmbeddings(p, { words: [...m.words], dim: m.dim, vectors: m.vectors }, { format: 'word2vec-binary' });
    expect(await detectEmbeddingFormat(p)).toBe('word2vec-binary');
    const k = await KeyedVectors.load(p);
    expect(k).not.toBeInstanceOf(SubwordVectors);
    expect(bits(k.vectors).equals(bits(m.vectors))).toBe(true);
  });
});

describe('"%.5g" (C printf, as fastText\'s ostream << setprecision(5))', () => {
  it('hard cases, checked against glibc printf', () => {
    const cases: [number, string][] = [
      [0, '0'], [-0, '-0'], [0.5, '0.5'], [1, '1'], [-2, '-2'], [0.123456, '0.12346'], [12.3456789, '12.346'],
      [9.99995e-5, '0.0001'], [1e-4, '0.0001'], [0.000099999, '9.9999e-05'], [1e-5, '1e-05'], [-1.5e-5, '-1.5e-05'],
      [123456, '1.2346e+05'], [99999, '99999'], [99999.5, '1e+05'], [100000, '1e+05'], [1e10, '1e+10'],
      // exact ties round half to even
      [1.03125, '1.0312'], [1.09375, '1.0938'], [123455, '1.2346e+05'], [123465, '1.2346e+05'],
      [3.4028234663852886e38, '3.4028e+38'], [1.4e-45, '1.4013e-45'], [1.1754943508222875e-38, '1.1755e-38'],
    ];
    for (const [x, want] of cases) expect(formatG5(x), String(x)).toBe(want);
  });

  it('the fastText .vec writer prints values as "%.5g " and the reader takes them back', async () => {
    const t = { words: ['</s>', 'the', 'é'], dim: 2, vectors: new Float32Array([0.5, -0.25, 1, 0.0078125, -1e-9, 12.3456789]) };
    const p = file('t.vec');
    await writeEmbeddings(p, t, { format: 'fasttext-vec' });
    expect(await readFile(p, 'utf8')).toBe('3 2\n</s> 0.5 -0.25 \nthe 1 0.0078125 \né -1e-09 12.346 \n');
    const r = await readEmbeddings(p);
    expect(r.format).toBe('fasttext-vec');
    expect(Array.from(r.vectors)).toEqual(Array.from(new Float32Array([0.5, -0.25, 1, 0.0078125, -1e-9, 12.346])));
  });
});

// ---------------------------------------------------------------------------------------------------
// Hostile files

/** Byte offsets of the fixture's parts (walks the layout described in src/formats/fasttext-binary.ts). */
function layout(b: Buffer) {
  const nwords = b.readInt32LE(68);
  const dim = b.readInt32LE(8);
  const bucket = b.readInt32LE(40);
  let p = 92;
  const entries: number[] = [];
  for (let i = 0; i < nwords; i++) {
    entries.push(p);
    p = b.indexOf(0, p) + 1 + 9;
  }
  const quant = p;
  const inputHeader = quant + 1;
  const inputData = quant + 17;
  const qout = inputData + (nwords + bucket) * dim * 4;
  const outputHeader = qout + 1;
  const outputData = qout + 17;
  expect(outputData + nwords * dim * 4).toBe(b.length);
  return { nwords, dim, bucket, entries, quant, inputHeader, inputData, qout, outputHeader, outputData };
}

describe('hostile .bin files are rejected with the problem and its byte offset', () => {
  let tiny: Buffer;
  let L: ReturnType<typeof layout>;
  beforeAll(async () => {
    tiny = await readFile(TINY);
    L = layout(tiny);
  });

  async function rejects(bytes: Buffer, format: EmbeddingFormat | 'auto', ...patterns: (string | RegExp)[]): Promise<string> {
    const p = file('hostile.bin');
    await writeFile(p, bytes);
    let error: unknown;
    try {
      await readEmbeddings(p, { format });
    } catch (err) {
      error = err;
    }
    expect(error, `should reject (${patterns.join(', ')})`).toBeInstanceOf(Wasm2VecError);
    const message = (error as Error).message;
    expect(message).toContain(p);
    for (const pattern of patterns) {
      if (typeof pattern === 'string') expect(message).toContain(pattern);
      else expect(message).toMatch(pattern);
    }
    // KeyedVectors.load goes through the same reader.
    await expect(KeyedVectors.load(p, { format })).rejects.toThrow(Wasm2VecError);
    return message;
  }
  const patched = (edit: (b: Buffer) => void): Buffer => {
    const b = Buffer.from(tiny);
    edit(b);
    return b;
  };

  it('truncated anywhere', async () => {
    const cuts = [
      1, 3, 6, 20, 63, 64, 80, 91, L.entries[1] + 2, L.entries[5] + 4, L.entries[46] - 3, L.quant, L.inputHeader + 5,
      L.inputData, L.inputData + 1001, L.qout, L.outputHeader + 9, L.outputData + 4, tiny.length - 1,
    ];
    for (const cut of cuts) {
      const message = await rejects(tiny.subarray(0, cut), 'fasttext-bin', /truncated/, /byte offset \d+/);
      const at = Number(/byte offset (\d+)/.exec(message)![1]);
      expect(at, message).toBeLessThanOrEqual(cut);
    }
    // Auto-detection needs the 4 bytes of the magic number; then the fastText reader reports the rest.
    await rejects(tiny.subarray(0, 100), 'auto', 'truncated file', 'byte offset');
  });

  it('wrong magic number or version', async () => {
    await rejects(patched((b) => b.writeInt32LE(793712315, 0)), 'fasttext-bin', 'byte offset 0', 'magic number 793712315', 'expected 793712314');
    await rejects(patched((b) => b.writeInt32LE(13, 4)), 'auto', 'byte offset 4', 'unsupported fastText format version 13');
    await rejects(patched((b) => b.writeInt32LE(0, 4)), 'auto', 'version 0');
  });

  it('supervised models and labels', async () => {
    await rejects(patched((b) => b.writeInt32LE(3, 36)), 'auto', 'byte offset 36', 'supervised fastText models are not supported');
    await rejects(
      patched((b) => {
        b.writeInt32LE(48, 64);
        b.writeInt32LE(1, 72);
      }),
      'auto',
      'byte offset 72',
      'supervised fastText models are not supported: the dictionary has 1 labels',
    );
    const typeAt = L.entries[2] - 1;
    await rejects(patched((b) => (b[typeAt] = 1)), 'auto', `byte offset ${typeAt}`, 'supervised', 'is a label');
    await rejects(patched((b) => (b[typeAt] = 7)), 'auto', `byte offset ${typeAt}`, 'invalid entry type 7');
  });

  it('quantized models and pruned dictionaries', async () => {
    await rejects(patched((b) => (b[L.quant] = 1)), 'auto', `byte offset ${L.quant}`, 'quantized fastText models (.ftz) are not supported');
    await rejects(patched((b) => (b[L.qout] = 1)), 'auto', `byte offset ${L.qout}`, 'quantized');
    await rejects(patched((b) => b.writeBigInt64LE(0n, 84)), 'auto', 'byte offset 84', 'pruned dictionaries are not supported');
    await rejects(patched((b) => b.writeBigInt64LE(5n, 84)), 'auto', 'byte offset 84', 'prune index of 5 entries');
  });

  it('sizes that disagree', async () => {
    await rejects(patched((b) => b.writeInt32LE(999, 40)), 'auto', `byte offset ${L.inputHeader}`, 'the input matrix has 1047 rows, expected 1046 (47 words + 999 buckets)');
    await rejects(patched((b) => b.writeInt32LE(9, 8)), 'auto', `byte offset ${L.inputHeader + 8}`, 'the input matrix has 8 columns, expected the dimension 9');
    await rejects(patched((b) => b.writeBigInt64LE(46n, L.outputHeader)), 'auto', `byte offset ${L.outputHeader}`, 'the output matrix has 46 rows, expected 47');
    await rejects(patched((b) => b.writeInt32LE(48, 64)), 'auto', 'byte offset 64', 'size 48 is not 47 words + 0 labels');
    await rejects(patched((b) => b.writeInt32LE(0, 40)), 'auto', 'byte offset 40', 'invalid argument bucket 0', 'needs at least one bucket');
    await rejects(patched((b) => b.writeInt32LE(-1, 8)), 'auto', 'byte offset 8', 'invalid argument dim -1');
    await rejects(patched((b) => b.writeInt32LE(5, 32)), 'auto', 'byte offset 32', 'invalid argument loss 5');
  });

  it('lying sizes are caught before anything is allocated', async () => {
    await rejects(
      patched((b) => {
        b.writeInt32LE(1e9, 64);
        b.writeInt32LE(1e9, 68);
      }),
      'auto',
      'byte offset 64',
      'the dictionary claims 1000000000 words',
      'lying header or truncated file',
    );
    // A huge bucket count that the matrix header agrees with: ~8 GB claimed, refused from the file size.
    const huge = 2 ** 28;
    const started = performance.now();
    await rejects(
      patched((b) => {
        b.writeInt32LE(huge, 40);
        b.writeBigInt64LE(BigInt(L.nwords + huge), L.inputHeader);
      }),
      'auto',
      `byte offset ${L.inputData}`,
      `the input matrix (${L.nwords + huge} × 8)`,
      'truncated file',
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('trailing bytes, non-finite values, empty and duplicate words', async () => {
    await rejects(Buffer.concat([tiny, Buffer.from('abc')]), 'auto', `byte offset ${tiny.length}`, 'unexpected 3 bytes after the output matrix', '"abc"');
    await rejects(patched((b) => b.writeFloatLE(NaN, L.inputData + 4 * (47 * 8 + 3))), 'auto', `byte offset ${L.inputData + 4 * (47 * 8 + 3)}`, 'non-finite value NaN at row 47, column 3');
    await rejects(patched((b) => b.writeFloatLE(-Infinity, L.outputData + 4 * 10)), 'auto', `byte offset ${L.outputData + 40}`, 'output matrix has a non-finite value -Infinity at row 1, column 2');
    const w1 = L.entries[1];
    await rejects(
      Buffer.concat([tiny.subarray(0, w1), Buffer.from([0]), tiny.subarray(tiny.indexOf(0, w1) + 1)]),
      'auto',
      `byte offset ${w1}`,
      'dictionary entry #2 has an empty word',
    );
    // Make word #3 a copy of word #2 (same length needed to keep the layout): find two words of equal length.
    const lengths = L.entries.map((e) => tiny.indexOf(0, e) - e);
    const i = lengths.findIndex((n, k) => k > 0 && lengths.indexOf(n, k + 1) > 0);
    const j = lengths.indexOf(lengths[i], i + 1);
    const dup = patched((b) => tiny.copy(b, L.entries[j], L.entries[i], L.entries[i] + lengths[i]));
    const word = tiny.toString('utf8', L.entries[i], L.entries[i] + lengths[i]);
    await rejects(dup, 'auto', `byte offset ${L.entries[j]}`, `duplicate word "${word}" (first seen at byte offset ${L.entries[i]})`);
  });

  it('not fastText at all', async () => {
    await rejects(Buffer.alloc(0), 'fasttext-bin', 'file is empty');
    await rejects(Buffer.from('2 3\nthe 0.1 0.2 0.3\nof 0.5 0.6 0.7\n'), 'fasttext-bin', 'byte offset 0', 'not a fastText .bin model: magic number');
    const magic = Buffer.alloc(4);
    magic.writeInt32LE(FASTTEXT_MAGIC);
    await rejects(magic, 'auto', 'byte offset 4', 'truncated file');
  });
});

// ---------------------------------------------------------------------------------------------------
// Command line

function capture(): CommandIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: Object.assign(new PassThrough(), { isTTY: false }),
    out: () => out,
    err: () => err,
  };
}

describe('query commands on a fastText .bin', () => {
  it('similar: auto-detected or --format fasttext-bin; unseen words get n-gram vectors', async () => {
    const m = await load(TINY);
    const io = capture();
    expect(await runSimilar([TINY, 'cafés', '-n', '3', '--json'], io)).toBe(0);
    const json = JSON.parse(io.out());
    expect(json.results.map((r: { word: string }) => r.word)).toEqual(m.mostSimilar('cafés', { topN: 3 }).map((r) => r.word));
    expect(io.err()).toBe('');

    const text = capture();
    expect(await runSimilar([TINY, 'Ελλάδα', '--format', 'fasttext-bin', '-n', '2'], text)).toBe(0);
    expect(text.out().trim().split('\n')).toHaveLength(2);
    expect(text.err()).toBe('"Ελλάδα" is not in the vocabulary: vector built from character n-grams\n');

    // A plain model still rejects unseen words.
    const vec = join(FIXTURES, 'fasttext-tiny.vec');
    await expect(runSimilar([vec, 'cafés'], capture())).rejects.toThrow(/not in vocabulary/);
    await expect(runSimilar([vec, 'cafés', '--format', 'fasttext-bin'], capture())).rejects.toThrow(/magic number/);
  });

  it('analogy and eval accept the .bin', async () => {
    const io = capture();
    expect(await runAnalogy([TINY, 'man', 'king', 'womanly', '-n', '2', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out()).results).toHaveLength(2);
    const pairs = file('pairs.tsv');
    await writeFile(pairs, 'king\tqueen\t8\nman\twoman\t7\ncat\tdog\t6\nriver\tmountain\t3\nred\tblue\t5\n');
    const ev = capture();
    expect(await runEval([TINY, '--pairs', pairs, '--format', 'fasttext-bin', '--json'], ev)).toBe(0);
    expect(JSON.parse(ev.out()).pairs[0].pairs).toBe(5);
  });
});

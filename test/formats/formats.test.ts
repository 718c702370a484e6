import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/runtime/atomic-write.js';
import { Wasm2VecError } from '../../src/errors.js';
import {
  detectEmbeddingFormat,
  formatFixed6,
  readEmbeddings,
  writeEmbeddingRows,
  writeEmbeddings,
  type EmbeddingFormat,
  type EmbeddingTable,
} from '../../src/formats/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wasm2vec-formats-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
const file = (name = 'f') => join(dir, `${counter++}-${name}`);

function randomTable(n: number, dim: number, seed = 1): EmbeddingTable {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const words = Array.from({ length: n }, (_, i) => (i === 0 ? '</s>' : i % 5 === 0 ? `mot${i}é漢` : `w${i}`));
  const vectors = new Float32Array(n * dim);
  for (let i = 0; i < vectors.length; i++) vectors[i] = rnd() * (i % 17 === 0 ? 100 : 1);
  return { words, dim, vectors };
}

/** The formats a plain table can be written in (fasttext-bin needs a subword model: formats-fasttext.test.ts). */
const ALL: EmbeddingFormat[] = ['word2vec-text', 'word2vec-binary', 'glove-text', 'fasttext-vec'];

/** How far a value read back may be from the one written: "%lf" keeps 6 decimals, fastText's "%.5g" 5 significant digits. */
const tolerance = (format: EmbeddingFormat, v: number) => (format === 'fasttext-vec' ? Math.abs(v) * 1e-4 : 1e-6);

describe('round trips', () => {
  for (const format of ALL) {
    it(`${format}`, async () => {
      const t = randomTable(257, 13);
      const p = file(format);
      await writeEmbeddings(p, t, { format });
      const r = await readEmbeddings(p, { format });
      expect(r.format).toBe(format);
      expect(r.words).toEqual(t.words);
      expect(r.dim).toBe(13);
      expect(r.vectors.length).toBe(t.vectors.length);
      if (format === 'word2vec-binary') {
        expect(Buffer.from(r.vectors.buffer).equals(Buffer.from(t.vectors.buffer))).toBe(true);
      } else {
        for (let i = 0; i < t.vectors.length; i++) expect(Math.abs(r.vectors[i] - t.vectors[i])).toBeLessThanOrEqual(tolerance(format, t.vectors[i]));
      }
    });
  }

  it('binary round trip preserves every float32 bit pattern that is finite, including -0 and subnormals', async () => {
    const vectors = new Float32Array([-0, 0, 1e-45, -1e-45, 3.4028234663852886e38, -3.4028234663852886e38, 1.1754943508222875e-38, 0.1]);
    const p = file('special.bin');
    await writeEmbeddings(p, { words: ['a', 'b'], dim: 4, vectors }, { format: 'word2vec-binary' });
    const r = await readEmbeddings(p);
    expect(Buffer.from(r.vectors.buffer).equals(Buffer.from(vectors.buffer))).toBe(true);
  });

  it('text round trip of extreme values', async () => {
    const vectors = new Float32Array([-0, 3.4028234663852886e38, -3.4028234663852886e38, 123456.5]);
    const p = file('special.txt');
    await writeEmbeddings(p, { words: ['x'], dim: 4, vectors }, { format: 'word2vec-text' });
    expect(await readFile(p, 'latin1')).toBe(
      '1 4\nx -0.000000 340282346638528859811704183484516925440.000000 -340282346638528859811704183484516925440.000000 123456.500000 \n',
    );
    const r = await readEmbeddings(p);
    expect(Array.from(r.vectors)).toEqual(Array.from(vectors));
  });

  it('limit reads only the first N words (every format)', async () => {
    const t = randomTable(50, 4);
    for (const format of ALL) {
      const p = file(format);
      await writeEmbeddings(p, t, { format });
      const r = await readEmbeddings(p, { format, limit: 7 });
      expect(r.words).toEqual(t.words.slice(0, 7));
      expect(r.vectors.length).toBe(28);
      const all = await readEmbeddings(p, { format, limit: 1000 });
      expect(all.words.length).toBe(50);
    }
  });

  it('rejects a bad limit or format', async () => {
    const p = file();
    await writeFile(p, 'a 1\n');
    await expect(readEmbeddings(p, { limit: 0 })).rejects.toThrow(Wasm2VecError);
    await expect(readEmbeddings(p, { limit: 1.5 })).rejects.toThrow(/limit/);
    await expect(readEmbeddings(p, { format: 'xml' as EmbeddingFormat })).rejects.toThrow(/unknown embedding format/);
  });

  it('reads larger-than-buffer files (several read chunks)', async () => {
    const t = randomTable(6000, 50, 7); // ~3 MB of text
    for (const format of ALL) {
      const p = file(format);
      await writeEmbeddings(p, t, { format });
      const r = await readEmbeddings(p, { format });
      expect(r.words.length).toBe(6000);
      expect(r.words[5999]).toBe(t.words[5999]);
      expect(Math.abs(r.vectors[6000 * 50 - 1] - t.vectors[6000 * 50 - 1])).toBeLessThanOrEqual(tolerance(format, t.vectors[6000 * 50 - 1]));
    }
  });
});

describe('exact output (word2vec.c / GloVe layouts)', () => {
  const t: EmbeddingTable = { words: ['</s>', 'the', 'é'], dim: 2, vectors: new Float32Array([0.5, -0.25, 1, 0.0078125, -1e-9, 12.3456789]) };

  it('word2vec text: "%lld %lld\\n", "%s ", "%lf " per value, "\\n"', async () => {
    const p = file('w.txt');
    await writeEmbeddings(p, t, { format: 'word2vec-text' });
    expect(await readFile(p, 'utf8')).toBe(
      '3 2\n</s> 0.500000 -0.250000 \nthe 1.000000 0.007812 \né -0.000000 12.345679 \n',
    );
  });

  it('fasttext-vec: the word2vec text layout with values as fastText prints them ("%.5g ")', async () => {
    const a = file('a.vec');
    await writeEmbeddings(a, t, { format: 'fasttext-vec' });
    expect(await readFile(a, 'utf8')).toBe('3 2\n</s> 0.5 -0.25 \nthe 1 0.0078125 \né -1e-09 12.346 \n');
  });

  it('GloVe text: "word v1 ... vN\\n", no trailing space', async () => {
    const p = file('g.txt');
    await writeEmbeddings(p, t, { format: 'glove-text' });
    expect(await readFile(p, 'utf8')).toBe('</s> 0.500000 -0.250000\nthe 1.000000 0.007812\né -0.000000 12.345679\n');
  });

  it('word2vec binary: header, "%s ", raw little-endian float32, "\\n"', async () => {
    const p = file('w.bin');
    await writeEmbeddings(p, t, { format: 'word2vec-binary' });
    const got = await readFile(p);
    const parts: Buffer[] = [Buffer.from('3 2\n')];
    t.words.forEach((w, i) => {
      const v = Buffer.alloc(8);
      v.writeFloatLE(t.vectors[2 * i], 0);
      v.writeFloatLE(t.vectors[2 * i + 1], 4);
      parts.push(Buffer.from(w + ' ', 'utf8'), v, Buffer.from('\n'));
    });
    expect(got.equals(Buffer.concat(parts))).toBe(true);
  });

  it('%lf formatting matches glibc: 6 decimals, round-half-even on exact ties, -0', () => {
    expect(formatFixed6(0.0078125)).toBe('0.007812'); // exact tie, toFixed would give 0.007813
    expect(formatFixed6(0.0234375)).toBe('0.023438'); // exact tie, rounds to even
    expect(formatFixed6(-0)).toBe('-0.000000');
    expect(formatFixed6(-1e-9)).toBe('-0.000000');
    expect(formatFixed6(0)).toBe('0.000000');
    expect(formatFixed6(1999.9999)).toBe(Math.fround(1999.9999).toFixed(6));
    expect(formatFixed6(2000)).toBe('2000.000000');
    expect(formatFixed6(123456789)).toBe('123456792.000000');
    expect(formatFixed6(1e20)).toBe('100000002004087734272.000000');
    expect(formatFixed6(3.4028234663852886e38)).toBe('340282346638528859811704183484516925440.000000');
  });

  it('%lf formatting agrees with toFixed(6) away from exact ties (random float32 bit patterns)', () => {
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    let s = 12345;
    for (let i = 0; i < 20000; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      u[0] = i % 2 ? s : (s & 0x807fffff) | ((0x70 + (s % 30)) << 23); // half random, half |x| in ~[1e-5, 1e4]
      const x = f[0];
      if (!Number.isFinite(x) || Math.abs(x) >= 1e21) continue;
      const scaled = Math.abs(x) * 1e6;
      if (scaled - Math.floor(scaled) === 0.5) continue; // ties: covered above
      const expected = Object.is(x, -0) || (x < 0 && x.toFixed(6) === '0.000000') ? '-' + Math.abs(x).toFixed(6) : x.toFixed(6);
      expect(formatFixed6(x)).toBe(expected);
    }
  });
});

describe('strided writer (rows padded as in WebAssembly memory)', () => {
  it('writes only the first dim floats of each padded row, with an offset', async () => {
    const dim = 3;
    const stride = 8;
    const offset = 5;
    const data = new Float32Array(offset + 4 * stride).fill(NaN); // padding must never be read
    const dense = new Float32Array(4 * dim);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < dim; j++) {
        const v = i * 10 + j + 0.5;
        data[offset + i * stride + j] = v;
        dense[i * dim + j] = v;
      }
    }
    const words = ['a', 'b', 'c', 'd'];
    for (const format of ALL) {
      const p1 = file();
      const p2 = file();
      await writeEmbeddingRows(p1, { words, dim, data, rowStride: stride, offset }, { format });
      await writeEmbeddings(p2, { words, dim, vectors: dense }, { format });
      expect((await readFile(p1)).equals(await readFile(p2))).toBe(true);
    }
  });

  it('writes straight from (shared) WebAssembly memory', async () => {
    for (const shared of [false, true]) {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 2, shared });
      const dim = 5;
      const stride = 8; // rows padded to 32 bytes
      const byteOffset = 1024;
      const data = new Float32Array(memory.buffer, byteOffset, 3 * stride);
      const dense = new Float32Array(3 * dim);
      for (let i = 0; i < 3; i++) for (let j = 0; j < dim; j++) dense[i * dim + j] = data[i * stride + j] = i - j / 3;
      for (const format of ['word2vec-binary', 'word2vec-text'] as const) {
        const p = file();
        await writeEmbeddingRows(p, { words: ['x', 'y', 'z'], dim, data, rowStride: stride }, { format });
        const r = await readEmbeddings(p);
        expect(r.words).toEqual(['x', 'y', 'z']);
        for (let i = 0; i < dense.length; i++) expect(Math.abs(r.vectors[i] - dense[i])).toBeLessThanOrEqual(format === 'word2vec-binary' ? 0 : 1e-6);
      }
    }
  });

  it('rejects inconsistent shapes, bad words and non-finite values without touching the target', async () => {
    const p = file('keep.txt');
    await writeFile(p, 'original');
    const data = new Float32Array(8);
    await expect(writeEmbeddingRows(p, { words: ['a', 'b'], dim: 4, data, rowStride: 5 }, { format: 'word2vec-text' })).rejects.toThrow(/need 9 floats/);
    await expect(writeEmbeddingRows(p, { words: ['a', 'b'], dim: 4, data, rowStride: 3 }, { format: 'word2vec-text' })).rejects.toThrow(/rowStride/);
    await expect(writeEmbeddings(p, { words: ['a b', 'c'], dim: 4, vectors: data }, { format: 'glove-text' })).rejects.toThrow(/whitespace/);
    await expect(writeEmbeddings(p, { words: ['a', 'a'], dim: 4, vectors: data }, { format: 'glove-text' })).rejects.toThrow(/duplicate word "a"/);
    await expect(writeEmbeddings(p, { words: ['', 'a'], dim: 4, vectors: data }, { format: 'glove-text' })).rejects.toThrow(/empty/);
    await expect(writeEmbeddings(p, { words: [], dim: 4, vectors: new Float32Array(0) }, { format: 'glove-text' })).rejects.toThrow(/no words/);
    await expect(writeEmbeddings(p, { words: ['a'], dim: 4, vectors: data }, { format: 'glove-text' })).rejects.toThrow(/needs 4 values/);
    const bad = new Float32Array(8);
    bad[6] = NaN;
    for (const format of ALL) {
      await expect(writeEmbeddings(p, { words: ['a', 'b'], dim: 4, vectors: bad }, { format })).rejects.toThrow(/"b" has a non-finite value NaN at index 2/);
    }
    bad[6] = -Infinity;
    await expect(writeEmbeddings(p, { words: ['a', 'b'], dim: 4, vectors: bad }, { format: 'word2vec-binary' })).rejects.toThrow(Wasm2VecError);
    expect(await readFile(p, 'utf8')).toBe('original');
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('wraps an unwritable destination in a Wasm2VecError', async () => {
    await expect(writeEmbeddings(join(dir, 'no-such-dir', 'x.txt'), randomTable(2, 2), { format: 'glove-text' })).rejects.toThrow(
      /cannot write .*no-such-dir/,
    );
  });
});

describe('reader tolerance', () => {
  it('accepts CRLF line endings, blank lines, tabs/multiple spaces, a BOM and a missing final newline', async () => {
    const p = file('crlf.txt');
    await writeFile(p, '\ufeff2 3\r\nfoo 1 2\t3\r\n\r\nbar  -1.5e0 .5 7.\r\n');
    const r = await readEmbeddings(p);
    expect(r.format).toBe('word2vec-text');
    expect(r.words).toEqual(['foo', 'bar']);
    expect(Array.from(r.vectors)).toEqual([1, 2, 3, -1.5, 0.5, 7]);
    const g = file('g.txt');
    await writeFile(g, 'foo 1 2\r\nbar 3 4');
    const rg = await readEmbeddings(g);
    expect(rg.format).toBe('glove-text');
    expect(Array.from(rg.vectors)).toEqual([1, 2, 3, 4]);
  });

  it('parses numbers exactly like parseFloat + Math.fround (gensim / Python repr output)', async () => {
    const tokens = ['0.1', '-0.0', '1e-05', '3.4028234663852886e+38', '0.30000000000000004', '123456789012345678', '1E3', '+2.5', '0.000000000000000000000000000001', '1e-50'];
    const p = file('nums.txt');
    await writeFile(p, `x ${tokens.join(' ')}\n`);
    const r = await readEmbeddings(p);
    expect(Array.from(r.vectors)).toEqual(tokens.map((t) => Math.fround(parseFloat(t))));
  });

  it('decodes words as UTF-8, replacing invalid sequences', async () => {
    const p = file('utf8.txt');
    await writeFile(p, Buffer.concat([Buffer.from('1 1\n'), Buffer.from([0x61, 0xff, 0x62]), Buffer.from(' 1\n')]));
    const r = await readEmbeddings(p);
    expect(r.words).toEqual(['a\ufffdb']);
  });

  it('binary: accepts rows without the trailing "\\n" (like gensim) and CRLF after the header', async () => {
    const v = Buffer.alloc(8);
    v.writeFloatLE(1.5, 0);
    v.writeFloatLE(-2, 4);
    const p = file('nolf.bin');
    await writeFile(p, Buffer.concat([Buffer.from('2 2\r\n'), Buffer.from('a '), v, Buffer.from('b '), v]));
    const r = await readEmbeddings(p);
    expect(r.format).toBe('word2vec-binary');
    expect(r.words).toEqual(['a', 'b']);
    expect(Array.from(r.vectors)).toEqual([1.5, -2, 1.5, -2]);
  });
});

describe('format detection from content', () => {
  const t = randomTable(20, 5, 3);
  for (const format of ALL) {
    it(`detects ${format} (and ignores a misleading extension)`, async () => {
      const expected = format === 'fasttext-vec' ? 'word2vec-text' : format;
      const misleading = format === 'word2vec-binary' ? 'model.txt' : 'model.bin';
      const p = file(misleading);
      await writeEmbeddings(p, t, { format });
      expect(await detectEmbeddingFormat(p)).toBe(expected);
      const r = await readEmbeddings(p);
      expect(r.format).toBe(expected);
      expect(r.words).toEqual(t.words);
    });
  }

  it('uses the .vec extension only to name a word2vec-text layout fasttext-vec', async () => {
    const p = file('model.vec');
    await writeEmbeddings(p, t, { format: 'word2vec-text' });
    expect(await detectEmbeddingFormat(p)).toBe('fasttext-vec');
    const g = file('glove.vec');
    await writeEmbeddings(g, t, { format: 'glove-text' });
    expect(await detectEmbeddingFormat(g)).toBe('glove-text');
  });

  it('detects binary files whose first vector contains newline bytes and text-like bytes', async () => {
    const vectors = new Float32Array(5 * 3);
    for (let i = 0; i < vectors.length; i++) vectors[i] = 0.37 * i - 2;
    const bytes = new Uint8Array(vectors.buffer);
    bytes.set([0x0a, 0x31, 0x20, 0x31, 0x0a, 0x30, 0x20, 0x30], 0); // "\n1 1\n0 0" inside the first floats
    const p = file('tricky.txt');
    await writeEmbeddings(p, { words: ['a', 'b', 'c', 'd', 'e'], dim: 3, vectors }, { format: 'word2vec-binary' });
    expect(await detectEmbeddingFormat(p)).toBe('word2vec-binary');
    const r = await readEmbeddings(p);
    expect(Buffer.from(r.vectors.buffer).equals(Buffer.from(vectors.buffer))).toBe(true);
  });

  it('rejects content that is none of the formats', async () => {
    const p = file('x.txt');
    await writeFile(p, 'hello world, this is prose\nand more\n');
    await expect(detectEmbeddingFormat(p)).rejects.toThrow(/not a recognized embedding file/);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file with everything written (strings, small and large chunks)', async () => {
    const p = file('atomic');
    await writeFile(p, 'old');
    const big = Buffer.alloc(3 * (1 << 20) + 123, 7);
    await writeFileAtomic(p, async (out) => {
      await out.write('héllo ');
      await out.write(big);
      for (let i = 0; i < 1000; i++) await out.write(new Uint8Array([i & 255]));
      expect(out.bytesWritten).toBe(7 + big.length + 1000);
    });
    const got = await readFile(p);
    expect(got.length).toBe(7 + big.length + 1000);
    expect(got.subarray(0, 7).toString()).toBe('héllo ');
    expect(got[7 + big.length + 999]).toBe(999 & 255);
  });

  it('leaves the earlier file intact and removes the temporary file when the callback throws', async () => {
    const p = file('atomic2');
    await writeFile(p, 'precious');
    const boom = new Error('boom');
    await expect(
      writeFileAtomic(p, async (out) => {
        await out.write(Buffer.alloc(5 << 20, 1)); // some data already flushed to the temp file
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await readFile(p, 'utf8')).toBe('precious');
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('creates a new file when none exists', async () => {
    const p = file('atomic3');
    await writeFileAtomic(p, async (out) => out.write('x'), { fsync: false });
    expect(await readFile(p, 'utf8')).toBe('x');
  });
});

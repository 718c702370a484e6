/**
 * Hostile and corrupt embedding files: every one must be rejected with a Wasm2VecError whose message
 * names the file, the place (line number for text, byte offset for binary) and the offending value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wasm2VecError } from '../../src/errors.js';
import { readEmbeddings, writeEmbeddings, type EmbeddingFormat } from '../../src/formats/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wasm2vec-hostile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
async function put(content: string | Buffer, name = 'f'): Promise<string> {
  const p = join(dir, `${counter++}-${name}`);
  await writeFile(p, content);
  return p;
}

/** Expect `readEmbeddings` to reject with a Wasm2VecError mentioning the path and every pattern. */
async function rejects(path: string, format: EmbeddingFormat | 'auto', ...patterns: (string | RegExp)[]): Promise<string> {
  let error: unknown;
  try {
    await readEmbeddings(path, { format });
  } catch (err) {
    error = err;
  }
  expect(error, `${format} should reject ${path}`).toBeInstanceOf(Wasm2VecError);
  const message = (error as Error).message;
  expect(message).toContain(path);
  for (const p of patterns) {
    if (typeof p === 'string') expect(message).toContain(p);
    else expect(message).toMatch(p);
  }
  return message;
}

function floats(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeFloatLE(v, 4 * i));
  return b;
}

function binaryFile(header: string, rows: [string, Buffer][], newline = true): Buffer {
  const parts: Buffer[] = [Buffer.from(header)];
  for (const [w, v] of rows) parts.push(Buffer.from(w + ' '), v, Buffer.from(newline ? '\n' : ''));
  return Buffer.concat(parts);
}

const TEXT: EmbeddingFormat[] = ['word2vec-text', 'fasttext-vec'];

describe('lying headers are checked against the file size before allocating', () => {
  it('text: claims 10^9 words', async () => {
    const p = await put('1000000000 100\nthe 1 2\n');
    for (const f of [...TEXT, 'auto'] as const) await rejects(p, f, 'line 1', 'claims 1000000000 words', /only 8 bytes follow the header/);
  });

  it('text: claims dimension 10^9', async () => {
    const p = await put('2 1000000000\nthe 1 2\n');
    await rejects(p, 'auto', 'line 1', 'dimension 1000000000');
  });

  it('binary: claims 10^9 words / dimension 10^9', async () => {
    const row = binaryFile('', [['a', floats(1, 2)]]);
    const p1 = await put(Buffer.concat([Buffer.from('1000000000 2\n'), row]));
    await rejects(p1, 'word2vec-binary', 'line 1', 'claims 1000000000 words', 'binary');
    await rejects(p1, 'auto', 'claims 1000000000 words');
    const p2 = await put(Buffer.concat([Buffer.from('1 1000000000\n'), row]));
    await rejects(p2, 'word2vec-binary', 'dimension 1000000000');
  });

  it('absurdly large numbers', async () => {
    const p = await put('99999999999999999999 5\nthe 1 2 3 4 5\n');
    await rejects(p, 'word2vec-text', 'line 1', 'absurdly large');
    const q = await put('999999999999999 999999999999999\nthe 1 2 3 4 5\n');
    await rejects(q, 'word2vec-binary', 'line 1', 'claims 999999999999999 words');
  });

  it('with a limit, only the rows actually requested must exist', async () => {
    const p = await put('1000000000 2\na 0.100000 0.200000\nb 0.300000 0.400000\n');
    const r = await readEmbeddings(p, { limit: 2 });
    expect(r.words).toEqual(['a', 'b']);
    await expect(readEmbeddings(p, { limit: 3 })).rejects.toThrow(/ends after 2 rows/);
  });
});

describe('malformed headers', () => {
  const cases: [string, RegExp | string][] = [
    ['abc def\nthe 1 2\n', 'invalid header "abc def"'],
    ['-5 100\nthe 1 2\n', 'invalid header "-5 100"'],
    ['5 -100\nthe 1 2\n', 'invalid header "5 -100"'],
    ['0 100\n', 'declares 0 words'],
    ['10 0\nthe\n', 'declares dimension 0'],
    ['100\nthe 1 2\n', 'invalid header "100"'],
    ['1.5 2\nthe 1 2\n', 'invalid header "1.5 2"'],
    ['2 3 4\nthe 1 2\n', 'invalid header "2 3 4"'],
    [`${'9'.repeat(300)}\n`, 'invalid header'],
  ];
  for (const [content, pattern] of cases) {
    it(JSON.stringify(content.slice(0, 20)), async () => {
      const p = await put(content);
      await rejects(p, 'word2vec-text', 'line 1', pattern);
      await rejects(p, 'word2vec-binary', 'line 1', pattern);
      await rejects(p, 'fasttext-vec', 'line 1', pattern);
    });
  }

  it('auto-detection reports a broken header as such', async () => {
    await rejects(await put('-5 100\nthe 1 2\n'), 'auto', 'line 1', 'invalid header "-5 100"');
    await rejects(await put('0 100\n'), 'auto', 'declares 0 words');
    await rejects(await put('abc def\nthe 1 2\n'), 'auto', /not a recognized embedding file: line 1 "abc def"/);
  });
});

describe('truncated files', () => {
  it('text: truncated last row', async () => {
    const p = await put('2 4\nthe 0.1 0.2 0.3 0.4\nof 0.5 0.6');
    await rejects(p, 'auto', 'line 3', 'expected 4 values after word "of", found 2', 'truncated');
    const g = await put('the 0.1 0.2 0.3 0.4\nof 0.5 0.6');
    await rejects(g, 'glove-text', 'line 2', 'expected 4 values after word "of", found 2');
  });

  it('text: a row cut inside its word', async () => {
    const p = await put('2 2\nthe 0.1 0.2\no');
    await rejects(p, 'auto', 'line 3', 'found 0');
  });

  it('binary: truncated last row', async () => {
    const full = binaryFile('2 3\n', [
      ['the', floats(1, 2, 3)],
      ['of', floats(4, 5, 6)],
    ]);
    const p = await put(full.subarray(0, full.length - 6));
    const msg = await rejects(p, 'word2vec-binary', 'truncated row 2', 'word "of" needs 12 bytes', /byte offset \d+/);
    expect(msg).toContain(`byte offset ${4 + 4 + 12 + 1 + 3}`); // start of "of"'s vector
    await rejects(p, 'auto', 'truncated row 2');
  });

  it('binary: cut inside a word / right after the header', async () => {
    const full = binaryFile('2 3\n', [
      ['thethethethe', floats(1, 2, 3)],
      ['longword', floats(4, 5, 6)],
    ]);
    const p = await put(full.subarray(0, 4 + 13 + 12 + 1 + 4));
    await rejects(p, 'word2vec-binary', 'truncated row 2', '"long"');
    const q = await put('2 3\n');
    await rejects(q, 'word2vec-binary', 'line 1', 'header claims 2 words');
  });

  it('fewer rows than the header declares (text and binary)', async () => {
    const p = await put('3 2\na 0.100000 0.200000\nb 0.300000 0.400000\n');
    await rejects(p, 'word2vec-text', 'line 3', 'declares 3 words but the file ends after 2 rows');
    const b = await put(binaryFile('3 2\n', [
      ['alpha', floats(1, 2)],
      ['beta', floats(3, 4)],
      ['c', floats(3, 4)],
    ]).subarray(0, 4 + 15 + 14));
    await rejects(b, 'word2vec-binary', 'declares 3 words but the file ends after 2 rows', 'byte offset');
  });

  it('more rows than the header declares', async () => {
    const p = await put('1 2\na 1 2\nb 3 4\n');
    await rejects(p, 'auto', 'line 3', 'more rows than the 1 declared', '"b"');
    const b = await put(binaryFile('1 2\n', [
      ['a', floats(1, 2)],
      ['b', floats(3, 4)],
    ]));
    await rejects(b, 'auto', 'unexpected data after the 1 rows', 'byte offset 15');
  });
});

describe('bad values', () => {
  for (const tok of ['nan', 'NaN', 'inf', '-inf', 'Infinity', '-Infinity', '1e400']) {
    it(`text: rejects ${tok}`, async () => {
      const p = await put(`2 3\nthe 0.1 0.2 0.3\nof 0.5 ${tok} 0.6\n`);
      await rejects(p, 'auto', 'line 3', 'value #2 of word "of" is not finite', `"${tok}"`);
      const g = await put(`the 0.1 0.2 0.3\nof 0.5 ${tok} 0.6\n`);
      await rejects(g, 'auto', 'line 2', 'not finite', `"${tok}"`);
    });
  }

  it('text: rejects values outside the float32 range', async () => {
    const p = await put('1 2\nthe 1e39 0\n');
    await rejects(p, 'auto', 'line 2', 'out of float32 range', '"1e39"');
  });

  for (const tok of ['0.1.2', '1,5', '0x10', 'abc', '1e', '-', '.', '1e+', '--1', '1-2', '½']) {
    it(`text: rejects malformed number ${tok}`, async () => {
      const p = await put(`1 2\nthe 0.5 ${tok}\n`);
      await rejects(p, 'word2vec-text', 'line 2', 'value #2 of word "the" is not a number', JSON.stringify(tok));
    });
  }

  it('binary: rejects NaN and Infinity, naming the byte offset and the raw bytes', async () => {
    const p = await put(binaryFile('2 3\n', [
      ['the', floats(1, 2, 3)],
      ['of', floats(4, NaN, 6)],
    ]));
    await rejects(p, 'auto', `byte offset ${4 + 4 + 12 + 1 + 3 + 4}`, 'value #2 of word "of" is not finite: NaN', 'bytes 00 00 c0 7f');
    const q = await put(binaryFile('1 2\n', [['x', floats(-Infinity, 0)]]));
    await rejects(q, 'word2vec-binary', 'byte offset 6', '-Infinity', 'bytes 00 00 80 ff');
  });
});

describe('dimension mismatches', () => {
  it('text: too few / too many values', async () => {
    await rejects(await put('2 3\na 0.1 0.2 0.3\nb 0.1 0.2\n'), 'auto', 'line 3', 'expected 3 values after word "b", found 2');
    await rejects(await put('2 3\na 1 2 3\nb 1 2 3 4\n'), 'auto', 'line 3', 'expected 3 values after word "b", found 4');
    // Too short for what the header claims: caught by the size check before parsing.
    await rejects(await put('2 3\na 1 2 3\nb 1 2\n'), 'auto', 'line 1', 'header claims 2 words of dimension 3');
    await rejects(await put('a 1 2 3\nb 1 2 3\nc 1 2\n'), 'glove-text', 'line 3', 'expected 3 values after word "c", found 2');
    await rejects(await put('a 1 2 3\nb 1 2 3 4\n'), 'glove-text', 'line 2', 'found 4');
  });

  it('text: a row with only a word', async () => {
    await rejects(await put('a\nb 1\n'), 'glove-text', 'line 1', 'word "a" has no values');
  });

  it('binary: a header dimension that does not match the rows', async () => {
    // rows of 2 floats read as 3: the framing breaks and the damage is reported.
    const p = await put(binaryFile('3 3\n', [
      ['a', floats(1, 2)],
      ['b', floats(3, 4)],
      ['c', floats(5, 6)],
      ['d', floats(5, 6)],
      ['e', floats(5, 6)],
    ]));
    await rejects(p, 'word2vec-binary', /byte offset \d+/);
  });
});

describe('gigantic tokens and lines', () => {
  const big = 'x'.repeat(10 * 1024 * 1024);

  it('a 10 MB word with no space (text, every text reader and auto)', async () => {
    const p = await put(`2 3\n${big}\n`);
    for (const f of ['word2vec-text', 'auto'] as const) await rejects(p, f, 'line 2', 'word longer than 65536 bytes', '"xxxx');
    const g = await put(big);
    for (const f of ['glove-text', 'auto'] as const) await rejects(g, f, /word longer than 65536 bytes|not a recognized embedding file/);
    await rejects(g, 'glove-text', 'line 1', 'word longer than 65536 bytes');
  });

  it('a 10 MB word with no space (binary)', async () => {
    const p = await put(`2 3\n${big}`);
    await rejects(p, 'word2vec-binary', 'byte offset 4', 'word longer than 65536 bytes');
  });

  it('a long word followed by a value (under the cap in the buffer, but over the limit)', async () => {
    const p = await put(`1 1\n${'y'.repeat(70000)} 1\n`);
    await rejects(p, 'word2vec-text', 'line 2', 'word longer than 65536 bytes');
    const q = await put(Buffer.concat([Buffer.from(`1 1\n${'y'.repeat(70000)} `), floats(1)]));
    await rejects(q, 'word2vec-binary', 'word longer than 65536 bytes');
  });

  it('a 10 MB line of values', async () => {
    const p = await put(`1 3\nw ${'0 '.repeat(5 * 1024 * 1024)}\n`);
    await rejects(p, 'word2vec-text', 'line 2', 'line longer than');
  });
});

describe('garbage and empty files', () => {
  it('empty file', async () => {
    const p = await put('');
    for (const f of ['auto', 'word2vec-text', 'word2vec-binary', 'glove-text', 'fasttext-vec', 'fasttext-bin'] as const) await rejects(p, f, 'file is empty');
  });

  it('whitespace-only / BOM-only files', async () => {
    await rejects(await put('\n\n  \n'), 'glove-text', 'no vectors found');
    await rejects(await put('\ufeff'), 'auto', 'file is empty');
  });

  it('binary garbage', async () => {
    let s = 99;
    const bytes = Buffer.alloc(64 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
    const p = await put(bytes);
    for (const f of ['auto', 'word2vec-text', 'word2vec-binary', 'glove-text', 'fasttext-vec', 'fasttext-bin'] as const) await rejects(p, f);
  });

  it('a text file read as binary does not crash', async () => {
    // Format forced by the caller: text bytes are valid float32s, so only the row framing can catch it.
    const p = await put('2 3\nthe 0.1 0.2 0.3\nof 0.5 0.6 0.7500\n');
    await rejects(p, 'word2vec-binary', /byte offset \d+/);
    // ...and when the framing happens to line up, the result is garbage but well-formed.
    const q = await put('2 3\nthe 0.1 0.2 0.3\nof 0.5 0.6 0.7\n');
    const r = await readEmbeddings(q, { format: 'word2vec-binary' });
    expect(r.vectors.length).toBe(6);
    expect(await readEmbeddings(q)).toMatchObject({ format: 'word2vec-text', words: ['the', 'of'] });
  });

  it('not a regular file / missing file', async () => {
    const d = join(dir, 'a-directory');
    await mkdir(d);
    await rejects(d, 'auto', 'not a regular file');
    await rejects(join(dir, 'missing.txt'), 'auto', 'cannot open', 'ENOENT');
  });

  it('empty word', async () => {
    await rejects(await put('1 2\n 1 2\n'), 'word2vec-text', 'line 2', 'empty word');
    await rejects(await put(Buffer.concat([Buffer.from('1 2\n '), floats(1, 2)])), 'word2vec-binary', 'byte offset 4', 'empty word');
  });
});

describe('duplicate words are rejected (gensim would keep the first)', () => {
  it('text', async () => {
    const p = await put('3 2\nthe 1 2\nof 3 4\nthe 5 6\n');
    await rejects(p, 'auto', 'line 4', 'duplicate word "the" (first seen on line 2)');
    const g = await put('the 1 2\nof 3 4\nthe 5 6\n');
    await rejects(g, 'glove-text', 'line 3', 'duplicate word "the" (first seen on line 1)');
  });

  it('binary', async () => {
    const p = await put(binaryFile('2 1\n', [
      ['the', floats(1)],
      ['the', floats(2)],
    ]));
    await rejects(p, 'auto', 'byte offset 13', 'duplicate word "the" (first seen at byte offset 4)');
  });

  it('words that differ only in invalid UTF-8 bytes collide after replacement', async () => {
    const p = await put(Buffer.concat([Buffer.from('a\xff 1\n', 'latin1'), Buffer.from('a\xfe 1\n', 'latin1')]));
    await rejects(p, 'glove-text', 'line 2', 'duplicate word "a\ufffd"');
  });
});

describe('the writer refuses what the reader would reject', () => {
  it('NaN', async () => {
    const p = join(dir, 'nan.txt');
    await expect(writeEmbeddings(p, { words: ['a'], dim: 1, vectors: new Float32Array([NaN]) }, { format: 'word2vec-text' })).rejects.toThrow(
      Wasm2VecError,
    );
  });
});

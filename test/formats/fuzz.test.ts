/**
 * Fuzzing the embedding readers: random bytes and random mutations of valid files must either load as
 * a well-formed table or be rejected with a Wasm2VecError — never any other exception, crash or hang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wasm2VecError } from '../../src/errors.js';
import { EMBEDDING_FORMATS, readEmbeddings, writeEmbeddings, writeFastTextModel, type EmbeddingFormat, type EmbeddingTable } from '../../src/formats/index.js';
import { SubwordVectors } from '../../src/model/subword-vectors.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wasm2vec-fuzz-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const READ_AS: (EmbeddingFormat | 'auto')[] = ['auto', ...EMBEDDING_FORMATS];
/** Formats a plain table can be written in (a fastText .bin needs a subword model: fuzzed separately below). */
const WRITABLE = EMBEDDING_FORMATS.filter((f) => f !== 'fasttext-bin');
let counter = 0;

/** Read `bytes` with every reader; each must return a well-formed table or throw a Wasm2VecError. */
async function readAllWays(bytes: Uint8Array, name: string): Promise<Map<string, EmbeddingTable | Wasm2VecError>> {
  const path = join(dir, `${counter++}-${name}`);
  await writeFile(path, bytes);
  const results = new Map<string, EmbeddingTable | Wasm2VecError>();
  for (const format of READ_AS) {
    for (const limit of [undefined, 2]) {
      let table: EmbeddingTable & { format: EmbeddingFormat };
      try {
        table = await readEmbeddings(path, { format, limit });
      } catch (err) {
        if (!(err instanceof Wasm2VecError)) throw err; // anything else is a bug
        expect(err.message).toContain(path);
        if (limit === undefined) results.set(format, err);
        continue;
      }
      expect(EMBEDDING_FORMATS).toContain(table.format);
      if (format !== 'auto') expect(table.format).toBe(format);
      expect(Number.isInteger(table.dim) && table.dim >= 1).toBe(true);
      expect(table.vectors).toBeInstanceOf(Float32Array);
      expect(table.words.length).toBeGreaterThan(0);
      if (limit !== undefined) expect(table.words.length).toBeLessThanOrEqual(limit);
      expect(table.vectors.length).toBe(table.words.length * table.dim);
      for (let i = 0; i < table.vectors.length; i++) {
        if (!Number.isFinite(table.vectors[i])) throw new Error(`non-finite value ${table.vectors[i]} at ${i}`);
      }
      expect(new Set(table.words).size).toBe(table.words.length);
      for (const w of table.words) expect(typeof w === 'string' && w.length > 0).toBe(true);
      if (limit === undefined) results.set(format, table);
    }
  }
  return results;
}

const word = fc
  .array(fc.constantFrom('a', 'b', 'z', 'é', '漢', '😀', '<', '/', 's', '>', '0', '1', '-', '.', 'e', '\u00a0'), { minLength: 1, maxLength: 6 })
  .map((cs) => cs.join(''));

const table: fc.Arbitrary<EmbeddingTable> = fc
  .record({
    words: fc.uniqueArray(word, { minLength: 1, maxLength: 8 }),
    dim: fc.integer({ min: 1, max: 5 }),
    seed: fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 40 }),
  })
  .map(({ words, dim, seed }) => {
    const vectors = new Float32Array(words.length * dim);
    for (let i = 0; i < vectors.length; i++) vectors[i] = seed[i % seed.length];
    return { words, dim, vectors };
  });

/** Byte-level damage, plus splices of tokens that exercise the parsers' edge cases. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom(' ', '\n', '\r\n', '\t', 'nan', '-inf', '1e39', '1e-50', '0', '-0', '.', 'e', '999999999999 ', '\u0000', '\xff', 'x '),
  }),
);

type Mutation = { kind: 'set' | 'delete' | 'truncate' | 'insert'; at: number; byte?: number; len?: number; text?: string };

function mutate(bytes: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = Buffer.from(bytes);
  for (const m of ms) {
    if (b.length === 0) break;
    const at = m.at % (b.length + 1);
    switch (m.kind) {
      case 'set':
        if (at < b.length) b[at] = m.byte!;
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len!)]);
        break;
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), Buffer.from(m.text!, 'latin1'), b.subarray(at)]);
        break;
    }
  }
  return b;
}

async function encode(t: EmbeddingTable, format: EmbeddingFormat): Promise<Buffer> {
  const { readFile } = await import('node:fs/promises');
  const path = join(dir, `${counter++}-valid`);
  await writeEmbeddings(path, t, { format, fsync: false });
  return readFile(path);
}

// WASM2VEC_FUZZ_RUNS=20000 for a longer local run.
const RUNS = Number(process.env.WASM2VEC_FUZZ_RUNS ?? 300);
const FUZZ = { numRuns: RUNS, interruptAfterTimeLimit: RUNS > 300 ? 3_600_000 : 40_000, markInterruptAsFailure: false };

describe('fuzz', () => {
  it('random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 600 }),
          // random bytes behind a plausible header, to get past header checks
          fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 6 }), fc.uint8Array({ maxLength: 400 })).map(([n, d, rest]) =>
            Buffer.concat([Buffer.from(`${n} ${d}\n`), rest]),
          ),
          // random text made of the characters embedding files are made of
          fc.array(fc.constantFrom('a', 'b', ' ', '\n', '1', '0', '.', '-', 'e', '\r', '\t', '2 3\n', 'nan'), { maxLength: 200 }).map((cs) =>
            Buffer.from(cs.join('')),
          ),
        ),
        async (bytes) => {
          await readAllWays(bytes, 'random');
        },
      ),
      FUZZ,
    );
  });

  it('mutations of valid files (and exact round trips when unmutated)', async () => {
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.constantFrom(...WRITABLE),
        fc.array(mutation, { maxLength: 3 }),
        async (t, format, ms) => {
          const valid = await encode(t, format);
          const bytes = mutate(valid, ms);
          const results = await readAllWays(bytes, 'mutated');
          if (ms.length === 0) {
            const r = results.get(format);
            expect(r).not.toBeInstanceOf(Wasm2VecError);
            const got = r as EmbeddingTable;
            expect(got.words).toEqual(t.words);
            for (let i = 0; i < t.vectors.length; i++) {
              const want = t.vectors[i];
              if (format === 'word2vec-binary') expect(Object.is(got.vectors[i], want)).toBe(true);
              else if (format === 'fasttext-vec') expect(Math.abs(got.vectors[i] - want)).toBeLessThanOrEqual(Math.abs(want) * 1e-4); // "%.5g"
              else expect(Math.abs(got.vectors[i] - want)).toBeLessThanOrEqual(6e-7 + Math.abs(want) * 1e-7);
            }
          }
        },
      ),
      FUZZ,
    );
  });

  it('mutations of valid fastText .bin models (and exact round trips when unmutated)', async () => {
    const model = fc
      .record({ t: table, buckets: fc.integer({ min: 0, max: 4 }), minn: fc.integer({ min: 1, max: 3 }), span: fc.integer({ min: 0, max: 2 }) })
      .map(({ t, buckets, minn, span }) => {
        const stride = t.dim;
        const input = new Float32Array((t.words.length + buckets) * stride);
        for (let i = 0; i < input.length; i++) input[i] = t.vectors[i % t.vectors.length];
        const maxn = buckets === 0 ? 0 : minn + span;
        return new SubwordVectors({ words: t.words, dim: t.dim, input, stride, subwords: { minn, maxn, buckets } });
      });
    await fc.assert(
      fc.asyncProperty(model, fc.array(mutation, { maxLength: 3 }), async (m, ms) => {
        const { readFile } = await import('node:fs/promises');
        const path = join(dir, `${counter++}-valid.bin`);
        if (!m.vectors.every(Number.isFinite)) {
          // Rows so large that a word's sum overflows: the writer refuses the model as the reader would.
          await expect(writeFastTextModel(path, m, { fsync: false })).rejects.toThrow(/overflows float32/);
          return;
        }
        await writeFastTextModel(path, m, { fsync: false });
        const bytes = mutate(await readFile(path), ms);
        const results = await readAllWays(bytes, 'mutated.bin');
        if (ms.length === 0) {
          for (const format of ['auto', 'fasttext-bin']) {
            const got = results.get(format) as EmbeddingTable;
            expect(got).not.toBeInstanceOf(Wasm2VecError);
            expect(got.words).toEqual(m.words);
            expect(Buffer.from(got.vectors.buffer).equals(Buffer.from(m.vectors.buffer))).toBe(true);
          }
        }
      }),
      FUZZ,
    );
  });
});

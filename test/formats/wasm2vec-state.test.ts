// The wasm2vec training state file (src/formats/wasm2vec-state.ts): round trip of every field of
// both trainers' states (word2vec: version 1, GloVe: version 2), each reader refusing the other's, and
// fuzzing of both: random damage (byte flips, deletions, truncations; also with the checksum recomputed, so
// the structural checks are reached) never crashes or hangs, only Wasm2VecErrors naming the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { Wasm2VecError } from '../../src/errors.js';
import {
  GLOVE_STATE_VERSION, STATE_VERSION, gloveRowFloats, readGloveState, readStateFile, readTrainingState, writeGloveState, writeTrainingState,
  type GloveTrainingState, type TrainingState,
} from '../../src/formats/wasm2vec-state.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wasm2vec-state-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A small state whose matrices are padded views (stride 4 for dim 3), as the trainer hands them over. */
function sampleState(): TrainingState {
  const words = ['</s>', 'the', 'été', '漢字', 'x'];
  const dim = 3;
  const stride = 4;
  const padded = (rows: number, base: number) => {
    const data = new Float32Array(2 + rows * stride);
    for (let r = 0; r < rows; r++) for (let c = 0; c < dim; c++) data[2 + r * stride + c] = Math.fround(base + r + c / 10);
    return { data, rows, stride, offset: 2 };
  };
  return {
    options: { model: 'skipgram', dim, epochs: 2, subwords: { minn: 3, maxn: 4, buckets: 2 }, alpha: 0.025 },
    dim,
    words,
    counts: [10, 2 ** 40, 7, 5, 5],
    input: padded(words.length + 2, 1),
    output: padded(words.length, -3),
    hsOutput: padded(words.length - 1, 0.5),
    schedule: {
      wordsDone: 123, wordsTotal: 2 * 40, trainWords: 40, corpusTokens: 44,
      workers: [
        { start: 0, end: 20, epoch: 1, position: 7, random: 2n ** 64n - 1n, alpha: 0.0125 },
        { start: 20, end: 40, epoch: 2, position: 40, random: 5n, alpha: 0.0001 },
      ],
    },
  };
}

/** A small GloVe state: the line-break token first, rows of 2·dim + 2 floats (vector, bias, AdaGrad sums). */
function sampleGloveState(): GloveTrainingState {
  const words = ['</s>', 'the', 'été', '漢字'];
  const dim = 3;
  const cols = gloveRowFloats(dim);
  const rows = (base: number) => {
    const data = new Float32Array(words.length * cols);
    for (let i = 0; i < data.length; i++) data[i] = i % cols > dim ? Math.fround((base + i) / 7) : Math.fround(Math.sin(base + i));
    return { rows: words.length, data, copyRow: (r: number, out: Float32Array, at: number) => out.set(data.subarray(r * cols, (r + 1) * cols), at) };
  };
  return {
    trainer: 'glove',
    options: { dim, window: 5, epochs: 4, learningRate: 0.05, seed: 3 },
    dim,
    words,
    counts: [9, 2 ** 40, 7, 5],
    wordRows: rows(1),
    contextRows: rows(2),
    schedule: { epochs: 4, iterationsDone: 2, costs: [0.5, 0.25], pairs: 17, corpusTokens: 44 },
  };
}

function dense(m: TrainingState['input'], dim: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < dim; c++) out.push(m.data[(m.offset ?? 0) + r * m.stride + c]);
  return out;
}

describe('wasm2vec state file', () => {
  it('round-trips every field, atomically (no temporary file left)', async () => {
    const state = sampleState();
    const path = join(dir, 'round.w2v');
    await writeTrainingState(path, state, { fsync: false });
    const back = await readTrainingState(path);
    expect(back.options).toEqual(state.options);
    expect(back.dim).toBe(3);
    expect(back.words).toEqual(state.words);
    expect(back.counts).toEqual(state.counts);
    expect(back.schedule).toEqual(state.schedule);
    for (const key of ['input', 'output', 'hsOutput'] as const) {
      expect(back[key].rows).toBe(state[key].rows);
      expect(dense(back[key], 3)).toEqual(dense(state[key], 3));
    }
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('rejects a truncated file, a flipped byte and a wrong magic with the byte offset', async () => {
    const path = join(dir, 'bad.w2v');
    await writeTrainingState(path, sampleState(), { fsync: false });
    const good = await readFile(path);
    await writeFile(path, good.subarray(0, good.length - 10));
    await expect(readTrainingState(path)).rejects.toThrow(/bad\.w2v: byte \d+: .*truncated/);
    const flipped = Buffer.from(good);
    flipped[good.length - 20] ^= 0x40;
    await writeFile(path, flipped);
    await expect(readTrainingState(path)).rejects.toThrow(/byte \d+: checksum mismatch/);
    await writeFile(path, Buffer.concat([Buffer.from('W2VSTATX'), good.subarray(8)]));
    await expect(readTrainingState(path)).rejects.toThrow(/byte 0: not a wasm2vec state file/);
    await expect(readTrainingState(join(dir, 'missing.w2v'))).rejects.toThrow(Wasm2VecError);
  });

  it('fuzz: damaged files only ever give Wasm2VecErrors (also with a recomputed checksum)', async () => {
    const path = join(dir, 'fuzz-src.w2v');
    await writeTrainingState(path, sampleState(), { fsync: false });
    await fuzz(path, (file) => readStateFile(file));
  });

  it('GloVe (version 2): round-trips every field; each reader refuses the other trainer\'s state in one line', async () => {
    const state = sampleGloveState();
    const path = join(dir, 'glove.w2v');
    await writeGloveState(path, state, { fsync: false });
    expect((await readFile(path)).readUInt32LE(8)).toBe(GLOVE_STATE_VERSION);
    const back = await readGloveState(path);
    expect(back.trainer).toBe('glove');
    expect(back.options).toEqual(state.options);
    expect(back.words).toEqual(state.words);
    expect(back.counts).toEqual(state.counts);
    expect(back.schedule).toEqual(state.schedule);
    expect(Array.from(back.wordRows.data!)).toEqual(Array.from(state.wordRows.data!));
    expect(Array.from(back.contextRows.data!)).toEqual(Array.from(state.contextRows.data!));
    await expect(readTrainingState(path)).rejects.toThrow(/glove\.w2v: this is a GloVe training state/);
    const w2v = join(dir, 'w2v.w2v');
    await writeTrainingState(w2v, sampleState(), { fsync: false });
    // word2vec states stay version 1 (earlier builds read them).
    expect((await readFile(w2v)).readUInt32LE(8)).toBe(STATE_VERSION);
    await expect(readGloveState(w2v)).rejects.toThrow(/w2v\.w2v: this is a word2vec training state/);
  });

  it('GloVe: a negative AdaGrad sum, costs that do not match the iterations and a word2vec header under version 2 are refused', async () => {
    const state = sampleGloveState();
    state.contextRows.data![2 * gloveRowFloats(state.dim) + state.dim + 1] = -1;
    const path = join(dir, 'glove-bad.w2v');
    await writeGloveState(path, state, { fsync: false });
    await expect(readGloveState(path)).rejects.toThrow(/glove-bad\.w2v: byte \d+: the context rows holds a negative AdaGrad sum -1/);
    const costs = sampleGloveState();
    costs.schedule.costs.pop();
    await writeGloveState(path, costs, { fsync: false });
    await expect(readGloveState(path)).rejects.toThrow(/field schedule\.costs/);
    const w2v = join(dir, 'w2v-as-2.w2v');
    await writeTrainingState(w2v, sampleState(), { fsync: false });
    const bytes = await readFile(w2v);
    bytes.writeUInt32LE(GLOVE_STATE_VERSION, 8);
    bytes.writeUInt32LE(crc32(bytes.subarray(0, bytes.length - 4)) >>> 0, bytes.length - 4);
    await writeFile(w2v, bytes);
    await expect(readStateFile(w2v)).rejects.toThrow(/field trainer is undefined/);
  });

  it('fuzz: damaged GloVe states only ever give Wasm2VecErrors (also with a recomputed checksum)', async () => {
    const path = join(dir, 'fuzz-glove.w2v');
    await writeGloveState(path, sampleGloveState(), { fsync: false });
    await fuzz(path, (file) => readStateFile(file));
  });
});

/** Random damage (byte flips, deletions, truncations, insertions; also with the checksum recomputed, so the structural checks are reached). */
async function fuzz(path: string, read: (file: string) => Promise<TrainingState | GloveTrainingState>): Promise<void> {
  const good = await readFile(path);
  let n = 0;
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom('0', '9', '"', '{', '-1', '1e309', '\u0000', '\xff') }),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), async (ms, fixChecksum) => {
      let b = Buffer.from(good);
      for (const m of ms) {
        const at = m.at % (b.length + 1);
        if (m.kind === 'set' && at < b.length) b[at] = m.byte;
        if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]);
        if (m.kind === 'truncate') b = b.subarray(0, at);
        if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(m.text, 'latin1'), b.subarray(at)]);
      }
      if (fixChecksum && b.length >= 4) b.writeUInt32LE(crc32(b.subarray(0, b.length - 4)) >>> 0, b.length - 4);
      const file = join(dir, `fuzz-${n++}.w2v`);
      await writeFile(file, b);
      try {
        const state = await read(file);
        // A mutation that still parses must describe a consistent state.
        expect(state.counts.length).toBe(state.words.length);
        if ('trainer' in state) expect(state.wordRows.data!.length).toBe(state.words.length * gloveRowFloats(state.dim));
        else expect(state.input.data.length).toBe(state.input.rows * state.dim);
      } catch (err) {
        if (!(err instanceof Wasm2VecError)) throw err;
        expect(err.message).toContain(file);
        expect(err.message.split('\n').length).toBe(1);
      }
      await rm(file);
    }),
    { numRuns: Number(process.env.WASM2VEC_FUZZ_RUNS ?? 400) },
  );
}

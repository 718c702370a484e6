// The fault suite, library side (issue #13): bad options, aborts while the input stalls, aborted and
// redirected saves, thread clamping, divergence (kernels fed an absurd learning rate, and -negative
// 1000 with the batched update), and evaluation files.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { train } from '../../src/word2vec/train.js';
import { trainGlove } from '../../src/glove/train.js';
import { AbortError, Wasm2VecError } from '../../src/errors.js';
import { refuseOutputOverInput, writeFileAtomic } from '../../src/runtime/atomic-write.js';
import { liveTempPaths } from '../../src/runtime/temp-files.js';
import { checkChunkHealth, HEALTH_LIMIT } from '../../src/word2vec/health.js';
import { C_DIM, C_INPUT, C_NEGATIVE, C_OUTPUT, C_VOCAB_SIZE } from '../../src/abi/word2vec.js';
import { evaluateAnalogiesText, evaluateWordPairsText } from '../../src/model/evaluate.js';
import { KeyedVectors } from '../../src/model/index.js';
import { abortable } from '../../src/corpus/abortable.js';
import { maxThreads, threadCount } from '../../src/validate.js';
import { resolveSvdOptions } from '../../src/svd/options.js';
import { resolveSupervisedOptions } from '../../src/supervised/options.js';
import { sampleText, tempDir } from '../helpers.js';

let dir: { path: string; remove(): void };
let corpus: string;
beforeEach(() => {
  dir = tempDir();
  corpus = join(dir.path, 'corpus.txt');
  writeFileSync(corpus, sampleText(20_000));
});
afterEach(() => dir.remove());

const small = { epochs: 1, threads: 2, dim: 8, minCount: 2 };

describe('fault suite (API): options', () => {
  it.each([
    [{ dim: null }, /train\(\): option dim is null; leave it out/],
    [{ input: 42 }, /option input must be a corpus file path, "-" \(standard input\), a Readable, an \(async\) iterable of sentences .*got (number )?42/],
    [{ dim: Number.NaN }, /option dim must be an integer from 1 to 10000, got NaN/],
    [{ alpha: Number.POSITIVE_INFINITY }, /option alpha must be a number .* got Infinity/],
    [{ iter: 3 }, /unknown option "iter" \(did you mean "epochs"\?\)/],
  ])('train(%o) is refused with a clear Wasm2VecError', async (extra, message) => {
    const error = await train({ input: corpus, ...small, ...(extra as object) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Wasm2VecError);
    expect((error as Error).message).toMatch(message as RegExp);
  });

  it('trainGlove() refuses null values and an input that is not a corpus', async () => {
    await expect(trainGlove({ input: corpus, dim: null } as never)).rejects.toThrow(/option dim is null/);
    await expect(trainGlove({ input: 42 } as never)).rejects.toThrow(/option input must be a corpus file path/);
  });

  it('clamps threads to twice the machine\'s cores, at least 4 (500 threads asked)', async () => {
    const model = await train({ input: corpus, ...small, threads: 500 });
    expect(model.report.threads).toBe(Math.max(4, 2 * availableParallelism()));
    expect(model.report.threads).toBe(maxThreads());
    expect(threadCount('threads', 3, 2)).toBe(3);
    expect(threadCount('threads', 500, 2)).toBe(4);
    expect(threadCount('threads', 500, 16)).toBe(32);
    expect(() => threadCount('threads', 0, 2)).toThrow(/option threads must be an integer from 1 to 1024, got 0/);
  });

  it('the SVD and classifier options refuse null values and non-corpus inputs, and clamp threads alike', () => {
    for (const [resolve, what] of [[resolveSvdOptions, 'trainSvd()'], [resolveSupervisedOptions, 'trainClassifier()']] as const) {
      expect(() => resolve({ input: corpus, dim: null } as never)).toThrow(new RegExp(`${what.replace(/[()]/g, '\\$&')}: option dim is null`));
      expect(() => resolve({ input: 42 } as never)).toThrow(/option input must be a corpus file path/);
      expect(resolve({ input: corpus, threads: 500 } as never).threads).toBe(maxThreads());
    }
  });
});

describe('fault suite (API): aborts while the input stalls', () => {
  for (const [name, run] of [
    ['train', (input: AsyncIterable<string>, signal: AbortSignal) => train({ input, ...small, signal })],
    ['trainGlove', (input: AsyncIterable<string>, signal: AbortSignal) => trainGlove({ input, dim: 8, epochs: 1, threads: 1, signal })],
  ] as const) {
    it(`${name}() rejects with AbortError within a second of abort() while its async input is waiting`, async () => {
      async function* stalled() {
        yield 'some words to start with\n';
        await new Promise(() => {}); // never yields again
      }
      const controller = new AbortController();
      const pending = run(stalled(), controller.signal);
      await new Promise((r) => setTimeout(r, 200));
      const aborted = Date.now();
      controller.abort();
      await expect(pending).rejects.toBeInstanceOf(AbortError);
      expect(Date.now() - aborted).toBeLessThan(1000);
      expect(liveTempPaths()).toEqual([]);
    }, 15_000);
  }

  it('abortable() passes everything through when not aborted, and asks the source to close when it is', async () => {
    let closed = false;
    async function* source() {
      try {
        yield 1;
        yield 2;
        await new Promise(() => {});
      } finally {
        closed = true;
      }
    }
    const controller = new AbortController();
    const seen: number[] = [];
    const consuming = (async () => {
      for await (const x of abortable(source(), controller.signal)) seen.push(x);
    })();
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await expect(consuming).rejects.toBeInstanceOf(AbortError);
    expect(seen).toEqual([1, 2]);
    const all: number[] = [];
    for await (const x of abortable((async function* () { yield 1; yield 2; yield 3; })(), new AbortController().signal)) all.push(x);
    expect(all).toEqual([1, 2, 3]);
    void closed; // a generator blocked in an await cannot run its finally; return() is still requested
  });
});

describe('fault suite (API): outputs', () => {
  it('an aborted save removes its temporary file and leaves the earlier file intact', async () => {
    const path = join(dir.path, 'out.txt');
    writeFileSync(path, 'earlier');
    const controller = new AbortController();
    const saving = writeFileAtomic(path, async (out) => {
      for (let i = 0; i < 1000; i++) {
        await out.write('x'.repeat(10_000));
        if (i === 10) controller.abort();
      }
    }, { signal: controller.signal, bufferSize: 4096 });
    await expect(saving).rejects.toBeInstanceOf(AbortError);
    expect(readFileSync(path, 'utf8')).toBe('earlier');
    expect(readdirSync(dir.path).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(liveTempPaths()).toEqual([]);
  });

  it('a model saved to a FIFO streams into it (the FIFO stays a FIFO)', async () => {
    const fifo = join(dir.path, 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let received = '';
    reader.stdout.on('data', (d) => (received += d));
    const closed = new Promise((r) => reader.on('close', r));
    await new KeyedVectors(['a', 'b'], 2, Float32Array.from([1, 0, 0, 1])).save(fifo, { format: 'word2vec-text' });
    await closed;
    expect(received).toBe('2 2\na 1.000000 0.000000 \nb 0.000000 1.000000 \n');
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it('a new file gets the default mode; a replaced one keeps its own', async () => {
    const path = join(dir.path, 'secret.txt');
    writeFileSync(path, 'old');
    chmodSync(path, 0o640);
    await writeFileAtomic(path, async (out) => out.write('new'));
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readFileSync(path, 'utf8')).toBe('new');
  });

  it('refuseOutputOverInput compares files, not spellings', () => {
    expect(() => refuseOutputOverInput(join(dir.path, '.', 'corpus.txt'), [corpus])).toThrow(/is the input file/);
    expect(() => refuseOutputOverInput(join(dir.path, 'other.txt'), [corpus])).not.toThrow();
    expect(() => refuseOutputOverInput(corpus, ['-'])).not.toThrow();
    expect(existsSync(join(dir.path, 'other.txt'))).toBe(false);
  });
});

describe('fault suite (API): divergence', () => {
  it('the kernels fed an absurd learning rate are stopped at the first chunk with an error naming alpha', async () => {
    for (const options of [{ model: 'skipgram' as const }, { model: 'skipgram' as const, update: 'classic' as const }, { model: 'cbow' as const }]) {
      let furthest = 0;
      const error = await train({ input: corpus, ...small, ...options, epochs: 5, alpha: 10, onProgress: (e) => { if (e.phase === 'train') furthest = Math.max(furthest, e.fraction); } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Wasm2VecError);
      expect((error as Error).message).toMatch(/training diverged .* holds (NaN|-?Infinity|-?\d)/);
      expect((error as Error).message).toMatch(/lower alpha \(now 10, default 0\.0[25]+\)/);
      expect(furthest).toBeLessThan(0.5); // stopped early, not at the end of 5 epochs
    }
  });

  it('checkChunkHealth finds a NaN, an Infinity or a huge component in a sampled row and passes healthy rows', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const config = 0;
    const ids = 1024;
    const input = 2048;
    const output = 4096;
    const view = new DataView(memory.buffer);
    view.setInt32(C_DIM, 4, true);
    view.setInt32(C_VOCAB_SIZE, 10, true);
    view.setInt32(C_NEGATIVE, 5, true);
    view.setUint32(C_INPUT, input, true);
    view.setUint32(C_OUTPUT, output, true);
    new Int32Array(memory.buffer, ids, 8).set([1, 2, 3, 4, 5, 6, 7, 8]);
    const f32 = new Float32Array(memory.buffer);
    expect(checkChunkHealth(memory, config, ids, 8)).toBeUndefined();
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -2 * HEALTH_LIMIT]) {
      f32[output / 4 + 3 * 4 + 2] = bad; // output row of word 3
      expect(checkChunkHealth(memory, config, ids, 8)).toMatchObject({ word: 3, matrix: 'output' });
      f32[output / 4 + 3 * 4 + 2] = 0.5;
      f32[input / 4 + 7 * 4 + 1] = bad; // input row of word 7
      expect(checkChunkHealth(memory, config, ids, 8)).toMatchObject({ word: 7, matrix: 'input' });
      f32[input / 4 + 7 * 4 + 1] = 0.5;
    }
  });

  it('batched skip-gram at negative 1000 trains to finite vectors (it diverged to NaN before)', async () => {
    const model = await train({ input: corpus, epochs: 1, threads: 2, dim: 20, minCount: 2, negative: 1000 });
    let nonFinite = 0;
    for (const v of model.vectors) if (!Number.isFinite(v)) nonFinite++;
    expect(nonFinite).toBe(0);
    expect(model.mostSimilar('the').length).toBeGreaterThan(0); // [] when the vectors were NaN
  });
});

describe('fault suite (API): evaluation files', () => {
  const model = () => new KeyedVectors(['a', 'b', 'c', 'd'], 2, Float32Array.from([1, 0, 0, 1, 1, 1, 1, -1]));

  it('word pairs: non-finite scores are refused with the line; malformed lines are counted with the first', () => {
    expect(() => evaluateWordPairsText(model(), 'a\tb\t1\na\tc\tnan\n', {}, 'ws.tsv')).toThrow(/ws\.tsv line 2: score "nan" is not a finite number/);
    expect(() => evaluateWordPairsText(model(), 'a b 1e999\n', {}, 'ws.tsv')).toThrow(/line 1: score "1e999"/);
    const r = evaluateWordPairsText(model(), '# comment\na b 1\n\nonly two\na c 2\nb c 3\nc d x\n', {}, 'ws.tsv');
    expect(r).toMatchObject({ pairs: 3, skipped: 2, firstSkippedLine: 4 });
    expect(Number.isFinite(r.pearson)).toBe(true);
  });

  it('analogies: malformed lines are counted with the first line number', () => {
    const r = evaluateAnalogiesText(model(), ': s\na b c d\nthree words only\n\na b c\nb a d c\n');
    expect(r).toMatchObject({ questions: 2, skipped: 2, firstSkippedLine: 3 });
    expect(evaluateAnalogiesText(model(), ': s\na b c d\n')).toMatchObject({ skipped: 0 });
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runAnalogy } from '../../src/cli/commands/analogy.js';
import { run as runEval } from '../../src/cli/commands/eval.js';
import { run as runSimilar } from '../../src/cli/commands/similar.js';
import type { CommandIO } from '../../src/cli/io.js';
import { Wasm2VecError } from '../../src/errors.js';
import { KeyedVectors } from '../../src/model/index.js';

// man (1,0,1,0), woman (0,1,1,0), king (1,0,0,1), queen (0,1,0,1), prince (1,.2,0,1): man:king::woman:queen exactly.
const MODEL = new KeyedVectors(
  ['man', 'woman', 'king', 'queen', 'prince'],
  4,
  Float32Array.from([1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0.2, 0, 1]),
);

function capture(stdin?: PassThrough & { isTTY?: boolean }): CommandIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: stdin ?? Object.assign(new PassThrough(), { isTTY: false }),
    out: () => out,
    err: () => err,
  };
}

let dir: string;
let model: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'w2v-cmd-'));
  model = join(dir, 'model.txt');
  await MODEL.save(model, { format: 'word2vec-text' });
  await writeFile(join(dir, 'q.txt'), ': family\nman king woman queen\nman king woman prince\nman king woman zzz\n: gram1\nking queen man woman\n');
  await writeFile(join(dir, 'pairs.tsv'), '# w1\tw2\tscore\nman\twoman\t5\nman\tking\t6\nking\tqueen\t4\nqueen\tprince\t3\nman\tzzz\t1\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('wasm2vec similar', () => {
  it('prints neighbours as JSON and as a table', async () => {
    const io = capture();
    expect(await runSimilar([model, 'king', '-n', '2', '--json'], io)).toBe(0);
    const json = JSON.parse(io.out());
    expect(json.positive).toEqual(['king']);
    expect(json.negative).toEqual([]);
    expect(json.results.map((r: { word: string }) => r.word)).toEqual(MODEL.mostSimilar('king', { topN: 2 }).map((r) => r.word));
    expect(json.results[0].score).toBeCloseTo(MODEL.mostSimilar('king')[0].score, 5);

    const text = capture();
    expect(await runSimilar([model, 'king', '--top', '3'], text)).toBe(0);
    const lines = text.out().trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^1 {2}prince +0\.\d{4}$/);
  });

  it('adds several words and subtracts --negative ones', async () => {
    const io = capture();
    await runSimilar([model, 'king', 'woman', '--negative', 'man', '--json', '-n', '1'], io);
    const json = JSON.parse(io.out());
    expect(json.negative).toEqual(['man']);
    expect(json.results[0].word).toBe('queen');
    expect(json.results[0].score).toBeCloseTo(1, 5);
  });

  it('reports bad input as Wasm2VecError', async () => {
    await expect(runSimilar([model, 'zebra'], capture())).rejects.toThrow(/zebra/);
    await expect(runSimilar([model, 'king', '--bogus'], capture())).rejects.toThrow(Wasm2VecError);
    await expect(runSimilar([model, 'king', '--bogus'], capture())).rejects.toThrow(/bogus/);
    await expect(runSimilar([model, 'king', '-n', 'x'], capture())).rejects.toThrow(/--top/);
    await expect(runSimilar([model, 'king', '-n', '0'], capture())).rejects.toThrow(/positive integer/);
    await expect(runSimilar([], capture())).rejects.toThrow(/MODEL/);
    await expect(runSimilar([join(dir, 'nope.txt'), 'king'], capture())).rejects.toThrow(Wasm2VecError);
    await expect(runSimilar([model, 'king', '--format', 'xml'], capture())).rejects.toThrow(/--format/);
    const help = capture();
    expect(await runSimilar(['--help'], help)).toBe(0);
    expect(help.out()).toMatch(/usage: wasm2vec similar/);
  });

  it('runs an interactive prompt on a terminal', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const io = capture(stdin);
    const done = runSimilar([model, '-n', '1'], io);
    stdin.write('king -man woman\n\nzebra\nQUIT\n');
    expect(await done).toBe(0);
    expect(io.out()).toMatch(/similar> /);
    expect(io.out()).toMatch(/1 {2}queen {2}1\.0000/);
    expect(io.out()).toMatch(/not in vocabulary: "zebra"/);
    expect(io.err()).toMatch(/5 words, dimension 4/);
  });
});

describe('queries from stdin (pipes and scripts)', () => {
  function piped(text: string) {
    const stdin = Object.assign(new PassThrough(), { isTTY: false });
    stdin.end(text);
    return capture(stdin);
  }

  it('similar answers one JSON object per line, with an error object and exit code 1 for a failed query', async () => {
    const io = piped('king\n\nking -man woman\nzebra\n');
    expect(await runSimilar([model, '-n', '1', '--json'], io)).toBe(1);
    const lines = io.out().trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ query: 'king', positive: ['king'], negative: [] });
    expect(lines[0].results).toHaveLength(1);
    expect(lines[1]).toMatchObject({ query: 'king -man woman', positive: ['king', 'woman'], negative: ['man'] });
    expect(lines[1].results[0].word).toBe('queen');
    expect(lines[2].query).toBe('zebra');
    expect(lines[2].error).toMatch(/zebra/);
    expect(io.err()).toMatch(/stdin line 4: .*zebra/);
    expect(io.out()).not.toMatch(/similar> /);

    const text = piped('king\nqueen\n');
    expect(await runSimilar([model, '-n', '2'], text)).toBe(0);
    expect(text.out()).toMatch(/^query: king\n1 {2}\w+ +\d\.\d{4}\n2 .*\nquery: queen\n1 /);
  });

  it('analogy reads "A B C" lines', async () => {
    const io = piped('man king woman\nman king\n');
    expect(await runAnalogy([model, '-n', '1', '--json'], io)).toBe(1);
    const [first, second] = io.out().trim().split('\n').map((l) => JSON.parse(l));
    expect(first).toMatchObject({ query: 'man king woman', a: 'man', b: 'king', c: 'woman', method: '3cosadd' });
    expect(first.results[0].word).toBe('queen');
    expect(second.error).toMatch(/three words/);
    const ok = piped('man king woman\n');
    expect(await runAnalogy([model, '--method', '3cosmul'], ok)).toBe(0);
    expect(ok.out()).toMatch(/^query: man king woman\nman : king :: woman : \? {3}\(3cosmul\)\n1 {2}queen/);
  });
});

describe('wasm2vec analogy', () => {
  it('solves a : b :: c : ? with either method', async () => {
    const io = capture();
    expect(await runAnalogy([model, 'man', 'king', 'woman', '--json'], io)).toBe(0);
    const json = JSON.parse(io.out());
    expect(json).toMatchObject({ a: 'man', b: 'king', c: 'woman', method: '3cosadd' });
    expect(json.results[0].word).toBe('queen');
    expect(json.results[0].score).toBeCloseTo(1, 5);
    expect(json.results).toHaveLength(2);

    const mul = capture();
    await runAnalogy([model, 'man', 'king', 'woman', '--method', '3cosmul', '-n', '1', '--json'], mul);
    expect(JSON.parse(mul.out()).results.map((r: { word: string }) => r.word)).toEqual(['queen']);

    const text = capture();
    await runAnalogy([model, 'man', 'king', 'woman'], text);
    expect(text.out()).toMatch(/^man : king :: woman : \? {3}\(3cosadd\)\n1 {2}queen/);
  });

  it('rejects bad arguments', async () => {
    await expect(runAnalogy([model, 'man', 'king'], capture())).rejects.toThrow(/MODEL A B C/);
    await expect(runAnalogy([model, 'man', 'king', 'woman', '--method', 'pairdir'], capture())).rejects.toThrow(/--method/);
    await expect(runAnalogy([model, 'man', 'king', 'zebra'], capture())).rejects.toThrow(/zebra/);
  });
});

describe('wasm2vec eval', () => {
  it('prints JSON results for analogies and pairs', async () => {
    const io = capture();
    const code = await runEval([model, '--analogies', join(dir, 'q.txt'), '--pairs', join(dir, 'pairs.tsv'), '--json'], io);
    expect(code).toBe(0);
    const json = JSON.parse(io.out());
    expect(json.analogies.sections.map((s: { section: string; correct: number; incorrect: number }) => [s.section, s.correct, s.incorrect])).toEqual([
      ['family', 1, 1],
      ['gram1', 1, 0],
    ]);
    expect(json.analogies.total).toEqual({ correct: 2, incorrect: 1, accuracy: 2 / 3 });
    expect(json.analogies.semantic.accuracy).toBe(0.5);
    expect(json.analogies.syntactic.accuracy).toBe(1);
    expect(json.analogies.oov).toBe(1);
    expect(json.pairs).toHaveLength(1);
    // model cosines: man-woman .5, man-king .5, king-queen .5 (a three-way tie), queen-prince 1.2/√(2·2.04) ≈ .594
    expect(json.pairs[0]).toMatchObject({ pairs: 4, oov: 1, oovRatio: 20 });
    expect(json.pairs[0].spearman).toBeCloseTo(-3 / Math.sqrt(15), 10); // ranks gold [3,4,2,1], model [2,2,2,4]
  });

  it('prints a readable table', async () => {
    const io = capture();
    await runEval([model, '--analogies', join(dir, 'q.txt'), '--pairs', join(dir, 'pairs.tsv'), '--restrict', '4'], io);
    const out = io.out();
    expect(out).toMatch(/first 4 words; 4 questions, 2 \(50\.0%\) skipped/);
    expect(out).toMatch(/ {2}family +1 +1 +100\.00%/);
    expect(out).toMatch(/ {2}total +2 +2 +100\.00%/);
    expect(out).toMatch(/Word pairs: pairs\.tsv\n {2}Spearman/);
  });

  it('needs something to evaluate', async () => {
    await expect(runEval([model], capture())).rejects.toThrow(/nothing to evaluate/);
    await expect(runEval([model, '--pairs', join(dir, 'missing.tsv')], capture())).rejects.toThrow(Wasm2VecError);
    await expect(runEval([model, '--analogy', 'x'], capture())).rejects.toThrow(/analogy/);
  });
});

/**
 * Chinese end to end (issue #15): training time of skip-gram on raw Chinese text with
 * `--tokenizer jieba --normalize t2s`, against the same text already segmented (whitespace
 * tokenizer) and against word2vec.c on the segmented text, in one run; the vocabulary pass alone on
 * 1 and N threads (the text tokenizers on worker threads); and zh-analogy coverage and accuracy of
 * every model (untimed) after every round, with the median and each round's figure (wasm2vec runs
 * round r with --seed r; word2vec.c's seeds are fixed, its rounds differ by thread timing).
 *
 *   npm run build && node dist/bench/chinese.js [--corpus ../shared/data/zhwiki-dev.txt]
 *     [--epochs 3] [--dim 100] [--threads 2] [--repeats 1] [--analogies ../shared/data/eval/zh-analogy.txt]
 *     [--word2vec-c PATH] [--out DIR] [--lines N]
 *
 * Run it on a quiet machine: every figure is wall-clock seconds of a whole process (median of
 * --repeats rounds, alternating order) or of the vocabulary pass (best of --repeats). Targets (the issue's): raw jieba+t2s ≤ 1.3 × the
 * segmented run, word2vec.c ≥ 4 × the raw jieba+t2s run. --lines N trains on the corpus's first N
 * lines (a smoke test).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { countVocabulary } from '../src/corpus/count-vocabulary.js';
import { IdSpool } from '../src/corpus/id-spool.js';
import { loadJieba } from '../src/corpus/jieba.js';
import { loadScriptConverter } from '../src/corpus/script-conversion.js';
import { KeyedVectors } from '../src/model/index.js';
import { evaluateAnalogies } from '../src/model/evaluate.js';
import { toolById, type RunContext } from './e2e/peers.js';
import { describeMachine, machineInfo } from './lib/machine.js';
import { repoRoot } from './lib/paths.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const shared = resolve(repoRoot, '..', 'shared', 'data');
const corpusArg = option('corpus', join(shared, 'zhwiki-dev.txt'));
const analogies = option('analogies', join(shared, 'eval', 'zh-analogy.txt'));
const epochs = option('epochs', '3');
const dim = option('dim', '100');
const threads = option('threads', '2');
const repeats = Number(option('repeats', '1'));
const lines = Number(option('lines', '0'));
const work = mkdtempSync(join(tmpdir(), 'wasm2vec-bench-zh-'));
const out = option('out', join(repoRoot, 'bench', 'results', 'chinese'));
const cli = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
// word2vec.c's settings, as bench/e2e: window 5, negative 5, sample 1e-4, min-count 5.
const common = ['--window', '5', '--negative', '5', '--sample', '1e-4', '--min-count', '5', '--dim', dim, '--epochs', epochs, '--threads', threads];

interface Timed {
  label: string;
  command: string;
  seconds: number[];
  vectors: string;
  /** zh-analogy accuracy of each round's vectors (wasm2vec: --seed = round; word2vec.c has fixed seeds). */
  accuracies: number[];
}

function run(command: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${(result.stderr || result.stdout).slice(-500)}`);
  return (performance.now() - started) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function vocabularySeconds(input: string, threadCount: number): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const spool = new IdSpool();
    const started = performance.now();
    await countVocabulary(input, spool, { minCount: 5, threads: threadCount, tokenizer: 'jieba', normalize: 't2s' });
    best = Math.min(best, (performance.now() - started) / 1000);
    spool.dispose();
  }
  return best;
}

async function main(): Promise<void> {
  let corpus = corpusArg;
  if (lines > 0) {
    corpus = join(work, 'corpus.txt');
    writeFileSync(corpus, readFileSync(corpusArg, 'utf8').split('\n').slice(0, lines).join('\n') + '\n');
  }
  const ctx = { workDir: work, word2vecBinary: process.argv.includes('--word2vec-c') ? option('word2vec-c', '') : undefined } as RunContext;
  const w2v = toolById('word2vec.c').prepare(ctx);
  if (!w2v.available) throw new Error(`word2vec.c: ${w2v.reason}`);

  // The segmented text the other two runs train on (made once, not timed with them).
  const segmented = join(work, 'segmented.txt');
  const segmentSeconds = run(process.execPath, [cli, 'segment', '--input', corpus, '--output', segmented, '--tokenizer', 'jieba', '--normalize', 't2s', '--quiet']);

  const vec = (name: string) => join(work, `${name}.vectors.txt`);
  // Rounds interleave the tools, in reverse order every other round (A B C D, D C B A): a change in
  // machine load hits every tool alike, and so does this host's first-of-a-round penalty.
  const specs: [string, string, string[], string][] = [
    ['wasm2vec raw, --tokenizer jieba --normalize t2s', process.execPath, [cli, 'train', '--input', corpus, '--output', vec('raw-jieba'), '--tokenizer', 'jieba', '--normalize', 't2s', ...common, '--quiet'], vec('raw-jieba')],
    ['wasm2vec segmented (whitespace)', process.execPath, [cli, 'train', '--input', segmented, '--output', vec('segmented'), ...common, '--quiet'], vec('segmented')],
    ['word2vec.c segmented', ctx.word2vecBinary!, ['-train', segmented, '-output', vec('word2vec-c'), '-cbow', '0', '-size', dim, '-window', '5', '-negative', '5', '-hs', '0', '-sample', '1e-4', '-threads', threads, '-iter', epochs, '-min-count', '5', '-binary', '0'], vec('word2vec-c')],
    ['wasm2vec raw, --tokenizer unicode --normalize t2s', process.execPath, [cli, 'train', '--input', corpus, '--output', vec('raw-unicode'), '--tokenizer', 'unicode', '--normalize', 't2s', ...common, '--quiet'], vec('raw-unicode')],
  ];
  const runs: Timed[] = specs.map(([label, command, args, vectors]) => ({ label, command: [command, ...args].join(' '), seconds: [], vectors, accuracies: [] }));
  const quality: { label: string; vocabulary: number; covered: number; questions: number; accuracy: number }[] = [];
  for (let round = 0; round < repeats; round++) {
    const order = round % 2 === 0 ? [0, 1, 2, 3] : [3, 2, 1, 0];
    const seed = specs.map(([, command]) => (command === process.execPath ? ['--seed', String(round + 1)] : []));
    for (const i of order) runs[i].seconds.push(run(specs[i][1], [...specs[i][2], ...seed[i]]));
    // Every round's vectors are scored (untimed): a 699-question test is noisy, the spread shows how much.
    for (const [i, t] of runs.entries()) {
      const model = await KeyedVectors.load(t.vectors);
      const result = await evaluateAnalogies(model, analogies);
      t.accuracies.push(result.total.accuracy);
      if (round === 0) quality[i] = { label: t.label, vocabulary: model.size, covered: result.questions - result.oov, questions: result.questions, accuracy: Number.NaN };
    }
  }
  for (const [i, t] of runs.entries()) quality[i].accuracy = median(t.accuracies);

  // jieba's dictionary and OpenCC's tables load once per thread: load them here first, so the
  // one-thread figure does not pay for a load the N-thread one (on this thread) would not.
  await loadJieba();
  await loadScriptConverter('t2s');
  const vocabulary1 = await vocabularySeconds(corpus, 1);
  const vocabularyN = await vocabularySeconds(corpus, Number(threads));

  const best = (t: Timed) => median(t.seconds);
  const [raw, seg, c] = runs;
  const report = {
    machine: machineInfo(),
    corpus: corpusArg,
    lines: lines || undefined,
    settings: { epochs, dim, threads, window: 5, negative: 5, sample: 1e-4, minCount: 5, repeats },
    segmentSeconds,
    runs: runs.map((t) => ({ label: t.label, command: t.command, seconds: t.seconds, best: best(t), accuracies: t.accuracies })),
    ratios: { rawOverSegmented: best(raw) / best(seg), word2vecCOverRaw: best(c) / best(raw) },
    vocabularyPass: { jiebaT2sOneThread: vocabulary1, jiebaT2sThreads: vocabularyN, speedup: vocabulary1 / vocabularyN },
    quality,
  };
  mkdirSync(out, { recursive: true });
  const file = join(out, `${new Date().toISOString().replace(/[:.]/g, '-')}-chinese.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  const rows = runs.map((t) => `| ${t.label} | ${best(t).toFixed(1)} |`).join('\n');
  const percent = (x: number) => `${(100 * x).toFixed(2)} %`;
  const q = quality
    .map((r, i) => `| ${r.label} | ${r.vocabulary} | ${r.covered} / ${r.questions} | ${percent(r.accuracy)} | ${runs[i].accuracies.map(percent).join(', ')} |`)
    .join('\n');
  console.log(`${describeMachine(report.machine)}

| run (${epochs} epochs, dim ${dim}, ${threads} threads) | wall s (median of ${repeats}) |
|---|---|
${rows}

raw jieba+t2s / segmented = ${report.ratios.rawOverSegmented.toFixed(2)} (target ≤ 1.3); word2vec.c / raw jieba+t2s = ${report.ratios.word2vecCOverRaw.toFixed(2)} (target ≥ 4)
vocabulary pass, jieba + t2s: 1 thread ${vocabulary1.toFixed(1)} s, ${threads} threads ${vocabularyN.toFixed(1)} s (× ${report.vocabularyPass.speedup.toFixed(2)}); segmenting alone took ${segmentSeconds.toFixed(1)} s

| model | vocabulary | zh-analogy covered | accuracy (median) | each round |
|---|---|---|---|---|
${q}

wrote ${file}`);
}

main().finally(() => rmSync(work, { recursive: true, force: true })).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

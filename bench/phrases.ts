/**
 * Phrases (issue #18 item 7): `wasm2vec phrases` against word2vec.c's word2phrase with the same
 * settings on the same corpus, in ABBA rounds (word2phrase, wasm2vec, then wasm2vec, word2phrase,
 * ...), wall seconds of each whole process, medians and the ratio; every output is compared byte
 * for byte with word2phrase's (a mismatch fails the run). Then wasm2vec on 1 and N threads, ABBA too.
 *
 *   npm run build && node dist/bench/phrases.js --word2phrase PATH [--corpus ../shared/data/enwiki-100M.txt]
 *     [--rounds 3] [--threads 2] [--threshold 100] [--min-count 5] [--bytes N] [--out DIR]
 *
 * word2phrase: the word2phrase.c in the npm package `word2vec` (src/word2phrase.c), compiled with
 * gcc -O3 -march=native -funroll-loops, outside this repository. Run it on a quiet machine.
 * Target (the issue's): word2phrase ÷ wasm2vec > 1 (wasm2vec faster), identical output.
 * --bytes N uses the corpus's first N bytes, cut after a line end (a smoke test).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeMachine, machineInfo } from './lib/machine.js';
import { cliPath, repoRoot } from './lib/paths.js';
import { median } from './lib/stats.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const corpusArg = option('corpus', resolve(repoRoot, '..', 'shared', 'data', 'enwiki-100M.txt'));
const word2phrase = option('word2phrase', 'word2phrase');
const rounds = Number(option('rounds', '3'));
const threads = option('threads', '2');
const threshold = option('threshold', '100');
const minCount = option('min-count', '5');
const bytes = Number(option('bytes', '0'));
const out = option('out', join(repoRoot, 'bench', 'results', 'phrases'));
const work = mkdtempSync(join(tmpdir(), 'wasm2vec-bench-phrases-'));

interface Variant {
  label: string;
  command: string;
  args: string[];
  output: string;
  seconds: number[];
}

function timed(command: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  if (result.error) throw new Error(`${command}: ${result.error.message}${command === word2phrase ? ' (give --word2phrase PATH)' : ''}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${(result.stderr || result.stdout).slice(-500)}`);
  return (performance.now() - started) / 1000;
}

function variant(label: string, command: string, args: string[], output: string): Variant {
  return { label, command, args, output, seconds: [] };
}

/** ABBA rounds of two variants: round r runs them in order, r+1 in reverse. */
function abba(a: Variant, b: Variant, check?: () => void): void {
  for (let round = 0; round < rounds; round++) {
    for (const v of round % 2 === 0 ? [a, b] : [b, a]) v.seconds.push(timed(v.command, v.args));
    check?.();
  }
}

function headOfCorpus(path: string, n: number): string {
  const buffer = Buffer.alloc(n);
  const fd = openSync(path, 'r');
  const read = readSync(fd, buffer, 0, n, 0);
  closeSync(fd);
  const cut = buffer.subarray(0, read).lastIndexOf(0x0a);
  const file = join(work, 'corpus.txt');
  writeFileSync(file, buffer.subarray(0, cut + 1));
  return file;
}

function main(): void {
  const corpus = bytes > 0 ? headOfCorpus(corpusArg, bytes) : corpusArg;
  const settings = ['-threshold', threshold, '-min-count', minCount];
  const c = variant('word2phrase (word2vec.c)', word2phrase, ['-train', corpus, '-output', join(work, 'c.txt'), ...settings, '-debug', '0'], join(work, 'c.txt'));
  const w = variant(`wasm2vec phrases, ${threads} threads`, process.execPath, [cliPath, 'phrases', '-train', corpus, '-output', join(work, 'w.txt'), ...settings, '--threads', threads, '--quiet'], join(work, 'w.txt'));
  const same = () => {
    if (!readFileSync(c.output).equals(readFileSync(w.output))) throw new Error(`outputs differ: cmp ${c.output} ${w.output}`);
  };
  abba(c, w, same);
  const w1 = variant('wasm2vec phrases, 1 thread', process.execPath, [cliPath, 'phrases', '-train', corpus, '-output', join(work, 'w1.txt'), ...settings, '--threads', '1', '--quiet'], join(work, 'w1.txt'));
  const wn = variant(`wasm2vec phrases, ${threads} threads`, w.command, w.args, w.output);
  abba(w1, wn, () => {
    if (!readFileSync(w1.output).equals(readFileSync(c.output))) throw new Error('the 1-thread output differs from word2phrase\'s');
  });
  const phrased = readFileSync(w.output, 'latin1');
  const count = (phrase: string) => phrased.split(` ${phrase}`).length - 1;
  const report = {
    machine: machineInfo(),
    corpus: corpusArg,
    bytes: bytes || undefined,
    settings: { threshold, minCount, threads, rounds },
    identical: true,
    runs: [c, w, w1, wn].map((v) => ({ label: v.label, command: [v.command, ...v.args].join(' '), seconds: v.seconds, median: median(v.seconds) })),
    word2phraseOverWasm2vec: median(c.seconds) / median(w.seconds),
    oneOverNThreads: median(w1.seconds) / median(wn.seconds),
    phrases: { new_york: count('new_york'), united_states: count('united_states') },
  };
  console.log(describeMachine(report.machine));
  console.log(`corpus ${corpus}; threshold ${threshold}, min-count ${minCount}; ${rounds} ABBA rounds; outputs byte-identical: yes`);
  for (const r of report.runs) console.log(`${r.label.padEnd(34)} median ${r.median.toFixed(2)} s  (${r.seconds.map((s) => s.toFixed(2)).join(', ')})`);
  console.log(`word2phrase / wasm2vec (${threads} threads): ${report.word2phraseOverWasm2vec.toFixed(2)}x  (target > 1)`);
  console.log(`wasm2vec 1 thread / ${threads} threads: ${report.oneOverNThreads.toFixed(2)}x`);
  console.log(`" new_york": ${report.phrases.new_york}, " united_states": ${report.phrases.united_states}`);
  mkdirSync(out, { recursive: true });
  const file = join(out, `${new Date().toISOString().replace(/[:.]/g, '-')}-phrases.json`);
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  console.log(`wrote ${file}`);
}

try {
  main();
} finally {
  rmSync(work, { recursive: true, force: true });
}

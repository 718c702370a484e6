import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultEvalDir, defaultResultsDir } from '../lib/paths.js';

export const MODES = ['sg', 'cbow', 'glove', 'sg-subwords', 'cbow-subwords'] as const;
export type Mode = (typeof MODES)[number];
export const MODE_LABEL: Record<Mode, string> = {
  sg: 'skip-gram', cbow: 'CBOW', glove: 'GloVe', 'sg-subwords': 'skip-gram + subwords', 'cbow-subwords': 'CBOW + subwords',
};
/** Modes run when --modes is not given (the subword modes are asked for by name). */
export const DEFAULT_MODES: Mode[] = ['sg', 'cbow', 'glove'];

export const TOOL_IDS = ['wasm2vec', 'wasm2vec-classic', 'wasm2vec-baseline', 'word2vec.c', 'fasttext', 'gensim'] as const;
export type ToolId = (typeof TOOL_IDS)[number];

/** The training settings every tool gets. */
export interface TrainSettings {
  dim: number;
  window: number;
  negative: number;
  sample: number;
  minCount: number;
  threads: number;
  epochs: number;
  /** GloVe only: its co-occurrence window and iterations. */
  gloveWindow: number;
  gloveIterations: number;
  /** GloVe's weighting cutoff (glove -x-max); BASELINES.md and demo.sh use 10. */
  gloveXMax: number;
}

export interface E2eOptions {
  corpus: string;
  /** Train on this many copies of the corpus (one temporary file). */
  repeat: number;
  runs: number;
  modes: Mode[];
  tools: ToolId[];
  settings: TrainSettings;
  installPeers: boolean;
  evalDir: string;
  out: string;
  name: string;
  scaling: boolean;
  maxThreads: number;
  keepModels: boolean;
  python: string;
  word2vecBinary?: string;
  baselineCli?: string;
  gensimInput: 'corpus_file' | 'text8corpus';
  timeoutSeconds: number;
  save: boolean;
}

export const E2E_USAGE = `usage: npm run bench:e2e -- --corpus PATH [options]
       npm run bench:scaling -- --corpus PATH [options]     (same as bench:e2e -- --scaling)

Trains wasm2vec and the reference tools on the same corpus with the same settings, alternating
runs (A B C D A B C D …) so that machine drift cancels, and reports medians, wasm2vec ÷ tool ratios
per round, peak RSS and the quality of every model (wasm2vec's evaluator for all).

  --corpus PATH         training text (required)
  --repeat N            train on N copies of the corpus in one file (text8_head × 8 is
                        text8-sized), default 1
  --runs N              runs of each tool and mode, default 3
  --epochs N            passes over the corpus, default 1
  --threads N           threads for every tool, default 2
  --modes LIST          sg,cbow,glove (default; GloVe is wasm2vec only), also sg-subwords and
                        cbow-subwords: fastText's models with character n-grams 3–6 in 2 M
                        buckets (wasm2vec --model fasttext-skipgram|fasttext-cbow against
                        fastText -minn 3 -maxn 6)
  --tools LIST          wasm2vec,word2vec.c,fasttext,gensim (default); also wasm2vec-classic
                        (skip-gram with --update classic: word2vec.c's per-pair update, and
                        fastText's for sg-subwords), and wasm2vec-baseline (another build,
                        --baseline-cli: the before/after comparison of a change)
  --dim N --window N --negative N --sample T --min-count N
                        default 100, 5, 5, 1e-4, 5
  --glove-window N --glove-iterations N --glove-x-max X
                        GloVe's settings, default 10, 15 and 10 (x-max as BASELINES.md)
  --install-peers       apt-get install fasttext python3-gensim time first (needs root)
  --eval-dir DIR        questions-words.txt and wordsim353.tsv (default ../shared/data/eval)
  --out DIR             results folder (default bench/results)
  --name NAME           results file name suffix (default e2e or scaling)
  --scaling             instead: wasm2vec words/s for 1..--max-threads workers
  --max-threads N       default: the number of cores
  --python PATH         the Python that has gensim (default /usr/bin/python3)
  --word2vec-c PATH     use this word2vec binary instead of building word2vec@1.1.5 from npm
  --baseline-cli PATH   the CLI of another build of wasm2vec (e.g. a checkout of the commit
                        before a change, built: its dist/src/cli/main.js), for wasm2vec-baseline
  --gensim-input KIND   corpus_file (default; a copy re-wrapped to ≤ 10 000 words a line when
                        needed) or text8corpus (gensim's Text8Corpus iterable)
  --timeout S           seconds before a run is killed, default 7200
  --keep-models         keep the temporary folder with every model
  --no-save             print only
  -h, --help            this help`;

function int(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

function real(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0, got "${value}"`);
  return n;
}

function list<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T[]): T[] {
  if (value === undefined) return fallback;
  const items = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const item of items) {
    if (!allowed.includes(item as T)) throw new Error(`--${name}: unknown "${item}"; choose from ${allowed.join(', ')}`);
  }
  if (items.length === 0) throw new Error(`--${name} is empty`);
  return [...new Set(items)] as T[];
}

/** Parses the command line; returns undefined after printing the help. */
export function parseE2eOptions(argv: string[]): E2eOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      corpus: { type: 'string' }, repeat: { type: 'string' }, runs: { type: 'string' }, epochs: { type: 'string' }, threads: { type: 'string' },
      modes: { type: 'string' }, tools: { type: 'string' }, dim: { type: 'string' }, window: { type: 'string' },
      negative: { type: 'string' }, sample: { type: 'string' }, 'min-count': { type: 'string' },
      'glove-window': { type: 'string' }, 'glove-iterations': { type: 'string' }, 'glove-x-max': { type: 'string' },
      'install-peers': { type: 'boolean' }, 'eval-dir': { type: 'string' }, out: { type: 'string' }, name: { type: 'string' },
      scaling: { type: 'boolean' }, 'max-threads': { type: 'string' }, 'keep-models': { type: 'boolean' },
      python: { type: 'string' }, 'word2vec-c': { type: 'string' }, 'baseline-cli': { type: 'string' }, 'gensim-input': { type: 'string' },
      timeout: { type: 'string' }, 'no-save': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(E2E_USAGE);
    return undefined;
  }
  if (!values.corpus) throw new Error(`--corpus PATH is required\n\n${E2E_USAGE}`);
  const corpus = resolve(values.corpus);
  if (!existsSync(corpus)) throw new Error(`corpus ${corpus} does not exist`);
  const scaling = values.scaling === true;
  const gensimInput = values['gensim-input'] ?? 'corpus_file';
  if (gensimInput !== 'corpus_file' && gensimInput !== 'text8corpus') throw new Error(`--gensim-input must be corpus_file or text8corpus, got "${gensimInput}"`);
  return {
    corpus,
    repeat: int('repeat', values.repeat, 1),
    runs: int('runs', values.runs, 3),
    modes: list('modes', values.modes, MODES, DEFAULT_MODES),
    tools: list('tools', values.tools, TOOL_IDS, ['wasm2vec', 'word2vec.c', 'fasttext', 'gensim']),
    settings: {
      dim: int('dim', values.dim, 100),
      window: int('window', values.window, 5),
      negative: int('negative', values.negative, 5),
      sample: real('sample', values.sample, 1e-4),
      minCount: int('min-count', values['min-count'], 5),
      threads: int('threads', values.threads, 2),
      epochs: int('epochs', values.epochs, 1),
      gloveWindow: int('glove-window', values['glove-window'], 10),
      gloveIterations: int('glove-iterations', values['glove-iterations'], 15),
      gloveXMax: real('glove-x-max', values['glove-x-max'], 10),
    },
    installPeers: values['install-peers'] === true,
    evalDir: values['eval-dir'] !== undefined ? resolve(values['eval-dir']) : defaultEvalDir,
    out: values.out !== undefined ? resolve(values.out) : defaultResultsDir,
    name: values.name ?? (scaling ? 'scaling' : 'e2e'),
    scaling,
    maxThreads: int('max-threads', values['max-threads'], availableParallelism()),
    keepModels: values['keep-models'] === true,
    python: values.python ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'),
    word2vecBinary: values['word2vec-c'] !== undefined ? resolve(values['word2vec-c']) : undefined,
    baselineCli: values['baseline-cli'] !== undefined ? resolve(values['baseline-cli']) : undefined,
    gensimInput,
    timeoutSeconds: int('timeout', values.timeout, 7200),
    save: values['no-save'] !== true,
  };
}

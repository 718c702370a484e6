// The tools the end-to-end benchmark runs: how to find or build each, its command line for a mode,
// where it writes its vectors and how to read its own speed figure. Every tool gets the same
// settings; learning rates stay at each tool's default (word2vec.c and wasm2vec: 0.025 skip-gram,
// 0.05 CBOW; fastText 0.05; gensim 0.025), as a user would run them.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cliPath, cliPath as defaultCliPath, repoRoot } from '../lib/paths.js';
import type { Mode, ToolId, TrainSettings } from './options.js';

export const WORD2VEC_NPM_PACKAGE = 'word2vec@1.1.5';
export const WORD2VEC_GCC_FLAGS = ['-lm', '-pthread', '-O3', '-march=native', '-funroll-loops', '-Wno-unused-result', '-fno-stack-protector'];
export const PEER_APT_PACKAGES = ['fasttext', 'python3-gensim', 'time'];

export type Availability =
  | { available: true; version: string; detail?: string }
  | { available: false; reason: string };

export interface RunContext {
  corpus: string;
  /** The corpus as gensim reads it (a re-wrapped copy when a line is longer than 10 000 words). */
  gensimCorpus: string;
  gensimInput: 'corpus_file' | 'text8corpus';
  settings: TrainSettings;
  python: string;
  /** Where helper files live for the whole benchmark (word2vec.c build, gensim script). */
  workDir: string;
  word2vecBinary?: string;
  /** The CLI (dist/src/cli/main.js or an older build's dist/src/cli.js) of another build of wasm2vec, for --tools wasm2vec-baseline. */
  baselineCli?: string;
}

export interface Invocation {
  command: string;
  args: string[];
  /** The vectors file the tool writes (evaluated afterwards). */
  vectors: string;
}

/** A tool's own speed figure, as it prints it. */
export interface OwnFigure {
  value: number;
  unit: string;
  /** The tool's own training time, when it reports one (seconds). */
  trainSeconds?: number;
}

export interface Tool {
  id: ToolId;
  label: string;
  modes: Mode[];
  /** Finds (or builds) the tool; never throws. */
  prepare(ctx: RunContext): Availability;
  invocation(ctx: RunContext, mode: Mode, dir: string): Invocation;
  ownFigure(stdout: string, stderr: string): OwnFigure | null;
  /** What the own figure means, for the report. */
  ownFigureNote: string;
}

function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  return undefined;
}

function debianVersion(pkg: string): string | undefined {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

function lastMatch(text: string, re: RegExp): RegExpExecArray | null {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  let last: RegExpExecArray | null = null;
  for (let m = g.exec(text); m; m = g.exec(text)) last = m;
  return last;
}

/** "450 k" → 450000, "1.23 M" → 1230000. */
function scaled(value: string, suffix: string | undefined): number {
  const k = suffix === 'k' || suffix === 'K' ? 1e3 : suffix === 'M' ? 1e6 : 1;
  return Number(value) * k;
}

const w2vFlags = (s: TrainSettings, cbow: boolean) => [
  '-cbow', cbow ? '1' : '0', '-size', String(s.dim), '-window', String(s.window), '-negative', String(s.negative), '-hs', '0',
  '-sample', String(s.sample), '-threads', String(s.threads), '-iter', String(s.epochs), '-min-count', String(s.minCount), '-binary', '0',
];

function wasm2vecAvailability(cli: string | undefined): Availability {
  if (cli === undefined) return { available: false, reason: 'wasm2vec-baseline needs --baseline-cli PATH (the CLI of another build)' };
  if (!existsSync(cli)) return { available: false, reason: `${cli} is missing: run \`npm run build\`` };
  const r = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
  if (r.status !== 0) return { available: false, reason: `\`wasm2vec --version\` failed: ${(r.stderr || r.stdout).trim().slice(0, 300)}` };
  return { available: true, version: r.stdout.trim(), detail: `node ${process.version}` };
}

let gloveAvailability: Availability | undefined;

/** GloVe is trained by `wasm2vec glove` once that command exists. */
function wasm2vecGloveAvailability(): Availability {
  if (gloveAvailability) return gloveAvailability;
  const r = spawnSync(process.execPath, [cliPath, 'glove', '--help'], { encoding: 'utf8' });
  gloveAvailability = r.status === 0
    ? { available: true, version: 'wasm2vec glove' }
    : { available: false, reason: 'this build of wasm2vec has no `glove` command' };
  return gloveAvailability;
}

/** wasm2vec's summary line: "… 450 k words/s (225 k words/s/thread); wall 5.1 s = vocabulary 0.9 + encode 0.1 + train 3.8 + save 0.3; …". */
function wasm2vecOwnFigure(_stdout: string, stderr: string): OwnFigure | null {
  // `wasm2vec glove`: "… 15 iterations on 2 threads at 1.71 M pairs/s, …; wall … + train 100.1 + save …".
  const pairs = lastMatch(stderr, /at ([\d.]+) ?([kM])? pairs\/s/);
  if (pairs) {
    const train = lastMatch(stderr, /train ([\d.]+)/);
    return { value: scaled(pairs[1], pairs[2]), unit: 'pairs/s (GloVe training phase)', trainSeconds: train ? Number(train[1]) : undefined };
  }
  const rateMatch = lastMatch(stderr, /([\d.]+) ?([kM])? words\/s \(/);
  if (!rateMatch) return null;
  const train = lastMatch(stderr, /train ([\d.]+)/);
  return { value: scaled(rateMatch[1], rateMatch[2]), unit: 'words/s (training phase)', trainSeconds: train ? Number(train[1]) : undefined };
}

/**
 * wasm2vec as built in this checkout, with the classic skip-gram update, or another build of it
 * (wasm2vec-baseline, --baseline-cli): the same command lines, to compare two commits alternating.
 */
function wasm2vecTool(id: 'wasm2vec' | 'wasm2vec-classic' | 'wasm2vec-baseline'): Tool {
  const classic = id === 'wasm2vec-classic';
  const baseline = id === 'wasm2vec-baseline';
  let cliPath = defaultCliPath;
  return {
    id,
    label: classic ? 'wasm2vec (classic SG)' : baseline ? 'wasm2vec (baseline build)' : 'wasm2vec',
    modes: classic ? ['sg', 'sg-subwords'] : ['sg', 'cbow', 'glove', 'sg-subwords', 'cbow-subwords'],
    prepare: (ctx) => {
      if (baseline) cliPath = ctx.baselineCli ?? '';
      return wasm2vecAvailability(baseline ? ctx.baselineCli : cliPath);
    },
    invocation(ctx, mode, dir) {
      const s = ctx.settings;
      if (mode === 'glove') {
        const vectors = join(dir, 'glove.txt');
        return {
          command: process.execPath,
          args: [
            cliPath, 'glove', '--input', ctx.corpus, '--output', vectors, '--dim', String(s.dim), '--window', String(s.gloveWindow),
            '--min-count', String(s.minCount), '--threads', String(s.threads), '--epochs', String(s.gloveIterations), '--x-max', String(s.gloveXMax),
          ],
          vectors,
        };
      }
      if (mode === 'sg-subwords' || mode === 'cbow-subwords') {
        // fastText's models and defaults; the .vec output is what fastText's is evaluated on.
        const vectors = join(dir, 'vectors.vec');
        return {
          command: process.execPath,
          args: [
            cliPath, 'train', '--input', ctx.corpus, '--output', vectors, '--model', mode === 'cbow-subwords' ? 'fasttext-cbow' : 'fasttext-skipgram',
            '-dim', String(s.dim), '-ws', String(s.window), '-neg', String(s.negative), '-minCount', String(s.minCount), '-epoch', String(s.epochs),
            '-thread', String(s.threads), '--sample', String(s.sample), '-minn', '3', '-maxn', '6', ...(classic ? ['--update', 'classic'] : []),
          ],
          vectors,
        };
      }
      const vectors = join(dir, 'vectors.txt');
      return {
        command: process.execPath,
        args: [cliPath, 'train', '-train', ctx.corpus, '-output', vectors, ...w2vFlags(s, mode === 'cbow'), ...(classic ? ['--update', 'classic'] : [])],
        vectors,
      };
    },
    ownFigure: wasm2vecOwnFigure,
    ownFigureNote:
      'wasm2vec: training words ÷ training-phase seconds (its summary line; vocabulary, encoding and saving excluded); ' +
      'for GloVe, co-occurrence records × iterations ÷ training seconds (pairs/s)',
  };
}

const word2vecC: Tool = {
  id: 'word2vec.c',
  label: 'word2vec.c',
  modes: ['sg', 'cbow'],
  prepare(ctx) {
    if (ctx.word2vecBinary) {
      if (!existsSync(ctx.word2vecBinary)) return { available: false, reason: `--word2vec-c ${ctx.word2vecBinary} does not exist` };
      return { available: true, version: `prebuilt ${ctx.word2vecBinary}` };
    }
    // Built at bench time from the C sources the npm package ships, into the benchmark's temp folder.
    const dir = join(ctx.workDir, 'word2vec.c');
    mkdirSync(dir, { recursive: true });
    const npm = which('npm');
    if (!npm) return { available: false, reason: 'npm is not on PATH (needed to fetch word2vec@1.1.5)' };
    const gcc = which('gcc');
    if (!gcc) return { available: false, reason: 'gcc is not installed (apt-get install gcc)' };
    const pack = spawnSync(npm, ['pack', WORD2VEC_NPM_PACKAGE, '--silent'], { cwd: dir, encoding: 'utf8' });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    if (pack.status !== 0 || !tgz) return { available: false, reason: `npm pack ${WORD2VEC_NPM_PACKAGE} failed: ${(pack.stderr || pack.stdout).trim().slice(-300)}` };
    const untar = spawnSync('tar', ['xzf', tgz], { cwd: dir, encoding: 'utf8' });
    if (untar.status !== 0) return { available: false, reason: `tar failed: ${untar.stderr.trim()}` };
    const src = join(dir, 'package', 'src');
    const args = ['word2vec.c', '-o', 'word2vec', ...WORD2VEC_GCC_FLAGS];
    const build = spawnSync(gcc, args, { cwd: src, encoding: 'utf8' });
    if (build.status !== 0) return { available: false, reason: `gcc ${args.join(' ')} failed: ${build.stderr.trim().slice(-300)}` };
    ctx.word2vecBinary = join(src, 'word2vec');
    const gccVersion = spawnSync(gcc, ['-dumpfullversion'], { encoding: 'utf8' }).stdout.trim();
    return { available: true, version: `${WORD2VEC_NPM_PACKAGE} (Google's word2vec.c)`, detail: `gcc ${gccVersion} ${args.join(' ')}` };
  },
  invocation(ctx, mode, dir) {
    const vectors = join(dir, 'vectors.txt');
    return { command: ctx.word2vecBinary!, args: ['-train', ctx.corpus, '-output', vectors, ...w2vFlags(ctx.settings, mode === 'cbow')], vectors };
  },
  ownFigure(stdout) {
    const m = lastMatch(stdout, /Words\/thread\/sec:\s*([\d.]+)([kM])?/);
    return m ? { value: scaled(m[1], m[2]), unit: 'words/thread/CPU-second' } : null;
  },
  ownFigureNote: 'word2vec.c: "Words/thread/sec", which it computes from clock(), i.e. per CPU-second, not per wall second',
};

const fasttext: Tool = {
  id: 'fasttext',
  label: 'fastText',
  modes: ['sg', 'cbow', 'sg-subwords', 'cbow-subwords'],
  prepare() {
    const bin = which('fasttext');
    if (!bin) return { available: false, reason: 'fasttext is not installed (apt-get install fasttext, or --install-peers)' };
    return { available: true, version: `fastText ${debianVersion('fasttext') ?? '(version unknown)'}`, detail: bin };
  },
  invocation(ctx, mode, dir) {
    const s = ctx.settings;
    const prefix = join(dir, 'model');
    return {
      command: which('fasttext') ?? 'fasttext',
      args: [
        mode.startsWith('cbow') ? 'cbow' : 'skipgram', '-input', ctx.corpus, '-output', prefix, '-dim', String(s.dim), '-ws', String(s.window),
        '-neg', String(s.negative), '-minCount', String(s.minCount), '-epoch', String(s.epochs), '-thread', String(s.threads),
        '-t', String(s.sample), ...(mode.endsWith('subwords') ? ['-minn', '3', '-maxn', '6'] : ['-minn', '0', '-maxn', '0']), '-verbose', '2',
      ],
      vectors: `${prefix}.vec`,
    };
  },
  ownFigure(stdout, stderr) {
    const m = lastMatch(`${stdout}\n${stderr}`, /words\/sec\/thread:\s*([\d.]+)/);
    return m ? { value: Number(m[1]), unit: 'words/sec/thread' } : null;
  },
  ownFigureNote: 'fastText: its last "words/sec/thread" progress figure (words seen ÷ training wall time ÷ threads)',
};

/** Trains gensim's Word2Vec and prints one JSON line with its own timings. */
const GENSIM_SCRIPT = `
import json, sys, time
t_start = time.time()
import gensim
from gensim.models import Word2Vec
from gensim.models.word2vec import Text8Corpus
cfg = json.loads(sys.argv[1])
model = Word2Vec(vector_size=cfg["dim"], window=cfg["window"], negative=cfg["negative"], hs=0, sample=cfg["sample"],
                 min_count=cfg["min_count"], workers=cfg["threads"], epochs=cfg["epochs"], sg=cfg["sg"], seed=1)
t_import = time.time()
if cfg["input"] == "corpus_file":
    model.build_vocab(corpus_file=cfg["corpus"])
    t_vocab = time.time()
    result = model.train(corpus_file=cfg["corpus"], total_examples=model.corpus_count,
                         total_words=model.corpus_total_words, epochs=model.epochs)
else:
    sentences = Text8Corpus(cfg["corpus"])
    model.build_vocab(sentences)
    t_vocab = time.time()
    result = model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs)
t_train = time.time()
model.wv.save_word2vec_format(cfg["output"], binary=False)
t_save = time.time()
print(json.dumps({"gensim": gensim.__version__, "effective_words": result[0], "raw_words": result[1],
                  "import_s": t_import - t_start, "vocab_s": t_vocab - t_import, "train_s": t_train - t_vocab,
                  "save_s": t_save - t_train, "vocab_size": len(model.wv)}))
`;

const gensim: Tool = {
  id: 'gensim',
  label: 'gensim',
  modes: ['sg', 'cbow'],
  prepare(ctx) {
    const r = spawnSync(ctx.python, ['-c', 'import gensim, gensim.models.word2vec as w; print(gensim.__version__, w.FAST_VERSION)'], { encoding: 'utf8' });
    if (r.status !== 0) {
      return { available: false, reason: `${ctx.python} cannot import gensim (apt-get install python3-gensim, or --install-peers; Debian's gensim is for /usr/bin/python3)` };
    }
    const [version, fast] = r.stdout.trim().split(/\s+/);
    writeFileSync(join(ctx.workDir, 'gensim_train.py'), GENSIM_SCRIPT);
    return { available: true, version: `gensim ${version}`, detail: `${ctx.python}, FAST_VERSION ${fast}, input ${ctx.gensimInput}` };
  },
  invocation(ctx, mode, dir) {
    const s = ctx.settings;
    const vectors = join(dir, 'vectors.txt');
    const cfg = {
      dim: s.dim, window: s.window, negative: s.negative, sample: s.sample, min_count: s.minCount, threads: s.threads, epochs: s.epochs,
      sg: mode === 'sg' ? 1 : 0, input: ctx.gensimInput, corpus: ctx.gensimInput === 'corpus_file' ? ctx.gensimCorpus : ctx.corpus, output: vectors,
    };
    return { command: ctx.python, args: [join(ctx.workDir, 'gensim_train.py'), JSON.stringify(cfg)], vectors };
  },
  ownFigure(stdout) {
    const line = stdout.trim().split('\n').pop() ?? '';
    try {
      const j = JSON.parse(line) as { raw_words: number; train_s: number };
      return { value: j.raw_words / j.train_s, unit: 'raw words/s (training phase)', trainSeconds: j.train_s };
    } catch {
      return null;
    }
  },
  ownFigureNote: "gensim: raw words ÷ the seconds of model.train() (import, vocabulary and saving excluded)",
};

export function toolById(id: ToolId): Tool {
  switch (id) {
    case 'wasm2vec':
    case 'wasm2vec-classic':
    case 'wasm2vec-baseline':
      return wasm2vecTool(id);
    case 'word2vec.c':
      return word2vecC;
    case 'fasttext':
      return fasttext;
    case 'gensim':
      return gensim;
  }
}

/** Availability of a tool for one mode (GloVe depends on the `wasm2vec glove` command). */
export function modeAvailability(tool: Tool, mode: Mode, toolAvailability: Availability): Availability {
  if (!toolAvailability.available) return toolAvailability;
  if (!tool.modes.includes(mode)) return { available: false, reason: `${tool.label} has no ${mode} mode` };
  if (tool.id === 'wasm2vec' && mode === 'glove') return wasm2vecGloveAvailability();
  return toolAvailability;
}

/** apt-get install of the peers (Debian); returns a message for the report. */
export function installPeers(): string {
  const asRoot = process.getuid?.() === 0;
  const sudo = asRoot ? [] : which('sudo') ? ['sudo'] : undefined;
  if (!sudo) return '--install-peers: not root and no sudo; install them yourself: apt-get install ' + PEER_APT_PACKAGES.join(' ');
  const script = `${sudo.join(' ')} apt-get update && ${sudo.join(' ')} env DEBIAN_FRONTEND=noninteractive apt-get install -y ${PEER_APT_PACKAGES.join(' ')}`;
  console.log(`installing peers: ${script}`);
  const r = spawnSync('sh', ['-c', script], { stdio: 'inherit', cwd: repoRoot });
  return r.status === 0 ? `installed: ${PEER_APT_PACKAGES.join(', ')}` : `apt-get failed (exit ${r.status}); peers that are still missing are reported as missing`;
}

// node dist/bench/svd.js --corpus PATH [options]: `wasm2vec svd` (PPMI + randomized SVD) against the
// same recipe in numpy/scipy/scikit-learn (bench/svd/pipeline.py) on the same corpus, alternating
// runs: the whole pipeline (count, PPMI, SVD, save), the SVD step alone on the same matrix (wasm2vec's
// svd phase vs randomized_svd on wasm2vec's --save-ppmi file), 1 → N threads, peak RSS, and the
// quality of both vectors by wasm2vec's evaluator. The scipy runs get the environment without
// OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE and report the BLAS kernel threadpoolctl sees.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KeyedVectors } from '../src/model/index.js';
import { evaluateAnalogies, evaluateWordPairs } from '../src/model/evaluate.js';
import { defaultEvalDir, defaultResultsDir, repoRoot } from './lib/paths.js';
import { median } from './lib/stats.js';
import { markdownTable } from './lib/format.js';
import { machineInfo, describeMachine } from './lib/machine.js';
import { commandLine, timestampStem } from './lib/results.js';

const USAGE = `usage: node dist/bench/svd.js --corpus PATH [options]

  --runs N               rounds (default 3); each round runs every variant once
  --threads LIST         wasm2vec thread counts (default 1,2)
  --dim K --window W --min-count N --oversamples P --power-iterations Q --cds A --neg K --eig P
                         the recipe (defaults 100, 2, 5, 10, 7, 0.75, 1, 0.5)
  --python PATH          Python with scipy and scikit-learn (default /usr/bin/python3)
  --eval-dir DIR         questions-words.txt and wordsim353.tsv (default ../shared/data/eval)
  --name NAME --out DIR  result files bench/results/<time>-<name>.{json,md}
  --no-save              print only`;

const { values } = parseArgs({
  options: {
    corpus: { type: 'string' }, runs: { type: 'string' }, threads: { type: 'string' }, dim: { type: 'string' }, window: { type: 'string' },
    'min-count': { type: 'string' }, oversamples: { type: 'string' }, 'power-iterations': { type: 'string' }, cds: { type: 'string' },
    neg: { type: 'string' }, eig: { type: 'string' }, python: { type: 'string' }, 'eval-dir': { type: 'string' }, name: { type: 'string' },
    out: { type: 'string' }, 'no-save': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  },
});
if (values.help || !values.corpus) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}
const corpus = values.corpus;
const runs = Number(values.runs ?? 3);
const threadCounts = (values.threads ?? '1,2').split(',').map(Number);
const recipe = {
  dim: values.dim ?? '100', window: values.window ?? '2', 'min-count': values['min-count'] ?? '5', oversamples: values.oversamples ?? '10',
  'power-iterations': values['power-iterations'] ?? '7', cds: values.cds ?? '0.75', neg: values.neg ?? '1', eig: values.eig ?? '0.5',
};
const recipeArgs = Object.entries(recipe).flatMap(([k, v]) => [`--${k}`, v]);
const python = values.python ?? '/usr/bin/python3';
const cli = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
const pipeline = join(repoRoot, 'bench', 'svd', 'pipeline.py');
const work = mkdtempSync(join(tmpdir(), 'wasm2vec-bench-svd-'));
const scipyEnv = { ...process.env };
delete scipyEnv.OPENBLAS_CORETYPE;
delete scipyEnv.OPENBLAS_L2_SIZE;

interface Timed { wall: number; rssKiB: number; stdout: string; stderr: string }

/** Runs a command under GNU time: wall seconds and peak RSS of the process tree's largest process. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Timed {
  const timeFile = join(work, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, command, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const [wall, rss] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall, rssKiB: rss, stdout: r.stdout, stderr: r.stderr };
}

const PHASES = /wall ([\d.]+) s = vocabulary ([\d.]+) \+ cooccur ([\d.]+) \+ ppmi ([\d.]+) \+ svd ([\d.]+) \+ save ([\d.]+)/;

interface Row { variant: string; round: number; wall: number; rssKiB: number; count?: number; ppmi?: number; svd: number; nnz?: number }
const rows: Row[] = [];
let blas: unknown;

// The matrix for the SVD-alone comparison, and the vectors for quality: one untimed run.
const ppmiFile = join(work, 'ppmi.mtx');
const oursVectors = join(work, 'wasm2vec.txt');
const scipyVectors = join(work, 'scipy.txt');
timed(process.execPath, [cli, 'svd', '--input', corpus, '--output', oursVectors, '--save-ppmi', ppmiFile, ...recipeArgs, '--threads', String(Math.max(...threadCounts))]);

for (let round = 1; round <= runs; round++) {
  for (const t of threadCounts) {
    const r = timed(process.execPath, [cli, 'svd', '--input', corpus, '--output', join(work, 'v.txt'), ...recipeArgs, '--threads', String(t)]);
    const m = PHASES.exec(r.stderr);
    if (!m) throw new Error(`no summary line from wasm2vec svd: ${r.stderr}`);
    const nnz = Number(/([\d,]+) positive PMI entries/.exec(r.stderr)![1].replace(/,/g, ''));
    rows.push({ variant: `wasm2vec ${t} thread${t > 1 ? 's' : ''}`, round, wall: r.wall, rssKiB: r.rssKiB, count: Number(m[2]) + Number(m[3]), ppmi: Number(m[4]), svd: Number(m[5]), nnz });
  }
  const p = timed(python, [pipeline, '--input', corpus, '--output', scipyVectors, ...recipeArgs], scipyEnv);
  const pj = JSON.parse(p.stdout.trim().split('\n').at(-1)!);
  blas = pj.blas;
  rows.push({ variant: 'scipy/sklearn pipeline', round, wall: p.wall, rssKiB: p.rssKiB, count: pj.seconds.count, ppmi: pj.seconds.ppmi, svd: pj.seconds.svd, nnz: pj.matrix.nnz });
  const s = timed(python, [pipeline, '--ppmi', ppmiFile, '--dim', recipe.dim, '--oversamples', recipe.oversamples, '--power-iterations', recipe['power-iterations']], scipyEnv);
  const sj = JSON.parse(s.stdout.trim().split('\n').at(-1)!);
  rows.push({ variant: 'sklearn randomized_svd on wasm2vec matrix', round, wall: s.wall, rssKiB: s.rssKiB, svd: sj.seconds.svd, nnz: sj.matrix.nnz });
}

const evalDir = values['eval-dir'] ?? defaultEvalDir;
const quality: Record<string, { ws353: number; analogy: number } | undefined> = {};
for (const [name, file] of [['wasm2vec', oursVectors], ['scipy/sklearn', scipyVectors]] as const) {
  const questions = join(evalDir, 'questions-words.txt');
  const pairs = join(evalDir, 'wordsim353.tsv');
  if (!existsSync(file) || !existsSync(questions) || !existsSync(pairs)) continue;
  const model = await KeyedVectors.load(file);
  const analogies = await evaluateAnalogies(model, questions, { restrictVocab: 30_000 });
  quality[name] = { ws353: (await evaluateWordPairs(model, pairs)).spearman, analogy: analogies.total.accuracy * 100 };
}

const variants = [...new Set(rows.map((r) => r.variant))];
const med = (v: string, key: keyof Row) => median(rows.filter((r) => r.variant === v).map((r) => r[key] as number | undefined));
const table = markdownTable(
  ['variant', 'wall s', 'count s', 'PPMI s', 'SVD s', 'peak RSS MiB', 'PPMI nnz'],
  variants.map((v) => [v, med(v, 'wall').toFixed(1), fmt(med(v, 'count')), fmt(med(v, 'ppmi')), med(v, 'svd').toFixed(2), (med(v, 'rssKiB') / 1024).toFixed(0), String(med(v, 'nnz'))]),
);
const best = `wasm2vec ${Math.max(...threadCounts)} threads`;
const one = 'wasm2vec 1 thread';
const ratios = {
  pipeline: ratioPerRound('scipy/sklearn pipeline', best, 'wall'),
  svdStep: ratioPerRound('sklearn randomized_svd on wasm2vec matrix', best, 'svd'),
  scalingWall: variants.includes(one) ? ratioPerRound(one, best, 'wall') : undefined,
  scalingSvd: variants.includes(one) ? ratioPerRound(one, best, 'svd') : undefined,
};
function ratioPerRound(slow: string, fast: string, key: 'wall' | 'svd'): number {
  const per: number[] = [];
  for (let round = 1; round <= runs; round++) {
    const a = rows.find((r) => r.variant === slow && r.round === round)?.[key];
    const b = rows.find((r) => r.variant === fast && r.round === round)?.[key];
    if (a !== undefined && b !== undefined && b > 0) per.push(a / b);
  }
  return median(per);
}
function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(1) : '';
}

const machine = machineInfo();
const markdown = [
  `# PPMI + SVD: wasm2vec against scipy/scikit-learn`,
  '',
  `Corpus ${corpus}; recipe ${recipeArgs.join(' ')}; ${runs} rounds, medians. ${describeMachine(machine)}`,
  '',
  table,
  '',
  `- Whole pipeline, scipy/sklearn wall ÷ ${best} wall (median of rounds): **${ratios.pipeline.toFixed(2)}×** (target ≥ 3)`,
  `- SVD step alone, randomized_svd ÷ wasm2vec's svd phase, same matrix: **${ratios.svdStep.toFixed(2)}×** (target ≥ 1.5)`,
  ratios.scalingWall !== undefined ? `- wasm2vec 1 → ${Math.max(...threadCounts)} threads: wall ${ratios.scalingWall.toFixed(2)}×, SVD phase ${ratios.scalingSvd!.toFixed(2)}×` : '',
  `- Quality (wasm2vec's evaluator; WS353 Spearman / analogy % over the 30 000 most frequent words): ` +
    Object.entries(quality).map(([k, q]) => `${k} ${q!.ws353.toFixed(3)} / ${q!.analogy.toFixed(2)}`).join('; '),
  `- BLAS of the scipy runs (threadpoolctl, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset): ${JSON.stringify(blas)}`,
].join('\n');
console.log(markdown);
if (!values['no-save']) {
  const dir = values.out ?? defaultResultsDir;
  mkdirSync(dir, { recursive: true });
  const stem = join(dir, timestampStem(new Date(), values.name ?? 'svd'));
  writeFileSync(`${stem}.json`, JSON.stringify({ command: commandLine('bench/svd.js'), machine, corpus, recipe, runs, rows, ratios, quality, blas }, null, 2));
  writeFileSync(`${stem}.md`, `${markdown}\n`);
  console.log(`wrote ${stem}.json and ${stem}.md`);
}
rmSync(work, { recursive: true, force: true });

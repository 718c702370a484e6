// node dist/bench/supervised.js [options]: wasm2vec's supervised mode against fastText 0.9.2
// (`fasttext supervised`) in the same run: for each set, rounds alternate between the two tools
// (fastText first in odd rounds, wasm2vec first in even ones), round r with -seed r for both tools
// (so accuracy medians are taken over seeds, and the table shows their range: the noise); the wall
// time of each whole command (reading, training, writing the .bin) is timed, and the medians compared. Both tools' models are
// scored by the same scorer, `fasttext test`, so accuracy is measured alike. Writes
// bench/results/<time>-supervised.{json,md}.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine, machineInfo } from './lib/machine.js';
import { markdownTable } from './lib/format.js';
import { defaultResultsDir, repoRoot } from './lib/paths.js';
import { timestampStem } from './lib/results.js';
import { maxOf, median, minOf } from './lib/stats.js';

const USAGE = `usage: node dist/bench/supervised.js [options]

  --data DIR        classification sets (default ../shared/data/classification): cooking/{train,test}.ft,
                    sst2/{train,dev}.ft
  --sets LIST       comma-separated, default all: cooking,cooking-tuned,cooking-ova,sst2,sst2x20
  --rounds N        alternating rounds per set, default 3
  --threads N       threads for both tools, default 2
  --fasttext PATH   fastText binary, default /usr/bin/fasttext
  --out DIR         results directory (default bench/results); --no-write to print only
  --smoke           tiny run to check the script: the test fixtures, 1 round, 1 epoch`;

const { values } = parseArgs({
  options: {
    data: { type: 'string' }, sets: { type: 'string' }, rounds: { type: 'string' }, threads: { type: 'string' },
    fasttext: { type: 'string' }, out: { type: 'string' }, 'no-write': { type: 'boolean' }, smoke: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

interface BenchSet {
  name: string;
  train: string;
  test: string;
  /** fastText's options; wasm2vec gets the same ones (its CLI accepts fastText's spellings). */
  options: string[];
}

const data = resolve(values.data ?? join(repoRoot, '..', 'shared', 'data', 'classification'));
const threads = values.threads ?? '2';
const rounds = Number(values.rounds ?? (values.smoke ? 1 : 3));
const fasttext = values.fasttext ?? '/usr/bin/fasttext';
const cli = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'wasm2vec-bench-supervised-'));

function sets(): BenchSet[] {
  if (values.smoke) {
    const fixtures = join(repoRoot, 'test', 'fixtures');
    return [{ name: 'fixture', train: join(fixtures, 'supervised-train.txt'), test: join(fixtures, 'supervised-test.txt'), options: ['-dim', '8', '-epoch', '1'] }];
  }
  const sst2x20 = join(work, 'sst2x20.ft');
  const all: BenchSet[] = [
    { name: 'cooking', train: `${data}/cooking/train.ft`, test: `${data}/cooking/test.ft`, options: [] },
    { name: 'cooking-tuned', train: `${data}/cooking/train.ft`, test: `${data}/cooking/test.ft`, options: ['-lr', '1.0', '-epoch', '25', '-wordNgrams', '2'] },
    { name: 'cooking-ova', train: `${data}/cooking/train.ft`, test: `${data}/cooking/test.ft`, options: ['-lr', '0.5', '-epoch', '25', '-wordNgrams', '2', '-bucket', '200000', '-dim', '50', '-loss', 'ova'] },
    { name: 'sst2', train: `${data}/sst2/train.ft`, test: `${data}/sst2/dev.ft`, options: [] },
    { name: 'sst2x20', train: sst2x20, test: `${data}/sst2/dev.ft`, options: [] },
  ];
  const wanted = values.sets?.split(',') ?? all.map((s) => s.name);
  const chosen = all.filter((s) => wanted.includes(s.name));
  if (chosen.some((s) => s.name === 'sst2x20')) {
    const text = readFileSync(`${data}/sst2/train.ft`);
    writeFileSync(sst2x20, '');
    for (let i = 0; i < 20; i++) appendFileSync(sst2x20, text);
  }
  return chosen;
}

function timed(command: string, args: string[]): { seconds: number; stdout: string } {
  const started = performance.now();
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return { seconds, stdout: r.stdout };
}

/** P@1, R@1 and P@5, R@5 of a model by `fasttext test`. */
function score(model: string, test: string): { p1: number; r1: number; p5: number; r5: number } {
  const at = (k: number) => {
    const lines = timed(fasttext, ['test', model, test, String(k)]).stdout.trim().split('\n');
    return [Number(lines[1].split('\t')[1]), Number(lines[2].split('\t')[1])];
  };
  const [p1, r1] = at(1);
  const [p5, r5] = at(5);
  return { p1, r1, p5, r5 };
}

interface Run { tool: 'fasttext' | 'wasm2vec'; round: number; seconds: number; trainSeconds?: number; p1: number; r1: number; p5: number; r5: number }

const results: { set: BenchSet; runs: Run[] }[] = [];
try {
  for (const set of sets()) {
    if (!existsSync(set.train)) throw new Error(`missing ${set.train}`);
    const runs: Run[] = [];
    for (let round = 1; round <= rounds; round++) {
      const order: Run['tool'][] = round % 2 === 1 ? ['fasttext', 'wasm2vec'] : ['wasm2vec', 'fasttext'];
      for (const tool of order) {
        const prefix = join(work, `${set.name}-${tool}`);
        const args = ['-input', set.train, '-output', prefix, '-thread', threads, '-seed', String(round), ...set.options];
        let run: { seconds: number; stdout: string };
        let trainSeconds: number | undefined;
        if (tool === 'fasttext') {
          run = timed(fasttext, ['supervised', ...args, '-verbose', '0']);
        } else {
          run = timed(process.execPath, [cli, 'supervised', ...args, '--json']);
          trainSeconds = JSON.parse(run.stdout).seconds.train;
        }
        const accuracy = score(`${prefix}.bin`, set.test);
        runs.push({ tool, round, seconds: run.seconds, trainSeconds, ...accuracy });
        rmSync(`${prefix}.bin`, { force: true });
        rmSync(`${prefix}.vec`, { force: true });
        console.error(`${set.name} round ${round} ${tool}: ${run.seconds.toFixed(2)} s, P@1 ${accuracy.p1}, R@5 ${accuracy.r5}`);
      }
    }
    results.push({ set, runs });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const rows = results.map(({ set, runs }) => {
  const of = (tool: Run['tool'], key: keyof Run) => median(runs.filter((r) => r.tool === tool).map((r) => r[key] as number));
  const range = (tool: Run['tool']) => {
    const p1 = runs.filter((r) => r.tool === tool).map((r) => r.p1);
    return `${minOf(p1).toFixed(3)}–${maxOf(p1).toFixed(3)}`;
  };
  const ft = of('fasttext', 'seconds');
  const ours = of('wasm2vec', 'seconds');
  return {
    set: set.name, options: set.options.join(' ') || '(defaults)',
    fasttextSeconds: ft, wasm2vecSeconds: ours, wasm2vecTrainSeconds: of('wasm2vec', 'trainSeconds'), ratio: ours / ft,
    fasttext: { p1: of('fasttext', 'p1'), r5: of('fasttext', 'r5'), p1Range: range('fasttext') }, wasm2vec: { p1: of('wasm2vec', 'p1'), r5: of('wasm2vec', 'r5'), p1Range: range('wasm2vec') },
  };
});
const machine = machineInfo();
const markdown = `# Supervised: wasm2vec against fastText 0.9.2 (${threads} threads, medians of ${rounds} alternating rounds)

${describeMachine(machine)}

Wall time of the whole command (read, train, write the .bin); accuracy by \`fasttext test\` for both
(P@1 and R@5; on SST-2, P@1 is the accuracy), median over the rounds' seeds (-seed = round), and
the P@1 range over the rounds. Target: ratio ≤ 0.5, accuracy ≥ fastText's − 0.005.

${markdownTable(
  ['set', 'options', 'fastText s', 'wasm2vec s', '(train s)', 'ratio', 'fastText P@1', 'wasm2vec P@1', 'fastText P@1 range', 'wasm2vec P@1 range', 'fastText R@5', 'wasm2vec R@5'],
  rows.map((r) => [r.set, r.options, r.fasttextSeconds.toFixed(2), r.wasm2vecSeconds.toFixed(2), r.wasm2vecTrainSeconds.toFixed(2), r.ratio.toFixed(2),
    r.fasttext.p1.toFixed(3), r.wasm2vec.p1.toFixed(3), r.fasttext.p1Range, r.wasm2vec.p1Range, r.fasttext.r5.toFixed(3), r.wasm2vec.r5.toFixed(3)]),
)}
`;
console.log(markdown);
if (!values['no-write']) {
  const dir = values.out ?? defaultResultsDir;
  mkdirSync(dir, { recursive: true });
  const stem = timestampStem(new Date(), values.smoke ? 'supervised-smoke' : 'supervised');
  writeFileSync(join(dir, `${stem}.json`), `${JSON.stringify({ kind: 'supervised', machine, threads, rounds, rows, runs: results.map((r) => ({ set: r.set.name, runs: r.runs })) }, null, 2)}\n`);
  writeFileSync(join(dir, `${stem}.md`), markdown);
  console.error(`wrote ${join(dir, `${stem}.md`)}`);
}

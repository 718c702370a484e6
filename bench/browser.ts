// In-browser training speed (issue #19): word2vec in headless Chromium on 2 Web Workers sharing one
// WebAssembly.Memory (dist/browser/, the browser bundle) against the Node.js CLI on the same corpus
// and settings (skip-gram, dim 100, window 5, negative 5, sample 1e-4, minCount 5, 5 epochs,
// 2 threads), in ABBA order per round (browser, node, node, browser, then node, browser, browser,
// node) so drift on the machine favours neither; one discarded warm-up run of each first. Prints the
// median training words/s of each and ratio = browser / node (target ≥ 0.8).
// With --fasttext DIR (the npm package fasttext.wasm.js, installed outside the project:
// `npm install --prefix /tmp/ftw fasttext.wasm.js`, DIR = /tmp/ftw/node_modules/fasttext.wasm.js):
// also fastText's single-threaded WebAssembly build (its wrapper forces thread = 1), trained in the
// same page on the same corpus and settings, and browser / fastText-wasm.
// Run on a quiet machine:
//   npm run build && node dist/bench/browser.js --rounds 3
// Writes bench/results/<time>-browser.json and .md unless --no-save.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openBenchPage, type BenchPage } from './lib/browser-page.js';
import { machineInfo } from './lib/machine.js';
import { cliPath, defaultResultsDir, repoRoot } from './lib/paths.js';
import { commandLine, timestampStem } from './lib/results.js';
import { median } from './lib/stats.js';
import { markdownTable, rate } from './lib/format.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: join(repoRoot, 'data/text8-sample.txt.gz') },
    rounds: { type: 'string', default: '3' },
    epochs: { type: 'string', default: '5' },
    threads: { type: 'string', default: '2' },
    fasttext: { type: 'string' },
    out: { type: 'string', default: defaultResultsDir },
    'no-save': { type: 'boolean', default: false },
  },
});

const settings = { model: 'skipgram', dim: 100, window: 5, negative: 5, sample: 1e-4, minCount: 5, epochs: Number(values.epochs), threads: Number(values.threads) };
type Side = 'browser' | 'node';
interface Run { side: Side; wordsPerSecond: number; trainSeconds: number; threads: number }

async function browserRun(bench: BenchPage): Promise<Run> {
  const report = await bench.page.evaluate(async (s) => {
    const w = globalThis as unknown as { wasm2vec: { train(o: object): Promise<{ report: { wordsPerSecond: number; seconds: { train: number }; threads: number; crossOriginIsolated: boolean } }> } };
    const input = await (await fetch('/corpus')).blob();
    return (await w.wasm2vec.train({ ...s, input })).report;
  }, settings);
  if (!report.crossOriginIsolated || report.threads !== settings.threads) throw new Error(`the page trained on ${report.threads} thread(s), isolated ${report.crossOriginIsolated}: not a fair comparison`);
  return { side: 'browser', wordsPerSecond: report.wordsPerSecond, trainSeconds: report.seconds.train, threads: report.threads };
}

function nodeRun(scratch: string): Run {
  const args = [
    cliPath, 'train', '--input', values.corpus!, '--output', join(scratch, 'vectors.txt'), '--model', settings.model, '--dim', String(settings.dim),
    '--window', String(settings.window), '--negative', String(settings.negative), '--sample', String(settings.sample), '--min-count', String(settings.minCount),
    '--epochs', String(settings.epochs), '--threads', String(settings.threads), '--json',
  ];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wasm2vec train failed (${r.status}): ${r.stderr}`);
  const report = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { wordsPerSecond: number; seconds: { train: number }; threads: number };
  return { side: 'node', wordsPerSecond: report.wordsPerSecond, trainSeconds: report.seconds.train, threads: report.threads };
}

/**
 * fastText's WebAssembly build (npm fasttext.wasm.js, served under /fasttext/) in the same page: it
 * trains on one thread (its wrapper sets thread = 1) on the page's thread; words/s of its training
 * call, the corpus already in its file system (its wrapper fetches the URL first, outside the timing
 * only in part: the fetch is local).
 */
async function fastTextRun(bench: BenchPage): Promise<number> {
  return bench.page.evaluate(async (s) => {
    type FastTextClass = new () => { trainUnsupervised(url: string, model: string, args: object, callback: () => void): Promise<unknown> };
    const { getFastTextModule, getFastTextClass } = (await import('/fasttext/dist/main/common.mjs' as string)) as {
      getFastTextModule(o: { wasmPath: string }): Promise<unknown>;
      getFastTextClass(o: { getFastTextModule(): Promise<unknown> }): Promise<FastTextClass>;
    };
    const module = await getFastTextModule({ wasmPath: '/fasttext/dist/core/fastText.common.wasm' });
    const FastText = await getFastTextClass({ getFastTextModule: async () => module });
    const text = await (await fetch('/corpus')).text();
    const words = text.split(/\s+/).filter(Boolean).length;
    const started = performance.now();
    await new FastText().trainUnsupervised('/corpus', s.model, {
      dim: s.dim, ws: s.window, neg: s.negative, loss: 'ns', t: s.sample, minCount: s.minCount, epoch: s.epochs, minn: 0, maxn: 0, verbose: 0,
    }, () => {}); // the wrapper calls it with each progress report, and fails on null
    return (words * s.epochs) / ((performance.now() - started) / 1000);
  }, settings);
}

const started = new Date();
const scratch = mkdtempSync(join(tmpdir(), 'wasm2vec-bench-browser-'));
const bench = await openBenchPage(values.corpus!, values.fasttext ? { fasttext: values.fasttext } : {});
const runs: Run[] = [];
let fastTextWordsPerSecond: number | undefined;
try {
  console.error('warm-up (discarded):');
  for (const run of [await browserRun(bench), nodeRun(scratch)]) console.error(`  ${run.side}: ${Math.round(run.wordsPerSecond)} words/s`);
  for (let round = 0; round < Number(values.rounds); round++) {
    const order: Side[] = round % 2 === 0 ? ['browser', 'node', 'node', 'browser'] : ['node', 'browser', 'browser', 'node'];
    for (const side of order) {
      const run = side === 'browser' ? await browserRun(bench) : nodeRun(scratch);
      runs.push(run);
      console.error(`round ${round + 1} ${side}: ${Math.round(run.wordsPerSecond)} words/s, train ${run.trainSeconds.toFixed(2)} s`);
    }
  }
  if (values.fasttext) {
    fastTextWordsPerSecond = await fastTextRun(bench);
    console.error(`fastText wasm (1 thread): ${Math.round(fastTextWordsPerSecond)} words/s`);
  }
  if (bench.errors.length > 0) throw new Error(`the page logged errors: ${bench.errors.join('; ')}`);
} finally {
  await bench.close();
  rmSync(scratch, { recursive: true, force: true });
}

const browser = median(runs.filter((r) => r.side === 'browser').map((r) => r.wordsPerSecond));
const node = median(runs.filter((r) => r.side === 'node').map((r) => r.wordsPerSecond));
const summary = {
  kind: 'browser',
  started: started.toISOString(),
  command: commandLine('node dist/bench/browser.js'),
  machine: machineInfo(),
  settings: { corpus: values.corpus, rounds: Number(values.rounds), ...settings },
  runs,
  wordsPerSecond: { browser: Math.round(browser), node: Math.round(node), fastTextWasm: fastTextWordsPerSecond && Math.round(fastTextWordsPerSecond) },
  ratio: +(browser / node).toFixed(3),
  ratioToFastTextWasm: fastTextWordsPerSecond ? +(browser / fastTextWordsPerSecond).toFixed(2) : undefined,
};
const rows = [
  ['wasm2vec in Chromium (Web Workers)', String(settings.threads), rate(browser), '—'],
  ['wasm2vec Node.js CLI', String(settings.threads), rate(node), summary.ratio.toFixed(2) + '× (browser / node, target ≥ 0.8)'],
  ...(fastTextWordsPerSecond ? [['fastText WebAssembly (fasttext.wasm.js)', '1', rate(fastTextWordsPerSecond), `${summary.ratioToFastTextWasm}× (browser / fastText wasm)`]] : []),
];
const markdown = `# In-browser training speed (${started.toISOString()})\n\n${settings.model}, dim ${settings.dim}, window ${settings.window}, negative ${settings.negative}, ` +
  `sample ${settings.sample}, minCount ${settings.minCount}, ${settings.epochs} epochs on ${values.corpus}; medians of ${Number(values.rounds) * 2} runs each, ABBA order.\n\n` +
  markdownTable(['trainer', 'threads', 'training words/s', 'ratio'], rows, ['l', 'r', 'r', 'l']) + `\n\nCommand: \`${summary.command}\`\n`;
console.log(markdown);
if (!values['no-save']) {
  mkdirSync(values.out!, { recursive: true });
  const stem = join(values.out!, timestampStem(started, 'browser'));
  writeFileSync(`${stem}.json`, JSON.stringify(summary, null, 2) + '\n');
  writeFileSync(`${stem}.md`, markdown);
  console.log(`wrote ${stem}.json and .md`);
}

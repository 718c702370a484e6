// npm run bench: micro-benchmarks of the kernels, each as plain TypeScript, scalar WebAssembly and
// WebAssembly SIMD, with the `benchmark` package. Single thread; prints a table and writes
// bench/results/<time>-micro.{json,md} (and rebuilds bench/results/latest.md).
import Benchmark from 'benchmark';
import { parseArgs } from 'node:util';
import { CHUNK_IDS } from '../src/word2vec/layout.js';
import { consoleTable, markdownTable, ns, rate } from './lib/format.js';
import { describeMachine, machineInfo, type MachineInfo } from './lib/machine.js';
import { defaultResultsDir } from './lib/paths.js';
import { commandLine, timestampStem, writeResult } from './lib/results.js';
import type { Case } from './micro/case.js';
import { gloveCases, hasGloveKernels } from './micro/glove.js';
import { JsWord2Vec, axpyJs, dotJs, memoryViews, scoreRowsJs } from './micro/js-kernels.js';
import { ASC_ARGS, ensureScalarWasm, instantiateScalarKernels } from './micro/scalar-wasm.js';
import { createMicroSetup, DEFAULT_SETTINGS, type MicroSettings } from './micro/setup.js';

const USAGE = `usage: npm run bench [-- options]

Micro-benchmarks of wasm2vec's kernels (one thread): TypeScript scalar, WebAssembly scalar and
WebAssembly SIMD versions of dot/axpy, the skip-gram and CBOW updates and similarity scoring, and
the cost of a JS → WebAssembly call.

  --quick           0.25 s per benchmark instead of 1 s (a smoke test)
  --max-time S      seconds of sampling per benchmark (default 1)
  --filter TEXT     only benchmarks whose name contains TEXT
  --out DIR         where to write the results (default bench/results)
  --no-save         print only
  -h, --help        this help`;


export interface MicroRow {
  group: string;
  variant: string;
  name: string;
  opsPerSecond: number;
  /** Relative margin of error of opsPerSecond at 95 % confidence, in percent. */
  rme: number;
  samples: number;
  unit: string;
  unitsPerOp: number;
  unitsPerSecond: number;
  /** unitsPerSecond ÷ that of the TypeScript variant of the same group. */
  speedupVsJs: number | null;
  /** Nanoseconds per operation. */
  nsPerOp: number;
}

export interface MicroResult {
  machine: MachineInfo;
  settings: MicroSettings & { maxTime: number; chunkIds: number; ascArgs: string[] };
  rows: MicroRow[];
  callOverhead: {
    emptyCallNs: number | null;
    fourArgCallNs: number | null;
    emptyChunkCallNs: number | null;
    /** emptyChunkCallNs ÷ the time one production chunk (CHUNK_IDS ids) takes at the SIMD skip-gram rate. */
    shareOfProductionChunk: number | null;
    shareOfBenchChunk: number | null;
  };
  notAvailable: { kernel: string; reason: string }[];
}

function main(): void {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' }, 'max-time': { type: 'string' }, filter: { type: 'string' }, out: { type: 'string' },
      'no-save': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const maxTime = values['max-time'] !== undefined ? Number(values['max-time']) : values.quick ? 0.25 : 1;
  if (!(maxTime > 0)) throw new Error(`--max-time must be a positive number of seconds, got ${values['max-time']}`);
  const started = new Date();
  const machine = machineInfo();
  console.log(`wasm2vec micro-benchmarks — ${describeMachine(machine)}`);

  if (ensureScalarWasm((line) => console.log(line))) console.log('compiled build/bench-scalar.wasm');
  const setup = createMicroSetup(DEFAULT_SETTINGS);
  const s = setup.settings;
  const simd = setup.kernels;
  const scalar = instantiateScalarKernels(setup.memory);
  const { f32 } = memoryViews(setup.memory);
  const stride = setup.stride;

  // Training: each operation trains the next wordsPerOp ids of the synthetic corpus.
  const cursor: Record<string, number> = {};
  const nextIds = (key: string): number => {
    const at = cursor[key] ?? 0;
    cursor[key] = (at + s.wordsPerOp) % (s.corpusIds - s.wordsPerOp);
    return setup.corpus.offset + at * 4;
  };
  const js = {
    skipgram: new JsWord2Vec(setup.memory, setup.configs.skipgram.offset, setup.workerFor.js, 1),
    cbow: new JsWord2Vec(setup.memory, setup.configs.cbow.offset, setup.workerFor.js, 2),
  };

  const cases: Case[] = [];
  const x = setup.vectors.x.offset;
  const y = setup.vectors.y.offset;
  const calls = s.shortCallsPerOp;
  const sd = stride; // floats in a short vector (padded dim)
  const shortStep = sd * 4;
  const shortSpan = Math.floor(s.longVector / sd) - 1;
  let sink = 0;
  let flip = 1;

  // dot and axpy: `calls` calls on consecutive short rows (the size of a word vector, call cost
  // included), and one call on two long vectors (throughput from L1/L2).
  cases.push(
    { group: `dot, ${s.dim} floats × ${calls} calls`, variant: 'js', name: 'dot-short-js', unitsPerOp: calls * sd, unit: 'floats', fn: () => {
      for (let i = 0; i < calls; i++) sink += dotJs(f32, x / 4 + (i % shortSpan) * sd, y / 4 + (i % shortSpan) * sd, sd);
    } },
    { group: `dot, ${s.dim} floats × ${calls} calls`, variant: 'wasm-scalar', name: 'dot-short-scalar', unitsPerOp: calls * sd, unit: 'floats', fn: () => {
      for (let i = 0; i < calls; i++) sink += scalar.dotScalar(x + (i % shortSpan) * shortStep, y + (i % shortSpan) * shortStep, sd);
    } },
    { group: `dot, ${s.dim} floats × ${calls} calls`, variant: 'wasm-simd', name: 'dot-short-simd', unitsPerOp: calls * sd, unit: 'floats', fn: () => {
      for (let i = 0; i < calls; i++) sink += simd.dot(x + (i % shortSpan) * shortStep, y + (i % shortSpan) * shortStep, sd);
    } },
    { group: `dot, ${s.longVector} floats`, variant: 'js', name: 'dot-long-js', unitsPerOp: s.longVector, unit: 'floats', fn: () => {
      sink += dotJs(f32, x / 4, y / 4, s.longVector);
    } },
    { group: `dot, ${s.longVector} floats`, variant: 'wasm-scalar', name: 'dot-long-scalar', unitsPerOp: s.longVector, unit: 'floats', fn: () => {
      sink += scalar.dotScalar(x, y, s.longVector);
    } },
    { group: `dot, ${s.longVector} floats`, variant: 'wasm-simd', name: 'dot-long-simd', unitsPerOp: s.longVector, unit: 'floats', fn: () => {
      sink += simd.dot(x, y, s.longVector);
    } },
    // axpy with a tiny alternating alpha so that y stays bounded however many times it runs.
    { group: `axpy, ${s.dim} floats × ${calls} calls`, variant: 'js', name: 'axpy-short-js', unitsPerOp: calls * sd, unit: 'floats', fn: () => {
      for (let i = 0; i < calls; i++) axpyJs(f32, i & 1 ? 1e-6 : -1e-6, x / 4 + (i % shortSpan) * sd, y / 4 + (i % shortSpan) * sd, sd);
    } },
    { group: `axpy, ${s.dim} floats × ${calls} calls`, variant: 'wasm-scalar', name: 'axpy-short-scalar', unitsPerOp: calls * sd, unit: 'floats', fn: () => {
      for (let i = 0; i < calls; i++) scalar.axpyScalar(i & 1 ? 1e-6 : -1e-6, x + (i % shortSpan) * shortStep, y + (i % shortSpan) * shortStep, sd);
    } },
    { group: `axpy, ${s.dim} floats × ${calls} calls`, variant: 'wasm-simd', name: 'axpy-short-simd', unitsPerOp: calls * sd, unit: 'floats', fn: () => {
      for (let i = 0; i < calls; i++) simd.axpy(i & 1 ? 1e-6 : -1e-6, x + (i % shortSpan) * shortStep, y + (i % shortSpan) * shortStep, sd);
    } },
    { group: `axpy, ${s.longVector} floats`, variant: 'js', name: 'axpy-long-js', unitsPerOp: s.longVector, unit: 'floats', fn: () => {
      axpyJs(f32, (flip = -flip) * 1e-6, x / 4, y / 4, s.longVector);
    } },
    { group: `axpy, ${s.longVector} floats`, variant: 'wasm-scalar', name: 'axpy-long-scalar', unitsPerOp: s.longVector, unit: 'floats', fn: () => {
      scalar.axpyScalar((flip = -flip) * 1e-6, x, y, s.longVector);
    } },
    { group: `axpy, ${s.longVector} floats`, variant: 'wasm-simd', name: 'axpy-long-simd', unitsPerOp: s.longVector, unit: 'floats', fn: () => {
      simd.axpy((flip = -flip) * 1e-6, x, y, s.longVector);
    } },
  );

  // Word2vec updates: one chunk of wordsPerOp ids through the whole per-chunk kernel (sentence
  // assembly, windows, negative sampling), no subsampling so that every id is trained.
  for (const mode of ['skipgram', 'cbow'] as const) {
    const config = setup.configs[mode].offset;
    const group = `${mode === 'skipgram' ? 'skip-gram' : 'CBOW'} update, ${s.wordsPerOp} words/call`;
    cases.push(
      { group, variant: 'js', name: `${mode}-js`, unitsPerOp: s.wordsPerOp, unit: 'words', fn: () => {
        js[mode].trainChunk(nextIds(`${mode}-js`), s.wordsPerOp);
      } },
      { group, variant: 'wasm-scalar', name: `${mode}-scalar`, unitsPerOp: s.wordsPerOp, unit: 'words', fn: () => {
        scalar.trainWord2VecChunkScalar(config, setup.workerFor['wasm-scalar'], nextIds(`${mode}-scalar`), s.wordsPerOp);
      } },
      { group, variant: 'wasm-simd', name: `${mode}-simd`, unitsPerOp: s.wordsPerOp, unit: 'words', fn: () => {
        simd.trainWord2VecChunk(config, setup.workerFor['wasm-simd'], nextIds(`${mode}-simd`), s.wordsPerOp);
      } },
    );
    if (mode === 'skipgram') {
      // The batched (HogBatch) skip-gram update, --update batched: SIMD only.
      const batched = setup.configs.skipgramBatched.offset;
      cases.push({ group, variant: 'wasm-simd (batched update)', name: 'skipgram-simd-batched', unitsPerOp: s.wordsPerOp, unit: 'words', fn: () => {
        simd.trainWord2VecChunk(batched, setup.workerFor['wasm-simd-batched'], nextIds('skipgram-batched'), s.wordsPerOp);
      } });
    }
  }

  // Similarity: one query against every row of a unit-normalised matrix (pairs = rows scored).
  const sim = setup.similarity;
  const rows = s.similarityRows;
  const simGroup = `similarity, 1 query × ${rows} rows`;
  cases.push(
    { group: simGroup, variant: 'js', name: 'similarity-js', unitsPerOp: rows, unit: 'pairs', fn: () => {
      scoreRowsJs(f32, sim.matrix.offset / 4, rows, stride, sim.query.offset / 4, sim.scores.offset / 4);
    } },
    { group: simGroup, variant: 'wasm-scalar', name: 'similarity-scalar', unitsPerOp: rows, unit: 'pairs', fn: () => {
      scalar.scoreRowsScalar(sim.matrix.offset, rows, stride, sim.query.offset, sim.scores.offset);
    } },
    { group: simGroup, variant: 'wasm-simd', name: 'similarity-simd', unitsPerOp: rows, unit: 'pairs', fn: () => {
      (simd.scoreRows as (m: number, r: number, s: number, q: number, o: number) => void)(sim.matrix.offset, rows, stride, sim.query.offset, sim.scores.offset);
    } },
    { group: simGroup, variant: 'wasm-simd (fused top-k)', name: 'similarity-simd-topk', unitsPerOp: rows, unit: 'pairs', fn: () => {
      (simd.mostSimilarRows as (...a: number[]) => number)(sim.matrix.offset, rows, stride, sim.query.offset, s.topK, sim.exclude.offset, 0, sim.outIdx.offset, sim.outScores.offset);
    } },
    { group: simGroup, variant: 'wasm-simd (batched top-k)', name: 'similarity-simd-batch', unitsPerOp: rows * s.batchQueries, unit: 'pairs', fn: () => {
      (simd.mostSimilarBatch as (...a: number[]) => void)(sim.matrix.offset, rows, stride, sim.queries.offset, s.batchQueries, s.topK, sim.exclude.offset, 1, sim.outIdx.offset, sim.outScores.offset);
    } },
  );

  // GloVe update and co-occurrence counting, once build/kernels.wasm has them.
  const notAvailable: MicroResult['notAvailable'] = [];
  if (hasGloveKernels(simd)) {
    cases.push(...gloveCases());
  } else {
    notAvailable.push(
      { kernel: 'GloVe update', reason: 'build/kernels.wasm exports no GloVe kernel (assembly/glove.ts)' },
      { kernel: 'co-occurrence counting', reason: 'build/kernels.wasm exports no co-occurrence kernel (assembly/cooccur.ts)' },
    );
  }

  // JS → WebAssembly call cost.
  const callGroup = `JS → WebAssembly call × ${calls}`;
  const emptyWorker = setup.workerFor['wasm-simd'];
  cases.push(
    { group: callGroup, variant: 'empty export', name: 'call-empty', unitsPerOp: calls, unit: 'calls', fn: () => {
      for (let i = 0; i < calls; i++) scalar.noop();
    } },
    { group: callGroup, variant: '4 arguments + result', name: 'call-4-args', unitsPerOp: calls, unit: 'calls', fn: () => {
      for (let i = 0; i < calls; i++) sink += scalar.noop4(i, i, i, i);
    } },
    { group: callGroup, variant: 'trainWord2VecChunk, 0 ids', name: 'call-empty-chunk', unitsPerOp: calls, unit: 'calls', fn: () => {
      for (let i = 0; i < calls; i++) simd.trainWord2VecChunk(setup.configs.skipgram.offset, emptyWorker, setup.corpus.offset, 0);
    } },
  );

  const selected = values.filter ? cases.filter((c) => c.name.includes(values.filter!)) : cases;
  const rowsOut: MicroRow[] = [];
  const t0 = performance.now();
  for (const c of selected) {
    // A bound function cannot be decompiled, so Benchmark calls it as is (closures keep working).
    const bench = new Benchmark(c.name, c.fn.bind(null), { maxTime, minSamples: 5, initCount: 1 });
    bench.run({ async: false });
    if (bench.error) throw bench.error;
    const hz = bench.hz;
    const row: MicroRow = {
      group: c.group, variant: c.variant, name: c.name, opsPerSecond: hz, rme: bench.stats.rme, samples: bench.stats.sample.length,
      unit: c.unit, unitsPerOp: c.unitsPerOp, unitsPerSecond: hz * c.unitsPerOp, speedupVsJs: null, nsPerOp: 1e9 / hz,
    };
    rowsOut.push(row);
    process.stdout.write(`  ${c.name.padEnd(24)} ${rate(hz).padStart(9)} ops/s ±${bench.stats.rme.toFixed(1)}%  ${rate(row.unitsPerSecond)} ${c.unit}/s\n`);
  }
  for (const row of rowsOut) {
    const base = rowsOut.find((r) => r.group === row.group && r.variant === 'js');
    row.speedupVsJs = base ? row.unitsPerSecond / base.unitsPerSecond : null;
  }
  if (sink === 12345.678) console.log(sink); // keep the results alive

  const perCall = (name: string) => {
    const r = rowsOut.find((x) => x.name === name);
    return r ? r.nsPerOp / r.unitsPerOp : null;
  };
  const sgRate = rowsOut.find((r) => r.name === 'skipgram-simd')?.unitsPerSecond;
  const emptyChunk = perCall('call-empty-chunk');
  const result: MicroResult = {
    machine,
    settings: { ...s, maxTime, chunkIds: CHUNK_IDS, ascArgs: ASC_ARGS.slice(1) },
    rows: rowsOut,
    callOverhead: {
      emptyCallNs: perCall('call-empty'),
      fourArgCallNs: perCall('call-4-args'),
      emptyChunkCallNs: emptyChunk,
      shareOfProductionChunk: emptyChunk !== null && sgRate ? emptyChunk / ((CHUNK_IDS / sgRate) * 1e9) : null,
      shareOfBenchChunk: emptyChunk !== null && sgRate ? emptyChunk / ((s.wordsPerOp / sgRate) * 1e9) : null,
    },
    notAvailable,
  };

  console.log(`\n${consoleTable(...tableData(result))}`);
  console.log(overheadText(result));
  for (const m of result.notAvailable) console.log(`${m.kernel}: not available — ${m.reason}`);
  console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s of benchmarks)`);

  if (!values['no-save']) {
    const stem = timestampStem(started, 'micro');
    const files = writeResult(
      values.out ?? defaultResultsDir,
      { kind: 'micro', name: 'micro', started: started.toISOString(), stem, command: commandLine('npm run bench') },
      result,
      microMarkdown(result, commandLine('npm run bench')),
    );
    console.log(`wrote ${files.json}\n      ${files.markdown}\n      ${files.latest}`);
  }
}

function tableData(r: MicroResult): [string[], string[][]] {
  const header = ['kernel', 'variant', 'ops/s', '±%', 'per second', 'time/op', 'vs TypeScript'];
  const rows = r.rows.map((x) => [
    x.group, x.variant, rate(x.opsPerSecond), x.rme.toFixed(1), `${rate(x.unitsPerSecond)} ${x.unit}`, ns(x.nsPerOp),
    x.speedupVsJs === null ? '' : `${x.speedupVsJs.toFixed(2)}×`,
  ]);
  return [header, rows];
}

function overheadText(r: MicroResult): string {
  const o = r.callOverhead;
  if (o.emptyCallNs === null && o.emptyChunkCallNs === null) return '';
  const share = (x: number | null) => (x === null ? '–' : x >= 1e-5 ? `${(100 * x).toPrecision(2)} %` : `${(100 * x).toExponential(1)} %`);
  return (
    `JS → WebAssembly call: ${ns(o.emptyCallNs)} empty, ${ns(o.fourArgCallNs)} with 4 arguments and a result; ` +
    `trainWord2VecChunk on 0 ids ${ns(o.emptyChunkCallNs)}, i.e. ${share(o.shareOfProductionChunk)} of a ${r.settings.chunkIds}-id ` +
    `production chunk and ${share(o.shareOfBenchChunk)} of a ${r.settings.wordsPerOp}-id benchmark call at the SIMD skip-gram rate.`
  );
}

export function microMarkdown(r: MicroResult, command: string): string {
  const s = r.settings;
  const [header, rows] = tableData(r);
  return [
    '# Kernel micro-benchmarks',
    '',
    `\`${command}\` — ${describeMachine(r.machine)}.`,
    '',
    `One thread. Model: ${s.vocabSize} words (Zipf, exponent ${s.zipfExponent}), dim ${s.dim} (padded to a multiple of 4), window ${s.window}, ` +
      `negative ${s.negative}, no subsampling (every id is trained). Similarity: unit rows of ${s.dim} floats. ` +
      `Benchmark.js, ${s.maxTime} s of samples per line. "vs TypeScript" is the throughput ÷ that of the plain TypeScript version.`,
    '',
    markdownTable(header, rows, ['l', 'l', 'r', 'r', 'r', 'r', 'r']),
    overheadText(r),
    '',
    ...r.notAvailable.map((m) => `- ${m.kernel}: **not available** — ${m.reason}.`),
    '',
  ].join('\n');
}

main();

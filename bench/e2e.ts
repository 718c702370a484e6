// npm run bench:e2e -- --corpus PATH: wasm2vec against word2vec.c, fastText and gensim, alternating
// runs on the same corpus with the same settings; --scaling: wasm2vec words/s for 1..N workers.
// Writes bench/results/<time>-<name>.{json,md,svg} and rebuilds bench/results/latest.md.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eChartSpec, renderSvg, scalingChartSpec } from './e2e/chart.js';
import { corpusStats, repeatCorpus, wrapLines, type CorpusStats } from './e2e/corpus.js';
import { MODE_LABEL, parseE2eOptions, type E2eOptions, type Mode } from './e2e/options.js';
import { installPeers, modeAvailability, toolById, type Availability, type RunContext, type Tool } from './e2e/peers.js';
import { evaluateModel, findEvalFiles, type EvalFiles } from './e2e/quality.js';
import { e2eConsole, e2eMarkdown, scalingConsole, scalingMarkdown } from './e2e/report.js';
import { haveGnuTime, lastLines, runMeasured } from './e2e/run.js';
import { summarize, summarizeScaling } from './e2e/summary.js';
import type { E2eResult, RunRecord, ScalingResult } from './e2e/types.js';
import { fixed, pct, rate, secs } from './lib/format.js';
import { describeMachine, machineInfo } from './lib/machine.js';
import { repoRoot } from './lib/paths.js';
import { commandLine, timestampStem, writeResult } from './lib/results.js';

/** gensim's corpus_file mode reads at most this many words of a line. */
const GENSIM_MAX_LINE_WORDS = 10_000;

interface Bench {
  o: E2eOptions;
  ctx: RunContext;
  corpus: CorpusStats;
  evalFiles?: EvalFiles;
  useTime: boolean;
  scratch: string;
  index: number;
}

async function runOne(b: Bench, tool: Tool, mode: Mode, round: number, threads: number, evaluate: boolean): Promise<RunRecord> {
  const index = ++b.index;
  const dir = join(b.scratch, `${String(index).padStart(3, '0')}-${tool.id}-${mode}-t${threads}`);
  mkdirSync(dir, { recursive: true });
  const ctx: RunContext = { ...b.ctx, settings: { ...b.ctx.settings, threads } };
  const inv = tool.invocation(ctx, mode, dir);
  const child = await runMeasured(inv.command, inv.args, { cwd: dir, timeoutSeconds: b.o.timeoutSeconds, useTime: b.useTime, scratch: b.scratch });
  const ok = child.exitCode === 0 && !child.timedOut;
  // Words per corpus pass × passes; GloVe reads the corpus once (its iterations are over co-occurrences).
  const passes = mode === 'glove' ? 1 : b.o.settings.epochs;
  const words = b.corpus.words * passes;
  const record: RunRecord = {
    index,
    round,
    tool: tool.id,
    mode,
    threads,
    ok,
    error: ok ? undefined : child.timedOut ? `timed out after ${b.o.timeoutSeconds} s` : `exit ${child.exitCode ?? child.signal}: ${lastLines(child.stderr || child.stdout, 4)}`,
    command: [inv.command, ...inv.args].map((a) => (/^[\w./=:,@+-]+$/.test(a) ? a : `'${a}'`)).join(' '),
    wallSeconds: ok ? child.wallSeconds : null,
    wordsPerSecond: ok ? words / child.wallSeconds : null,
    wordsPerSecondPerThread: ok ? words / child.wallSeconds / threads : null,
    peakRssMiB: child.peakRssKiB !== null ? child.peakRssKiB / 1024 : null,
    cpuSeconds: child.userSeconds !== null && child.systemSeconds !== null ? child.userSeconds + child.systemSeconds : null,
    ownFigure: ok ? tool.ownFigure(child.stdout, child.stderr) : null,
    quality: null,
    outputTail: lastLines(`${child.stdout}\n${child.stderr}`, 8),
  };
  if (ok && evaluate && b.evalFiles) {
    try {
      record.quality = await evaluateModel(inv.vectors, b.evalFiles);
    } catch (error) {
      record.qualityError = (error as Error).message;
    }
  }
  if (!b.o.keepModels) rmSync(dir, { recursive: true, force: true });
  return record;
}

function progressLine(r: RunRecord, label: string, total: number): string {
  const head = `[${r.index}/${total}] round ${r.round} ${MODE_LABEL[r.mode].padEnd(9)} ${label.padEnd(22)}`;
  if (!r.ok) return `${head} FAILED: ${r.error}`;
  const q = r.quality
    ? `; analogy ${r.quality.analogy ? `${pct(r.quality.analogy.total)} %` : '–'}, WS353 ${r.quality.wordsim ? fixed(r.quality.wordsim.spearman) : '–'}`
    : r.qualityError ? `; evaluation failed: ${r.qualityError}` : '';
  const rss = r.peakRssMiB !== null ? `, ${r.peakRssMiB.toFixed(0)} MiB` : '';
  return `${head} ${secs(r.wallSeconds).padStart(7)} s, ${rate(r.wordsPerSecond)} words/s${rss}${q}`;
}

async function prepare(o: E2eOptions) {
  const started = new Date();
  const machine = machineInfo();
  console.log(`${o.scaling ? 'wasm2vec scaling' : 'end-to-end'} benchmark — ${describeMachine(machine)}`);
  const peersInstall = o.installPeers ? installPeers() : undefined;
  if (peersInstall) console.log(peersInstall);
  const scratch = mkdtempSync(join(tmpdir(), 'wasm2vec-bench-'));
  let trainingCorpus = o.corpus;
  if (o.repeat > 1) {
    trainingCorpus = join(scratch, `corpus.x${o.repeat}.txt`);
    console.log(`writing ${o.repeat} copies of ${o.corpus} to ${trainingCorpus} …`);
    await repeatCorpus(o.corpus, trainingCorpus, o.repeat);
  }
  console.log(`counting the words of ${trainingCorpus} …`);
  const corpus = await corpusStats(trainingCorpus, o.corpus, o.repeat);
  console.log(`  ${corpus.words.toLocaleString('en-US')} words, ${corpus.lines.toLocaleString('en-US')} line(s), longest ${corpus.maxWordsPerLine.toLocaleString('en-US')} words`);
  const ctx: RunContext = {
    corpus: trainingCorpus, gensimCorpus: trainingCorpus, gensimInput: o.gensimInput, settings: o.settings, python: o.python, workDir: scratch,
    word2vecBinary: o.word2vecBinary,
    baselineCli: o.baselineCli,
  };
  const useTime = haveGnuTime();
  if (!useTime) console.log('GNU time (/usr/bin/time) is missing: no peak RSS or CPU time will be measured (apt-get install time)');
  return { started, machine, peersInstall, scratch, corpus, ctx, useTime };
}

async function runE2e(o: E2eOptions): Promise<void> {
  const p = await prepare(o);
  const notes: string[] = [];
  try {
    const tools = o.tools.map((id) => toolById(id));
    const toolAvail: { tool: Tool; availability: Availability }[] = [];
    for (const tool of tools) {
      process.stdout.write(`${tool.label}: `);
      const availability = tool.prepare(p.ctx);
      console.log(availability.available ? `${availability.version}${availability.detail ? ` (${availability.detail})` : ''}` : `MISSING — ${availability.reason}`);
      toolAvail.push({ tool, availability });
    }
    const availabilityFor = (tool: Tool, mode: Mode) => modeAvailability(tool, mode, toolAvail.find((t) => t.tool === tool)!.availability);

    if (toolAvail.some((t) => t.tool.id === 'gensim' && t.availability.available) && o.gensimInput === 'corpus_file' && p.corpus.maxWordsPerLine > GENSIM_MAX_LINE_WORDS) {
      p.ctx.gensimCorpus = join(p.scratch, 'corpus.gensim.txt');
      console.log(`gensim: writing a copy with at most ${GENSIM_MAX_LINE_WORDS} words a line (its corpus_file mode ignores the rest of longer lines) …`);
      await wrapLines(p.ctx.corpus, p.ctx.gensimCorpus, GENSIM_MAX_LINE_WORDS);
      notes.push(`gensim read a copy of the corpus re-wrapped to at most ${GENSIM_MAX_LINE_WORDS} words a line (its corpus_file mode reads only the first ${GENSIM_MAX_LINE_WORDS} words of a line); the others read the original.`);
    }

    const evalFiles = findEvalFiles(o.evalDir);
    if (evalFiles.missing.length > 0) console.log(`quality: missing ${evalFiles.missing.join(', ')} — reported as missing`);
    if (p.corpus.words * o.settings.epochs < 10_000_000) {
      notes.push(
        `Only ${(p.corpus.words * o.settings.epochs).toLocaleString('en-US')} training words (corpus × epochs): at this size analogy scores are low for every tool ` +
          'and differ mostly by noise (on text8_head, 1 epoch gives under 1.5 % for every tool); use --epochs 5 or more, or a larger corpus, to compare quality.',
      );
    }
    if (p.machine.loadAverage[0] > 0.5) {
      notes.push(`The 1-minute load average was ${p.machine.loadAverage[0]} when the benchmark started: other work on the machine slows every tool, and the ratios are more reliable than the absolute figures.`);
    }

    const plan: { tool: Tool; mode: Mode; round: number }[] = [];
    for (let round = 1; round <= o.runs; round++) {
      for (const mode of o.modes) {
        for (const { tool } of toolAvail) {
          if (availabilityFor(tool, mode).available) plan.push({ tool, mode, round });
        }
      }
    }
    for (const mode of o.modes) {
      for (const { tool } of toolAvail) {
        const a = availabilityFor(tool, mode);
        if (tool.modes.includes(mode) && !a.available) console.log(`${tool.label} ${MODE_LABEL[mode]}: not run — ${a.reason}`);
      }
    }
    console.log(`${plan.length} runs: ${o.runs} round(s) of ${plan.length / Math.max(1, o.runs)}\n`);
    const b: Bench = { o, ctx: p.ctx, corpus: p.corpus, evalFiles, useTime: p.useTime, scratch: p.scratch, index: 0 };
    const runs: RunRecord[] = [];
    const t0 = performance.now();
    for (const step of plan) {
      const record = await runOne(b, step.tool, step.mode, step.round, o.settings.threads, true);
      runs.push(record);
      console.log(progressLine(record, step.tool.label, plan.length));
    }
    const summary = summarize(runs, toolAvail, o.modes, o.runs, availabilityFor);
    const result: E2eResult = {
      machine: p.machine,
      settings: { ...o.settings, runs: o.runs, modes: o.modes, tools: o.tools, gensimInput: o.gensimInput },
      corpus: p.corpus,
      evalDir: o.evalDir,
      evalMissing: evalFiles.missing,
      tools: toolAvail.map(({ tool, availability }) => ({ id: tool.id, label: tool.label, availability, ownFigureNote: tool.ownFigureNote })),
      peersInstall: p.peersInstall,
      runs,
      summary,
      gnuTime: p.useTime,
      elapsedSeconds: (performance.now() - t0) / 1000,
      notes,
    };
    console.log(`\n${e2eConsole(result)}`);
    for (const n of notes) console.log(`note: ${n}`);
    if (o.save) {
      const stem = timestampStem(p.started, o.name);
      const command = commandLine('npm run bench:e2e');
      const svg = await renderSvg(e2eChartSpec(result));
      const files = writeResult(o.out, { kind: 'e2e', name: o.name, started: p.started.toISOString(), stem, command }, result, e2eMarkdown(result, stem, command, true), svg);
      console.log(`\nwrote ${files.json}\n      ${files.markdown}\n      ${files.svg}\n      ${files.latest}`);
    }
  } finally {
    if (o.keepModels) console.log(`models kept in ${p.scratch}`);
    else rmSync(p.scratch, { recursive: true, force: true });
  }
}

async function runScaling(o: E2eOptions): Promise<void> {
  const p = await prepare(o);
  const notes: string[] = [];
  try {
    const tool = toolById('wasm2vec');
    const availability = tool.prepare(p.ctx);
    if (!availability.available) throw new Error(`wasm2vec is not runnable: ${availability.reason}`);
    const modes: Mode[] = [];
    const unavailable: ScalingResult['unavailable'] = [];
    for (const mode of o.modes) {
      const a = modeAvailability(tool, mode, availability);
      if (a.available) modes.push(mode);
      else {
        unavailable.push({ mode, reason: a.reason });
        console.log(`${MODE_LABEL[mode]}: not available — ${a.reason}`);
      }
    }
    const threadsList = Array.from({ length: o.maxThreads }, (_, i) => i + 1);
    if (p.machine.loadAverage[0] > 0.5) {
      notes.push(`The 1-minute load average was ${p.machine.loadAverage[0]} when the benchmark started: other work on the machine flattens the curve.`);
    }
    const total = o.runs * modes.length * threadsList.length;
    console.log(`${total} runs: threads ${threadsList.join(', ')} × ${modes.map((m) => MODE_LABEL[m]).join(', ')} × ${o.runs} round(s)\n`);
    const b: Bench = { o, ctx: p.ctx, corpus: p.corpus, useTime: p.useTime, scratch: p.scratch, index: 0 };
    const runs: RunRecord[] = [];
    const t0 = performance.now();
    for (let round = 1; round <= o.runs; round++) {
      for (const mode of modes) {
        for (const threads of threadsList) {
          const record = await runOne(b, tool, mode, round, threads, false);
          runs.push(record);
          console.log(`${progressLine(record, `${tool.label} ×${threads}`, total)}${record.ownFigure ? `, training phase ${rate(record.ownFigure.value)} words/s` : ''}`);
        }
      }
    }
    const result: ScalingResult = {
      machine: p.machine,
      settings: { ...o.settings, runs: o.runs, modes: o.modes, tools: ['wasm2vec'], gensimInput: o.gensimInput, threadsList },
      corpus: p.corpus,
      runs,
      summary: summarizeScaling(runs, modes, threadsList),
      unavailable,
      gnuTime: p.useTime,
      elapsedSeconds: (performance.now() - t0) / 1000,
      notes,
    };
    console.log(`\n${scalingConsole(result)}`);
    if (o.save) {
      const stem = timestampStem(p.started, o.name);
      const command = commandLine('npm run bench:scaling', ['--scaling']);
      const svg = await renderSvg(scalingChartSpec(result));
      const files = writeResult(o.out, { kind: 'scaling', name: o.name, started: p.started.toISOString(), stem, command }, result, scalingMarkdown(result, stem, command, true), svg);
      console.log(`\nwrote ${files.json}\n      ${files.markdown}\n      ${files.svg}\n      ${files.latest}`);
    }
  } finally {
    if (o.keepModels) console.log(`models kept in ${p.scratch}`);
    else rmSync(p.scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const o = parseE2eOptions(process.argv.slice(2));
  if (!o) return;
  process.chdir(repoRoot);
  if (o.scaling) await runScaling(o);
  else await runE2e(o);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});


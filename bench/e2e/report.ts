// Markdown reports of the end-to-end and scaling benchmarks, generated from the result objects
// (the same objects that are written as JSON).
import { basename } from 'node:path';
import { consoleTable, fixed, markdownTable, pct, rate, ratio, secs } from '../lib/format.js';
import { describeMachine } from '../lib/machine.js';
import { MODE_LABEL } from './options.js';
import type { E2eResult, RunRecord, ScalingResult, ToolSummary } from './types.js';

function mib(x: number | null): string {
  return x === null ? '–' : x.toFixed(0);
}

function quality(s: ToolSummary['medians']): [string, string] {
  const analogy = s.analogyTotal === null ? '–' : `${pct(s.analogyTotal)} / ${pct(s.analogySemantic)} / ${pct(s.analogySyntactic)}`;
  const answered = s.analogyAnswered === null ? '' : ` (${s.analogyAnswered.toLocaleString('en-US')} q.)`;
  return [`${analogy}${answered}`, fixed(s.wordsim, 3)];
}

function ratioCell(s: ToolSummary, isReference: boolean): string {
  if (isReference) return 'reference';
  if (!s.ratio) return '–';
  const rounds = s.ratio.perRound.map((r) => (r === null ? '–' : r.toFixed(2))).join(', ');
  return `**${ratio(s.ratio.median)}** (${rounds})`;
}

function ownFigureCell(s: ToolSummary): string {
  if (s.medians.ownFigure === null) return '–';
  return `${rate(s.medians.ownFigure)} ${s.ownFigureUnit ?? ''}`.trim();
}

export const E2E_HEADER = [
  'tool', 'runs', 'wall s', 'words/s', 'words/s/thread', 'peak RSS MiB', 'CPU s', 'wasm2vec ÷ tool (per round)',
  'analogy tot / sem / syn %', 'WS353 ρ', "tool's own speed figure",
];

export function e2eRows(r: E2eResult, mode: string, markdown: boolean): string[][] {
  return r.summary
    .filter((s) => s.mode === mode)
    .map((s) => {
      const name = markdown && s.tool.startsWith('wasm2vec') ? `**${s.label}**` : s.label;
      if (s.status !== 'ok') {
        const why = markdown ? `**${s.status}**: ${s.reason ?? ''}` : s.status;
        return [name, '0', why, '', '', '', '', '', '', '', ''];
      }
      const [analogy, ws] = quality(s.medians);
      return [
        name,
        s.failedRuns > 0 ? `${s.okRuns} (+${s.failedRuns} failed)` : String(s.okRuns),
        secs(s.medians.wallSeconds),
        rate(s.medians.wordsPerSecond),
        rate(s.medians.wordsPerSecondPerThread),
        mib(s.medians.peakRssMiB),
        secs(s.medians.cpuSeconds, 1),
        markdown ? ratioCell(s, s.tool === 'wasm2vec') : ratioCell(s, s.tool === 'wasm2vec').replace(/\*\*/g, ''),
        analogy,
        ws,
        ownFigureCell(s),
      ];
    });
}

export function e2eMarkdown(r: E2eResult, stem: string, command: string, hasChart: boolean): string {
  const s = r.settings;
  const c = r.corpus;
  const lines: string[] = [];
  lines.push('# End-to-end training benchmark', '');
  lines.push(`\`${command}\``, '');
  lines.push(`- Machine: ${describeMachine(r.machine)}.`);
  lines.push(
    `- Corpus: \`${basename(c.source)}\`${c.repeat > 1 ? ` × ${c.repeat} (one file of ${c.repeat} copies)` : ''}, ${c.bytes.toLocaleString('en-US')} bytes, ${c.words.toLocaleString('en-US')} words, ` +
      `${c.lines.toLocaleString('en-US')} line(s) (longest ${c.maxWordsPerLine.toLocaleString('en-US')} words), md5 ${c.md5}.`,
  );
  lines.push(
    `- Settings, the same for every tool: dim ${s.dim}, window ${s.window}, negative ${s.negative}, sample ${s.sample}, ` +
      `min-count ${s.minCount}, ${s.threads} threads, ${s.epochs} epoch(s); learning rates at each tool's default. ` +
      `fastText without subwords (\`-minn 0 -maxn 0\`); gensim through \`${s.gensimInput}\`.` +
      (s.modes.includes('glove') ? ` GloVe (wasm2vec only): window ${s.gloveWindow}, ${s.gloveIterations} iterations, x-max ${s.gloveXMax}, dim ${s.dim}, min-count ${s.minCount}, other options at \`wasm2vec glove\`'s defaults.` : ''),
  );
  lines.push(`- ${s.runs} round(s); in each round every tool runs once per mode, in the same order (A B C D, A B C D, …). ${r.runs.length} runs in ${(r.elapsedSeconds / 60).toFixed(1)} min.`, '');
  if (hasChart) lines.push(`![Training throughput per tool and mode](${stem}.svg)`, '');
  for (const mode of s.modes) {
    const rows = e2eRows(r, mode, true);
    if (rows.length === 0) continue;
    lines.push(`## ${MODE_LABEL[mode]}`, '');
    lines.push(markdownTable(E2E_HEADER, rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l']));
  }
  lines.push('## What the figures mean', '');
  lines.push(
    '- Every figure is the median over the runs of a tool and mode. **wall s**: the whole process, from start to exit ' +
      '(reading the corpus, building the vocabulary, training, writing the vectors as text). **words/s** = corpus words × epochs ÷ wall s (GloVe: corpus words ÷ wall s, since its iterations run over the co-occurrence records, not the corpus); ' +
      '**words/s/thread** = words/s ÷ threads. **peak RSS**: the largest resident set of the process (GNU time %M). ' +
      '**CPU s**: user + system seconds.',
    '- **wasm2vec ÷ tool**: wasm2vec\'s words/s ÷ the tool\'s, run against run within each round (listed in brackets), and their median: ' +
      'above 1, wasm2vec is faster.',
    `- **Quality**, computed for every model by wasm2vec's evaluator (the semantics of gensim's evaluate_word_analogies and evaluate_word_pairs): ` +
      'analogy accuracy (total / semantic / syntactic, %) over the questions of questions-words.txt whose words are all among the 30 000 most frequent, ' +
      'and the Spearman ρ with WordSim-353 over its in-vocabulary pairs.' +
      (r.evalMissing.length > 0 ? ` **Missing evaluation files** (quality shown as –): ${r.evalMissing.join(', ')}.` : ''),
    "- **Tool's own speed figure**: what each tool prints, which measures different things:",
    ...[...new Set(r.tools.map((t) => t.ownFigureNote))].map((note) => `  - ${note}.`),
    '',
  );
  lines.push('## Tools', '');
  for (const t of r.tools) {
    const a = t.availability;
    lines.push(a.available ? `- ${t.label}: ${a.version}${a.detail ? ` — ${a.detail}` : ''}` : `- ${t.label}: **missing** — ${a.reason}`);
  }
  if (r.peersInstall) lines.push(`- --install-peers: ${r.peersInstall}`);
  if (!r.gnuTime) lines.push('- GNU time (/usr/bin/time) is missing: no peak RSS or CPU time (apt-get install time).');
  lines.push('');
  if (r.notes.length > 0) lines.push('## Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  lines.push('## Every run, in order', '');
  lines.push(markdownTable(RUN_HEADER, r.runs.map((x) => runRow(r, x)), RUN_ALIGN));
  return lines.join('\n');
}

const RUN_HEADER = ['#', 'round', 'mode', 'tool', 'wall s', 'words/s', 'peak RSS MiB', 'analogy %', 'WS353 ρ', 'status'];
const RUN_ALIGN: ('l' | 'r')[] = ['r', 'r', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'l'];

function runRow(r: E2eResult | ScalingResult, x: RunRecord): string[] {
  const label = 'tools' in r ? (r.tools.find((t) => t.id === x.tool)?.label ?? x.tool) : `${x.tool} ×${x.threads}`;
  return [
    String(x.index), String(x.round), MODE_LABEL[x.mode], label, secs(x.wallSeconds), rate(x.wordsPerSecond), mib(x.peakRssMiB),
    x.quality?.analogy ? pct(x.quality.analogy.total) : '–', x.quality?.wordsim ? fixed(x.quality.wordsim.spearman) : '–',
    x.ok ? (x.qualityError ? `ok; evaluation failed: ${x.qualityError}` : 'ok') : `failed: ${x.error ?? ''}`,
  ];
}

export function e2eConsole(r: E2eResult): string {
  return r.settings.modes
    .map((mode) => {
      const rows = e2eRows(r, mode, false);
      const reasons = r.summary.filter((s) => s.mode === mode && s.status !== 'ok').map((s) => `  ${s.label}: ${s.status} — ${s.reason ?? ''}\n`);
      return rows.length === 0 ? '' : `${MODE_LABEL[mode]}\n${consoleTable(E2E_HEADER, rows)}${reasons.join('')}`;
    })
    .filter((s) => s)
    .join('\n');
}

const SCALING_HEADER = ['model', 'threads', 'runs', 'wall s', 'words/s (wall)', 'words/s (training phase)', 'speedup', 'efficiency', 'peak RSS MiB'];

function scalingRows(r: ScalingResult): string[][] {
  return r.summary.map((p) => [
    MODE_LABEL[p.mode], String(p.threads), String(p.okRuns), secs(p.wallSeconds), rate(p.wordsPerSecond),
    `${rate(p.trainWordsPerSecond)}${p.trainRateUnit?.startsWith('pairs') ? ' pairs/s' : ''}`,
    ratio(p.speedup), p.efficiency === null ? '–' : `${(100 * p.efficiency).toFixed(0)} %`, mib(p.peakRssMiB),
  ]);
}

export function scalingMarkdown(r: ScalingResult, stem: string, command: string, hasChart: boolean): string {
  const s = r.settings;
  const c = r.corpus;
  const lines = [
    '# wasm2vec scaling with worker threads',
    '',
    `\`${command}\``,
    '',
    `- Machine: ${describeMachine(r.machine)}.`,
    `- Corpus: \`${basename(c.source)}\`${c.repeat > 1 ? ` × ${c.repeat}` : ''}, ${c.words.toLocaleString('en-US')} words, md5 ${c.md5}.`,
    `- Settings: dim ${s.dim}, window ${s.window}, negative ${s.negative}, sample ${s.sample}, min-count ${s.minCount}, ${s.epochs} epoch(s); ` +
      `threads ${s.threadsList.join(', ')}; ${s.runs} rounds, alternating (every thread count once per round).`,
    '',
  ];
  if (hasChart) lines.push(`![words/s against worker threads](${stem}.svg)`, '');
  lines.push(markdownTable(SCALING_HEADER, scalingRows(r)));
  for (const u of r.unavailable) lines.push(`- ${MODE_LABEL[u.mode]}: **not available** — ${u.reason}`);
  lines.push(
    '',
    '**words/s (wall)** = corpus words × epochs ÷ the whole process\'s wall seconds (vocabulary counting, which is single-threaded, included). ' +
      "**words/s (training phase)** = wasm2vec's own figure: training words ÷ training seconds (for GloVe: co-occurrence pairs × iterations ÷ training seconds). **speedup** = training-phase words/s ÷ that with 1 thread " +
      '(whole-run words/s where the training phase is not reported); **efficiency** = speedup ÷ threads.',
    '',
  );
  if (r.notes.length > 0) lines.push('## Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  lines.push('## Every run, in order', '');
  lines.push(markdownTable(RUN_HEADER.map((h) => (h === 'tool' ? 'run' : h)), r.runs.map((x) => runRow(r, x)), RUN_ALIGN));
  return lines.join('\n');
}

export function scalingConsole(r: ScalingResult): string {
  return consoleTable(SCALING_HEADER, scalingRows(r));
}

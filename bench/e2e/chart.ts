// SVG charts of the results, drawn with Vega-Lite (compiled to Vega, rendered headless: no canvas,
// no browser). The specs are kept in the result JSON's neighbourhood only as pictures.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { MODE_LABEL, type Mode } from './options.js';
import type { E2eResult, ScalingResult } from './types.js';
import { basename } from 'node:path';
import { rate } from '../lib/format.js';
import type { CorpusStats } from './corpus.js';

function corpusName(c: CorpusStats): string {
  return `${basename(c.source)}${c.repeat > 1 ? ` × ${c.repeat}` : ''} (${c.words.toLocaleString('en-US')} words)`;
}

const WASM2VEC_COLOR = '#d62728';
const PEER_COLORS = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Vega-Lite warns about faceted independent scales over filtered layers of one data set: that is intended.
  const view = new vega.View(vega.parse(compile(spec, { logger: vega.logger(vega.Error) }).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Bars: median words/s per tool, one panel per mode, each run as a tick; missing tools labelled. */
export function e2eChartSpec(r: E2eResult): TopLevelSpec {
  const toolOrder = [...new Set(r.summary.map((s) => s.label))];
  const colorRange = toolOrder.map((label, i) => (label.startsWith('wasm2vec') ? WASM2VEC_COLOR : PEER_COLORS[i % PEER_COLORS.length]));
  const modes = [...new Set(r.summary.map((s) => s.mode))];
  const values: Record<string, unknown>[] = [];
  for (const s of r.summary) {
    const mode = MODE_LABEL[s.mode];
    if (s.status === 'ok') {
      const m = s.ratio?.median;
      const ratio = m !== undefined && Number.isFinite(m) && s.tool !== 'wasm2vec'
        ? m >= 1 ? ` (wasm2vec ${m.toFixed(2)}× faster)` : ` (wasm2vec ${(1 / m).toFixed(2)}× slower)`
        : '';
      values.push({ kind: 'median', mode, tool: s.label, value: s.medians.wordsPerSecond, label: `${rate(s.medians.wordsPerSecond)}${ratio}` });
    } else {
      values.push({ kind: 'median', mode, tool: s.label, value: 0, label: s.status === 'missing' ? 'missing (not installed)' : s.status });
    }
  }
  for (const run of r.runs) {
    if (run.ok && run.wordsPerSecond !== null) {
      const label = r.summary.find((s) => s.tool === run.tool)?.label ?? run.tool;
      values.push({ kind: 'run', mode: MODE_LABEL[run.mode], tool: label, value: run.wordsPerSecond });
    }
  }
  const y = { field: 'tool', type: 'nominal' as const, sort: toolOrder, title: null };
  const x = {
    field: 'value', type: 'quantitative' as const, title: `words/s = corpus words × epochs ÷ wall seconds (median of ${r.settings.runs} runs; ticks: single runs)`,
    axis: { format: '~s' },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Training throughput, ${r.settings.threads} threads, ${r.settings.epochs} epoch(s) on ${corpusName(r.corpus)}`,
      subtitle: [
        `dim ${r.settings.dim}, window ${r.settings.window}, negative ${r.settings.negative}, sample ${r.settings.sample}, min-count ${r.settings.minCount} — ${r.machine.cpuModel}, ${r.machine.cores} cores, Node ${r.machine.node}`,
      ],
      anchor: 'start',
    },
    data: { values },
    facet: { row: { field: 'mode', type: 'nominal', sort: modes.map((m: Mode) => MODE_LABEL[m]), title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontWeight: 'bold' } } },
    spec: {
      width: 460,
      height: { step: 24 },
      layer: [
        {
          transform: [{ filter: "datum.kind === 'median'" }],
          mark: { type: 'bar', cornerRadiusEnd: 2 },
          encoding: { y, x, color: { field: 'tool', type: 'nominal', scale: { domain: toolOrder, range: colorRange }, legend: null } },
        },
        {
          transform: [{ filter: "datum.kind === 'run'" }],
          mark: { type: 'tick', color: 'black', opacity: 0.6, thickness: 1.5 },
          encoding: { y, x },
        },
        {
          transform: [{ filter: "datum.kind === 'median'" }],
          mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 },
          encoding: { y, x, text: { field: 'label', type: 'nominal' } },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
    config: { view: { stroke: null }, font: 'sans-serif' },
  } as TopLevelSpec;
}

/** Lines: words/s against worker threads, per mode; solid = training phase, dashed = whole run (wall). */
export function scalingChartSpec(r: ScalingResult): TopLevelSpec {
  const values: Record<string, unknown>[] = [];
  for (const p of r.summary) {
    const mode = MODE_LABEL[p.mode];
    // GloVe's training-phase figure is in pairs/s: only its whole-run words/s goes on this axis.
    const words = !p.trainRateUnit?.startsWith('pairs');
    if (words && p.trainWordsPerSecond !== null) values.push({ mode, threads: p.threads, measure: 'training phase', value: p.trainWordsPerSecond });
    if (p.wordsPerSecond !== null) values.push({ mode, threads: p.threads, measure: 'whole run (wall)', value: p.wordsPerSecond });
    const first = r.summary.find((q) => q.mode === p.mode && q.threads === 1);
    const one = words ? first?.trainWordsPerSecond : first?.wordsPerSecond;
    if (one) values.push({ mode, threads: p.threads, measure: 'ideal (linear from 1 thread)', value: one * p.threads });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `wasm2vec scaling with worker threads, ${corpusName(r.corpus)}, ${r.settings.epochs} epoch(s)`,
      subtitle: [`median of ${r.settings.runs} runs — ${r.machine.cpuModel}, ${r.machine.cores} cores, Node ${r.machine.node}`],
      anchor: 'start',
    },
    data: { values },
    width: 420,
    height: 260,
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'threads', type: 'quantitative', title: 'worker threads', axis: { tickMinStep: 1, format: 'd' }, scale: { domainMin: 1 } },
      y: { field: 'value', type: 'quantitative', title: 'words/s', axis: { format: '~s' } },
      color: {
        field: 'mode', type: 'nominal', title: 'model',
        scale: { domain: [...new Set(r.summary.map((p) => MODE_LABEL[p.mode]))] },
        legend: { symbolType: 'stroke', symbolStrokeWidth: 3, symbolSize: 400 } },
      strokeDash: {
        field: 'measure', type: 'nominal', title: 'measure',
        legend: {
          symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 400, labelLimit: 260,
          encode: { symbols: { update: { stroke: { value: '#444' } } } },
        },
        scale: { domain: ['training phase', 'whole run (wall)', 'ideal (linear from 1 thread)'], range: [[1, 0], [6, 3], [2, 3]] },
      },
    },
    config: { font: 'sans-serif' },
  } as TopLevelSpec;
}

import type { MachineInfo } from '../lib/machine.js';
import type { CorpusStats } from './corpus.js';
import type { Mode, ToolId, TrainSettings } from './options.js';
import type { Availability, OwnFigure } from './peers.js';
import type { Quality } from './quality.js';

export interface RunRecord {
  /** Position in the run sequence (1-based): the alternation order. */
  index: number;
  round: number;
  tool: ToolId;
  mode: Mode;
  threads: number;
  ok: boolean;
  error?: string;
  command: string;
  wallSeconds: number | null;
  /** Corpus words × epochs ÷ wall seconds. */
  wordsPerSecond: number | null;
  wordsPerSecondPerThread: number | null;
  peakRssMiB: number | null;
  /** User + system CPU seconds (GNU time). */
  cpuSeconds: number | null;
  ownFigure: OwnFigure | null;
  quality: Quality | null;
  qualityError?: string;
  /** The last lines the tool printed (progress lines collapsed). */
  outputTail: string;
}

export interface Medians {
  wallSeconds: number | null;
  wordsPerSecond: number | null;
  wordsPerSecondPerThread: number | null;
  peakRssMiB: number | null;
  cpuSeconds: number | null;
  ownFigure: number | null;
  trainSeconds: number | null;
  analogyTotal: number | null;
  analogySemantic: number | null;
  analogySyntactic: number | null;
  /** Questions answered (all words among the 30 000 most frequent). */
  analogyAnswered: number | null;
  wordsim: number | null;
}

export interface ToolSummary {
  tool: ToolId;
  label: string;
  mode: Mode;
  /** ok: at least one run finished; missing: not installed; not available: the tool lacks the mode; failed: every run failed. */
  status: 'ok' | 'missing' | 'not available' | 'failed';
  reason?: string;
  version?: string;
  detail?: string;
  okRuns: number;
  failedRuns: number;
  medians: Medians;
  /** wasm2vec words/s ÷ this tool's words/s, per alternation round (null where a run failed), and their median. */
  ratio: { perRound: (number | null)[]; median: number } | null;
  ownFigureUnit?: string;
}

export interface E2eSettings extends TrainSettings {
  runs: number;
  modes: Mode[];
  tools: ToolId[];
  gensimInput: 'corpus_file' | 'text8corpus';
}

export interface E2eResult {
  machine: MachineInfo;
  settings: E2eSettings;
  corpus: CorpusStats;
  evalDir: string;
  evalMissing: string[];
  tools: { id: ToolId; label: string; availability: Availability; ownFigureNote: string }[];
  peersInstall?: string;
  runs: RunRecord[];
  summary: ToolSummary[];
  gnuTime: boolean;
  elapsedSeconds: number;
  notes: string[];
}

export interface ScalingPoint {
  mode: Mode;
  threads: number;
  okRuns: number;
  wallSeconds: number | null;
  wordsPerSecond: number | null;
  /** From wasm2vec's summary line: training words ÷ training seconds (GloVe: co-occurrence pairs/s). */
  trainWordsPerSecond: number | null;
  trainRateUnit?: string;
  peakRssMiB: number | null;
  /** trainWordsPerSecond ÷ that at 1 thread, and that ÷ threads. */
  speedup: number | null;
  efficiency: number | null;
}

export interface ScalingResult {
  machine: MachineInfo;
  settings: E2eSettings & { threadsList: number[] };
  corpus: CorpusStats;
  runs: RunRecord[];
  summary: ScalingPoint[];
  unavailable: { mode: Mode; reason: string }[];
  gnuTime: boolean;
  elapsedSeconds: number;
  notes: string[];
}

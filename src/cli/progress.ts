// The CLI's one progress reporter, used by every command that trains (`train`, `glove`, `svd`,
// `supervised`, `demo`): a bar on stderr when it is a
// terminal, and otherwise (piped, redirected to a log, CI) a plain line every few seconds and at the
// end of each phase, so a user always sees the run advance. GloVe's per-iteration cost lines (as
// glove.c prints them) go through it too.
import cliProgress from 'cli-progress';
import type { ProgressEvent } from '../word2vec/options.js';
import type { GloveProgressEvent } from '../glove/options.js';

/** Seconds between plain progress lines when stderr is not a terminal. */
export const PLAIN_PROGRESS_SECONDS = 5;

const PHASE_LABELS: Record<string, string> = {
  vocabulary: 'vocabulary', encode: 'encoding', cooccur: 'counting', shuffle: 'shuffling', train: 'training', save: 'saving',
  ppmi: 'PPMI', svd: 'SVD',
};

/** What every trainer's progress event has (word2vec, GloVe, SVD, supervised). */
export interface PhaseEvent {
  phase: string;
  fraction: number;
  words: number;
  elapsedSeconds?: number;
}

export interface ProgressReporterOptions {
  /** false: report nothing (--quiet). */
  enabled?: boolean;
  /** A bar (true) or plain lines (false); default: whether stderr is a terminal. */
  tty?: boolean;
  /** Seconds between plain lines (default PLAIN_PROGRESS_SECONDS). */
  intervalSeconds?: number;
  /** Where plain lines go (default stderr); tests pass their own. */
  write?: (line: string) => void;
  /** Clock in milliseconds (tests pass their own). */
  now?: () => number;
}

export interface ProgressReporter {
  /** Word2vec events (train, demo). */
  onWord2Vec: ((event: ProgressEvent) => void) | undefined;
  /** GloVe events: also prints one line per finished iteration with its mean cost. */
  onGlove: ((event: GloveProgressEvent) => void) | undefined;
  /** Any other trainer's events (svd, supervised): the phase, its fraction and the words or tokens done. */
  onPhase: ((event: PhaseEvent) => void) | undefined;
  /** Closes the bar (call before printing the summary). */
  stop(): void;
}

export function createProgressReporter(options: ProgressReporterOptions = {}): ProgressReporter {
  if (options.enabled === false) return { onWord2Vec: undefined, onGlove: undefined, onPhase: undefined, stop: () => {} };
  const tty = options.tty ?? process.stderr.isTTY === true;
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const now = options.now ?? (() => performance.now());
  const intervalMs = (options.intervalSeconds ?? PLAIN_PROGRESS_SECONDS) * 1000;
  let bar: cliProgress.SingleBar | undefined;
  let phase: string | undefined;
  let phaseStarted = 0;
  let lastLine = -Infinity;
  let lastPlain = '';
  let pendingPlain = '';

  const stopBar = () => {
    bar?.stop();
    bar = undefined;
  };
  const flushPhaseEnd = () => {
    // Plain mode: the last state of a phase is printed even if it came between two lines.
    if (!tty && pendingPlain !== '' && pendingPlain !== lastPlain) write(pendingPlain);
    pendingPlain = '';
  };
  const update = (name: string, fraction: number, elapsedSeconds: number | undefined, detail: string) => {
    const t = now();
    if (name !== phase) {
      stopBar();
      flushPhaseEnd();
      phase = name;
      phaseStarted = t;
      lastLine = -Infinity;
    }
    const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    // The trainer's own phase clock when it gives one (its phase starts before the first event).
    const eta = formatEta(f, elapsedSeconds ?? (t - phaseStarted) / 1000);
    const label = PHASE_LABELS[name] ?? name;
    if (tty) {
      if (bar === undefined) {
        bar = new cliProgress.SingleBar(
          { format: '{label} |{bar}| {percentage}% | {detail} | {timeLeft}', stream: process.stderr, hideCursor: true, fps: 5 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(1000, Math.round(f * 1000), { label: label.padEnd(10), detail, timeLeft: eta });
      }
      bar.update(Math.round(f * 1000), { detail, timeLeft: eta });
      return;
    }
    const line = `${label}: ${(f * 100).toFixed(1)}% | ${detail} | ${eta}`;
    pendingPlain = line;
    if (t - lastLine >= intervalMs || f >= 1) {
      lastLine = t;
      lastPlain = line;
      write(line);
    }
  };
  const line = (text: string) => {
    stopBar();
    write(text);
  };

  const onWord2Vec = (event: ProgressEvent) => {
    const detail = event.wordsPerSecond !== undefined
      ? `${formatRate(event.wordsPerSecond)} words/s, epoch ${event.epoch ?? '?'}, alpha ${event.alpha?.toFixed(5) ?? '?'}` +
        (event.loss !== undefined ? `, loss ${event.loss.toFixed(4)}` : '')
      : `${formatCount(Math.round(event.words))} words`;
    update(event.phase, event.fraction, event.elapsedSeconds, detail);
  };
  let iterationsPrinted = 0;
  const onGlove = (event: GloveProgressEvent) => {
    const costs = event.costs ?? [];
    for (; iterationsPrinted < costs.length; iterationsPrinted++) {
      line(`iter: ${String(iterationsPrinted + 1).padStart(3, '0')}, cost: ${costs[iterationsPrinted].toFixed(6)}`);
    }
    const detail = event.pairsPerSecond !== undefined
      ? `${formatRate(event.pairsPerSecond)} pairs/s, iteration ${event.epoch ?? '?'}${event.cost !== undefined ? `, cost ${event.cost.toFixed(6)}` : ''}`
      : `${formatCount(Math.round(event.words))} ${event.phase === 'shuffle' ? 'records' : 'tokens'}`;
    update(event.phase, event.fraction, event.elapsedSeconds, detail);
  };
  const onPhase = (event: PhaseEvent) => {
    const rate = event.elapsedSeconds ? `, ${formatRate(event.words / event.elapsedSeconds)}/s` : '';
    update(event.phase, event.fraction, event.elapsedSeconds, `${formatCount(Math.round(event.words))} done${rate}`);
  };
  return {
    onWord2Vec,
    onGlove,
    onPhase,
    stop: () => {
      stopBar();
      flushPhaseEnd();
    },
  };
}

/** Time left in a phase from its elapsed time and the fraction done: "ETA 1m05s", or "ETA --" before any progress. */
export function formatEta(fraction: number, elapsedSeconds: number): string {
  if (fraction >= 1) return `done in ${formatDuration(elapsedSeconds)}`;
  if (!(fraction > 0) || !(elapsedSeconds > 0)) return 'ETA --';
  const left = (elapsedSeconds * (1 - fraction)) / fraction;
  return Number.isFinite(left) ? `ETA ${formatDuration(left)}` : 'ETA --';
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** "1 epoch", "5 epochs". */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(0)} k`;
  return perSecond.toFixed(0);
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

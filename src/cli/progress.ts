import cliProgress from 'cli-progress';
import type { ProgressEvent } from '../word2vec/options.js';

const PHASE_LABELS: Record<ProgressEvent['phase'], string> = {
  vocabulary: 'vocabulary',
  encode: 'encoding',
  train: 'training',
  save: 'saving',
};

/**
 * A progress bar on stderr for the CLI (only on a TTY); returns the onProgress callback and a
 * function to close the bar before the summary is printed.
 */
export function createProgressBar(enabled = process.stderr.isTTY === true) {
  if (!enabled) return { onProgress: undefined, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: '{phase} |{bar}| {percentage}% | {rate} | ETA {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 40,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let phase: ProgressEvent['phase'] | undefined;
  const onProgress = (event: ProgressEvent) => {
    if (event.phase !== phase) {
      if (phase !== undefined) bar.stop();
      phase = event.phase;
      bar.start(1000, 0, { phase: PHASE_LABELS[phase].padEnd(10), rate: '' });
    }
    const rate = event.wordsPerSecond !== undefined
      ? `${formatRate(event.wordsPerSecond)} words/s, epoch ${event.epoch}, alpha ${event.alpha?.toFixed(5)}`
      : `${formatCount(event.words)} words`;
    bar.update(Math.round(event.fraction * 1000), { rate });
  };
  return { onProgress, stop: () => phase !== undefined && bar.stop() };
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(0)} k`;
  return perSecond.toFixed(0);
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

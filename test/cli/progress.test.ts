// The CLI's one progress reporter (src/cli/progress.ts): plain lines every few seconds when stderr
// is not a terminal (piped, CI logs), the last state of every phase, GloVe's iteration lines, and
// an ETA that is never NaN or Infinity.
import { describe, expect, it } from 'vitest';
import { createProgressReporter, formatEta, plural } from '../../src/cli/progress.js';

function plainReporter() {
  const lines: string[] = [];
  let clock = 0;
  const reporter = createProgressReporter({ tty: false, intervalSeconds: 5, write: (l) => lines.push(l), now: () => clock });
  return { reporter, lines, advance: (ms: number) => (clock += ms) };
}

describe('progress reporter', () => {
  it('writes a plain line every interval, the end of each phase, and nothing when disabled', () => {
    const { reporter, lines, advance } = plainReporter();
    for (let i = 0; i <= 20; i++) {
      reporter.onWord2Vec!({ phase: 'train', fraction: i / 20, words: i * 1000, elapsedSeconds: i, wordsPerSecond: 1000, alpha: 0.025, epoch: 1 });
      advance(1000);
    }
    // t = 0, 5, 10, 15 s and the 100 % line.
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('training: 0.0% | 1 k words/s, epoch 1, alpha 0.02500 | ETA --');
    expect(lines[1]).toBe('training: 25.0% | 1 k words/s, epoch 1, alpha 0.02500 | ETA 15s');
    expect(lines[4]).toMatch(/^training: 100\.0% .* done in 20s$/);

    const quiet = createProgressReporter({ enabled: false });
    expect(quiet.onWord2Vec).toBeUndefined();
    expect(quiet.onGlove).toBeUndefined();
  });

  it('prints the last state of a phase that ended between two lines', () => {
    const { reporter, lines, advance } = plainReporter();
    reporter.onWord2Vec!({ phase: 'vocabulary', fraction: 0, words: 10, elapsedSeconds: 0 });
    advance(1000);
    reporter.onWord2Vec!({ phase: 'vocabulary', fraction: 0, words: 5000, elapsedSeconds: 1 });
    reporter.onWord2Vec!({ phase: 'encode', fraction: 0.5, words: 2000, elapsedSeconds: 0.5 });
    reporter.stop();
    expect(lines).toEqual([
      'vocabulary: 0.0% | 10 words | ETA --',
      'vocabulary: 0.0% | 5,000 words | ETA --',
      'encoding: 50.0% | 2,000 words | ETA 1s',
    ]);
  });

  it('prints GloVe iteration costs once each, as glove.c does', () => {
    const { reporter, lines } = plainReporter();
    reporter.onGlove!({ phase: 'train', fraction: 0.5, words: 100, elapsedSeconds: 1, pairsPerSecond: 100, epoch: 2, cost: 0.5, costs: [0.5] });
    reporter.onGlove!({ phase: 'train', fraction: 1, words: 200, elapsedSeconds: 2, pairsPerSecond: 100, epoch: 2, cost: 0.25, costs: [0.5, 0.25] });
    expect(lines.filter((l) => l.startsWith('iter:'))).toEqual(['iter: 001, cost: 0.500000', 'iter: 002, cost: 0.250000']);
    expect(lines.at(-1)).toMatch(/^training: 100\.0% \| 100 pairs\/s, iteration 2, cost 0\.250000 \| done in 2s$/);
  });

  it('formats the ETA and plurals', () => {
    expect(formatEta(0, 10)).toBe('ETA --');
    expect(formatEta(0.5, 0)).toBe('ETA --');
    expect(formatEta(NaN, 3)).toBe('ETA --');
    expect(formatEta(0.25, 65)).toBe('ETA 3m15s');
    expect(formatEta(0.5, 7200)).toBe('ETA 2h00m');
    expect(plural(1, 'epoch')).toBe('1 epoch');
    expect(plural(5, 'epoch')).toBe('5 epochs');
  });
});

// Phase timing and progress pacing shared by every trainer: each run is a sequence of phases
// (vocabulary, encode or cooccur, train, save…), each timed with one clock and reported to the
// caller's onProgress at most every PROGRESS_INTERVAL_MS.

/** How often long work reports progress (vocabulary pass, worker runs). */
export const PROGRESS_INTERVAL_MS = 250;

/** Seconds since `since` (a performance.now() reading). */
export function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** Calls `report` at most every PROGRESS_INTERVAL_MS; `flush` reports now. */
export function throttle(report: () => void): { tick: () => void; flush: () => void } {
  let last = performance.now();
  return {
    tick: () => {
      const now = performance.now();
      if (now - last > PROGRESS_INTERVAL_MS) {
        last = now;
        report();
      }
    },
    flush: report,
  };
}

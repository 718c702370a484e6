// Abortable iteration of a corpus: a trainer reads its input through this, so an abort ends the read
// at once even while the source is waiting (stdin that stalls, a caller's async iterable that never
// yields); checking the signal between chunks would wait for the next chunk forever.
import { AbortError } from '../errors.js';

/**
 * Yields what `source` yields until `signal` aborts; then rejects with AbortError without waiting
 * for the pending `next()`, and asks the source to close (`return()`, not awaited: it may hang too).
 */
export async function* abortable<T>(source: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  if (!signal) {
    yield* source;
    return;
  }
  if (signal.aborted) throw new AbortError();
  const iterator = source[Symbol.asyncIterator]();
  let onAbort: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new AbortError());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {}); // observed through the race below
  let finished = false;
  try {
    for (;;) {
      const next = iterator.next();
      next.catch(() => {}); // a rejection after an abort has nobody left to observe it
      const result = await Promise.race([next, aborted]);
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (!finished) iterator.return?.()?.catch?.(() => {});
  }
}

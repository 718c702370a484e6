// The one way every trainer runs work on threads: a Piscina pool that lives for one call, one task
// per thread, all started at once on the same shared WebAssembly.Memory; progress is polled on this
// thread while they run, and one stop() (the run's abort flag in shared memory) ends them all.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { AbortError } from '../errors.js';
import { PROGRESS_INTERVAL_MS } from './phases.js';
import type { RunOnWorkersOptions, ShardTask } from './host.js';

export type { RunOnWorkersOptions, ShardTask } from './host.js';

// Workers always run the compiled JavaScript: under vitest this module is TypeScript in src/,
// and the worker is taken from dist/ (built by `npm run build`, which `npm test` runs first).
function workerFile(): string {
  const url = import.meta.url.endsWith('.ts') ? new URL('../../dist/src/worker.js', import.meta.url) : new URL('../worker.js', import.meta.url);
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw new Error(`worker script ${path} is missing: run \`npm run build\` first`);
  return path;
}

/**
 * Runs one task per worker thread, all at once, on a pool that lives for this call only.
 * `stop` is called when the signal aborts and when any task fails, so one failure ends the run.
 */
export async function runOnWorkers<Task extends ShardTask, Result>(tasks: Task[], options: RunOnWorkersOptions): Promise<Result[]> {
  const { signal, stop, onTick } = options;
  if (signal?.aborted) throw new AbortError();
  const pool = new Piscina({
    filename: workerFile(),
    minThreads: tasks.length,
    maxThreads: tasks.length,
    idleTimeout: 1_000,
    concurrentTasksPerWorker: 1,
  });
  const onAbort = () => stop();
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = onTick ? setInterval(onTick, PROGRESS_INTERVAL_MS) : undefined;
  let firstError: unknown;
  try {
    const settled = await Promise.allSettled(
      tasks.map((task) =>
        (pool.run(task) as Promise<Result>).catch((error: unknown) => {
          firstError ??= error;
          stop();
          throw error;
        }),
      ),
    );
    if (firstError !== undefined) throw firstError;
    if (signal?.aborted) throw new AbortError();
    return settled.map((s) => (s as PromiseFulfilledResult<Result>).value);
  } finally {
    if (timer) clearInterval(timer);
    signal?.removeEventListener('abort', onAbort);
    await pool.destroy();
  }
}

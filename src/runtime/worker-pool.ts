// The one way every trainer runs work on threads: a Piscina pool that lives for one call, one task
// per thread, all started at once on the same shared WebAssembly.Memory; progress is polled on this
// thread while they run, and one stop() (the run's abort flag in shared memory) ends them all.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { AbortError } from '../errors.js';
import { runAllTasks, type RunOnWorkersOptions, type ShardTask } from './host.js';

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
  if (options.signal?.aborted) throw new AbortError();
  const pool = new Piscina({
    filename: workerFile(),
    minThreads: tasks.length,
    maxThreads: tasks.length,
    idleTimeout: 1_000,
    concurrentTasksPerWorker: 1,
  });
  try {
    return await runAllTasks(tasks, options, (task) => pool.run(task) as Promise<Result>);
  } finally {
    await pool.destroy();
  }
}

// The seam between the trainers and where they run. Two modules are host-specific: a Node.js version
// (the default) and a browser version with the same exports, typed against the Node.js ones, that the
// browser bundle (scripts/build-browser.mjs) resolves in its place:
//   src/runtime/kernels.ts     → src/browser/kernels.ts      the compiled kernels: read from build/kernels.wasm, or fetched
//   src/runtime/worker-pool.ts → src/browser/worker-pool.ts  runOnWorkers: Piscina worker threads, or Web Workers
// Each pool's worker entry (src/worker.ts, src/browser/worker.ts) routes a task to the same shard
// routine. Everything else on the trainers' path is shared code: it takes Node.js built-ins at call
// time (src/runtime/node-builtins.ts), never by a static import, so the same train() runs in a page.
// Both pools run their threads through runAllTasks below: start, progress, abort and failure alike.
import { AbortError } from '../errors.js';
import { PROGRESS_INTERVAL_MS } from './phases.js';


/** A task names the shard routine that runs it; each host's worker entry routes on `kind`. */
export interface ShardTask {
  kind: string;
}

export interface RunOnWorkersOptions {
  signal?: AbortSignal;
  /** Makes running tasks return promptly (the kernels poll an abort flag in shared memory). */
  stop: () => void;
  /** Called every PROGRESS_INTERVAL_MS while the tasks run, and once when they have all ended. */
  onTick?: () => void;
}

/**
 * What both pools do with their threads, written once: every task started at once through `start`
 * (task i on thread i), `onTick` every PROGRESS_INTERVAL_MS, `stop` when the signal aborts or any
 * task fails (so one failure ends the run, and the first error is the one thrown), AbortError when
 * the signal aborted even if every task returned.
 */
export async function runAllTasks<Task extends ShardTask, Result>(
  tasks: Task[], options: RunOnWorkersOptions, start: (task: Task, index: number) => Promise<Result>,
): Promise<Result[]> {
  const { signal, stop, onTick } = options;
  if (signal?.aborted) throw new AbortError();
  const onAbort = () => stop();
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = onTick ? setInterval(onTick, PROGRESS_INTERVAL_MS) : undefined;
  let firstError: unknown;
  try {
    const settled = await Promise.allSettled(
      tasks.map((task, index) =>
        start(task, index).catch((error: unknown) => {
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
  }
}


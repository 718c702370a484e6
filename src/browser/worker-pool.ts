// The browser build's src/runtime/worker-pool.ts (scripts/build-browser.mjs resolves one to the
// other): the same runOnWorkers, on Web Workers instead of Piscina's worker threads. One module
// worker per task, all started at once on the same shared WebAssembly.Memory, ended when the run
// ends; progress is polled on the page's thread while they run, and stop() (the run's abort flag in
// shared memory) makes them return promptly. A page that is not cross-origin isolated cannot share
// a memory with a worker: there the one task runs on the page's thread, which it holds until done.
import type * as NodePool from '../runtime/worker-pool.js';
import { runAllTasks, type RunOnWorkersOptions, type ShardTask } from '../runtime/host.js';
import { AbortError, Wasm2VecError } from '../errors.js';
import type { ReplyMessage, TaskMessage } from './protocol.js';
import { runTask } from './tasks.js';
import { web, type WebWorker } from './web.js';

export type { RunOnWorkersOptions, ShardTask } from '../runtime/host.js';

let workerUrl: URL | string | undefined;

/** Where the worker script is (dist/browser/worker.js beside this bundle unless set). */
export function useWorkerScript(url: URL | string): void {
  workerUrl = url;
}

function startWorker(index: number): WebWorker {
  const url = workerUrl ?? new URL('./worker.js', import.meta.url);
  return new web.Worker(url, { type: 'module', name: `wasm2vec-${index}` });
}

function runOne(worker: WebWorker, task: ShardTask): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.addEventListener('message', (event) => {
      const reply = event.data as ReplyMessage;
      if (reply.ok) resolve(reply.result);
      else reject(reply.error.name === 'Wasm2VecError' ? new Wasm2VecError(reply.error.message) : new Error(reply.error.message));
    });
    worker.addEventListener('error', (event) => reject(new Error(`wasm2vec worker failed: ${event.message ?? 'the script did not load'}`)));
    worker.addEventListener('messageerror', () => reject(new Error('wasm2vec worker: a message could not be read')));
    worker.postMessage({ task } satisfies TaskMessage);
  });
}

export const runOnWorkers: typeof NodePool.runOnWorkers = async <Task extends ShardTask, Result>(tasks: Task[], options: RunOnWorkersOptions): Promise<Result[]> => {
  if (options.signal?.aborted) throw new AbortError();
  if (typeof SharedArrayBuffer === 'undefined') return runOnThisThread(tasks, options);
  const workers = tasks.map((_, index) => startWorker(index));
  try {
    return await runAllTasks(tasks, options, (task, index) => runOne(workers[index], task) as Promise<Result>);
  } finally {
    for (const worker of workers) worker.terminate();
  }
};

/** Without SharedArrayBuffer: the tasks one after the other on this thread (train() asks for one). */
async function runOnThisThread<Task extends ShardTask, Result>(tasks: Task[], options: RunOnWorkersOptions): Promise<Result[]> {
  const results = tasks.map((task) => runTask(task) as Result);
  options.onTick?.();
  if (options.signal?.aborted) throw new AbortError();
  return results;
}

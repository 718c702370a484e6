// Entry point of every Web Worker of the browser build (its composition root, as src/worker.ts is for
// Node.js's worker threads): runs the one task the page posts with the same shard routine as Node.js
// (src/browser/tasks.ts), and replies with its result or its error.
import { runTask } from './tasks.js';
import type { ReplyMessage, TaskMessage } from './protocol.js';
import type { WorkerScope } from './web.js';

const scope = globalThis as unknown as WorkerScope;

scope.addEventListener('message', (event) => {
  let reply: ReplyMessage;
  try {
    reply = { ok: true, result: runTask((event.data as TaskMessage).task) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { ok: false, error: { name: e.name, message: e.message } };
  }
  scope.postMessage(reply);
});

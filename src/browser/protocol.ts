// The messages between the page and its Web Workers (src/browser/worker-pool.ts on the page's side,
// src/browser/worker.ts on the workers'): one task per worker, one reply. The task carries the
// compiled kernels and the shared WebAssembly.Memory, which a worker receives without a copy.

export interface TaskMessage {
  task: { kind: string };
}

export type ReplyMessage =
  | { ok: true; result: unknown }
  | { ok: false; error: { name: string; message: string } };

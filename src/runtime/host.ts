// The seam between the trainers and where they run. Two modules are host-specific: a Node.js version
// (the default) and a browser version with the same exports, typed against the Node.js ones, that the
// browser bundle (scripts/build-browser.mjs) resolves in its place:
//   src/runtime/kernels.ts     → src/browser/kernels.ts      the compiled kernels: read from build/kernels.wasm, or fetched
//   src/runtime/worker-pool.ts → src/browser/worker-pool.ts  runOnWorkers: Piscina worker threads, or Web Workers
// Each pool's worker entry (src/worker.ts, src/browser/worker.ts) routes a task to the same shard
// routine. Everything else on the trainers' path is shared code: it takes Node.js built-ins at call
// time (src/runtime/node-builtins.ts), never by a static import, so the same train() runs in a page.

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

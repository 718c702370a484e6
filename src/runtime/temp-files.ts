// The registry of live temporary paths (encoded-corpus spools, GloVe's spill directory, atomic-write
// temps). Each owner registers a path when it creates it and releases it when it removes it, so the
// CLI's signal handler can remove whatever is still on disk when the process has to exit at once
// (a second Ctrl-C) or before an orderly shutdown finished.
import { nodeBuiltin } from './node-builtins.js';
const { rmSync } = nodeBuiltin('node:fs');

const live = new Set<string>();

/** Records a temporary file or directory; call the returned function once it has been removed. */
export function registerTempPath(path: string): () => void {
  live.add(path);
  return () => {
    live.delete(path);
  };
}

/** Temporary paths created and not yet removed (for tests and diagnostics). */
export function liveTempPaths(): string[] {
  return [...live];
}

/** Removes every registered path now (synchronously, safe in a signal handler); returns how many. */
export function removeAllTempPaths(): number {
  let removed = 0;
  for (const path of live) {
    try {
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch {
      // best effort: the process is exiting
    }
    live.delete(path);
  }
  return removed;
}

// Runs the built CLI (dist/src/cli/main.js) as a child process, for the benchmarks that kill a run
// with SIGKILL and resume it (bench/resume.ts, bench/glove-state.ts).
import { spawn } from 'node:child_process';

const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;

/** Runs `wasm2vec ARGS` (stdout ignored, stderr passed through); `onSpawn` gets a function that kills it with SIGKILL. */
export function runCli(args: string[], onSpawn?: (kill: () => void) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal }));
    onSpawn?.(() => child.kill('SIGKILL'));
  });
}

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** GNU time, for the peak RSS of a child process tree's largest process (%M) and its CPU time. */
export const TIME_BINARY = '/usr/bin/time';

export function haveGnuTime(): boolean {
  if (!existsSync(TIME_BINARY)) return false;
  const r = spawnSync(TIME_BINARY, ['-f', '%M', 'true'], { encoding: 'utf8' });
  return r.status === 0 && /^\d+\s*$/m.test(r.stderr);
}

export interface ChildRun {
  command: string[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Wall seconds from spawn to exit, measured here. */
  wallSeconds: number;
  /** From GNU time, when available: peak resident set size, CPU seconds. */
  peakRssKiB: number | null;
  userSeconds: number | null;
  systemSeconds: number | null;
  stdout: string;
  stderr: string;
}

const TAIL_BYTES = 256 * 1024;

// Children run in process groups of their own (so that a timeout also ends what GNU time started);
// an interrupted benchmark ends them too.
const activeGroups = new Set<number>();
let handlersInstalled = false;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function installInterruptHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      for (const pid of activeGroups) killGroup(pid);
      console.error(`\ninterrupted (${sig}); stopped ${activeGroups.size} running benchmark process(es)`);
      process.exit(130);
    });
  }
}

function tailCollector() {
  let text = '';
  return {
    add(chunk: Buffer) {
      text += chunk.toString('utf8');
      if (text.length > 2 * TAIL_BYTES) text = text.slice(-TAIL_BYTES);
    },
    get: () => text.slice(-TAIL_BYTES),
  };
}

/** Runs a command under GNU time (when `useTime`), collecting the tails of its output. */
export function runMeasured(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutSeconds: number; useTime: boolean; scratch: string },
): Promise<ChildRun> {
  const timeFile = join(options.scratch, `time-${process.pid}-${Date.now()}.txt`);
  const argv = options.useTime ? [TIME_BINARY, '-f', '%M %e %U %S', '-o', timeFile, command, ...args] : [command, ...args];
  installInterruptHandlers();
  return new Promise((resolvePromise) => {
    const out = tailCollector();
    const err = tailCollector();
    const started = performance.now();
    const child = spawn(argv[0], argv.slice(1), {
      cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    const pid = child.pid;
    if (pid !== undefined) activeGroups.add(pid);
    let timedOut = false;
    let finished = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (pid !== undefined) killGroup(pid);
    }, options.timeoutSeconds * 1000);
    child.stdout.on('data', out.add);
    child.stderr.on('data', err.add);
    const finish = (exitCode: number | null, signal: string | null, spawnError?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (pid !== undefined) activeGroups.delete(pid);
      const wallSeconds = (performance.now() - started) / 1000;
      let peakRssKiB: number | null = null;
      let userSeconds: number | null = null;
      let systemSeconds: number | null = null;
      if (options.useTime && existsSync(timeFile)) {
        const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
        const m = /^(\d+) ([\d.]+) ([\d.]+) ([\d.]+)$/.exec(lines[lines.length - 1] ?? '');
        if (m) {
          peakRssKiB = Number(m[1]);
          userSeconds = Number(m[3]);
          systemSeconds = Number(m[4]);
        }
        rmSync(timeFile, { force: true });
      }
      resolvePromise({
        command: [command, ...args],
        exitCode,
        signal,
        timedOut,
        wallSeconds,
        peakRssKiB,
        userSeconds,
        systemSeconds,
        stdout: out.get(),
        stderr: spawnError ? `${err.get()}\n${spawnError.message}` : err.get(),
      });
    };
    child.on('error', (error) => finish(null, null, error));
    child.on('close', (code, signal) => finish(code, signal));
  });
}

/** The last lines of a program's output, with carriage-return progress updates collapsed. */
export function lastLines(text: string, n = 6): string {
  return text
    .split('\n')
    .map((line) => line.split('\r').filter((s) => s.trim() !== '').pop() ?? '')
    .filter((line) => line.trim() !== '')
    .slice(-n)
    .join('\n');
}

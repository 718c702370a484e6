// Helpers of the fault suite: run the built CLI as a child process (optionally under a shell with
// resource limits), send it signals, and check what it left on disk.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { sampleText } from '../helpers.js';

export const CLI = new URL('../../dist/src/cli/main.js', import.meta.url).pathname;

export interface Run {
  child: ChildProcess;
  /** Resolves when the process has exited. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>;
  stderr(): string;
}

/**
 * Starts `wasm2vec args…` with TMPDIR set to `tmp` (so every temporary path it makes is there).
 * `shellPrefix` (e.g. 'ulimit -f 64;') runs the CLI under a shell with that prefix.
 */
export function startCli(args: string[], options: { tmp?: string; env?: Record<string, string>; shellPrefix?: string; stdin?: 'pipe' | 'ignore' } = {}): Run {
  const env = { ...process.env, ...(options.tmp ? { TMPDIR: options.tmp } : {}), ...options.env };
  delete env.DEBUG;
  const child = options.shellPrefix
    ? spawn('/bin/sh', ['-c', `${options.shellPrefix} exec "$0" "$@"`, process.execPath, CLI, ...args], { env, stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [CLI, ...args], { env, stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.on('data', (d) => (stdout += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr, stdout })),
  );
  return { child, done, stderr: () => stderr };
}

export async function runCli(args: string[], options: Parameters<typeof startCli>[1] = {}) {
  return startCli(args, options).done;
}

/** Waits until `predicate` holds (polling), or fails after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Entries of a directory whose names look like this project's temporary files. */
export function leftovers(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith('wasm2vec-') || name.includes('.tmp-')) : [];
}

/** One failure the way the fault policy wants it: exit code, a one-line message, no stack trace. */
export function expectCleanFailure(r: { code: number | null; stderr: string }, code: number, message: RegExp): void {
  expect(r.stderr).toMatch(message);
  expect(r.code).toBe(code);
  expect(r.stderr).not.toMatch(/\n\s+at \S+/); // no stack trace
  const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('wasm2vec:') || l.trim() !== '');
  expect(lines.at(-1)).toMatch(/^wasm2vec: /);
}

/** A corpus of `words` words of the shipped sample in `dir`. */
export function writeCorpus(dir: string, words = 20_000, name = 'corpus.txt'): string {
  const path = join(dir, name);
  writeFileSync(path, sampleText(words).replace(/((?:\S+\s+){1000})/g, '$1\n'));
  return path;
}

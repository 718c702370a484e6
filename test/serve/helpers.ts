// Starting `wasm2vec serve` (the built CLI, dist/) as a child process on a free port, for the API
// and browser tests, and small models to serve.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from 'playwright-core';
import { KeyedVectors } from '../../src/model/index.js';

const CLI = new URL('../../dist/src/cli/main.js', import.meta.url).pathname;

export interface RunningServer {
  url: string;
  child: ChildProcess;
  /** Everything the server wrote to stderr so far. */
  stderr: () => string;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `wasm2vec serve ARGS --port 0` and resolves once it prints its URL (rejects if it exits first). */
export function startServe(args: string[]): Promise<RunningServer> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /exploring at (http:\/\/\S+)/.exec(stdout);
      if (match) {
        resolve({
          url: match[1],
          child,
          stderr: () => stderr,
          stop: (signal = 'SIGTERM') => {
            child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`wasm2vec serve exited (${code}) before listening: ${stderr}`)));
  });
}

/** `size` words w0…w(size-1) with seeded random vectors of `dim` floats. */
export function randomModel(size: number, dim: number, seed = 1): KeyedVectors {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  const vectors = new Float32Array(size * dim);
  for (let i = 0; i < vectors.length; i++) vectors[i] = next();
  return new KeyedVectors(Array.from({ length: size }, (_, i) => `w${i}`), dim, vectors);
}

/** Seeded normal deviates (Box–Muller on an LCG). */
export function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** The neighbour list of the explorer's model column `i` as the page shows it. */
export async function shownNeighbours(page: Page, i: number): Promise<Array<{ word: string; score: string }>> {
  return page.$$eval(`#neighbours .column[data-model="${i}"] ol.scored li`, (items) =>
    items.map((li) => ({ word: li.querySelector('.word')!.textContent!, score: li.querySelector('.score')!.textContent! })),
  );
}

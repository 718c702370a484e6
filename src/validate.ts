// Checks of option values, shared by every trainer's options resolver: each trainer validates its
// options object once, at the edge (its resolve*Options), with these, so every message has one shape:
// "option NAME must be …, got VALUE".
import { IS_NODE, nodeBuiltin } from './runtime/node-builtins.js';
import { Wasm2VecError } from './errors.js';
const { availableParallelism } = nodeBuiltin('node:os');

/** The cores threads default to: os.availableParallelism() in Node.js, navigator.hardwareConcurrency in a browser. */
function availableCores(): number {
  return IS_NODE ? availableParallelism() : ((globalThis as unknown as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1);
}

export function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Wasm2VecError(`option ${name} must be an integer from ${min} to ${max}, got ${describeValue(value)}`);
  }
  return value;
}

export function real(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new Wasm2VecError(`option ${name} must be a number from ${min} to ${max}, got ${describeValue(value)}`);
  }
  return value;
}

export function boolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new Wasm2VecError(`option ${name} must be true or false, got ${describeValue(value)}`);
  return value;
}

export function callback<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw new Wasm2VecError(`option ${name} must be a function, got ${describeValue(value)}`);
  return value;
}

/** Returns `value` if it is one of `choices`, else throws naming them. */
export function oneOf<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new Wasm2VecError(`option ${name} must be ${choices.map((c) => JSON.stringify(c)).join(', ')}, got ${describeValue(value)}`);
  }
  return value as T;
}

/**
 * Rejects keys that the trainer does not know (plain JavaScript callers get no type check), naming
 * the nearest known key: `unknown option "iter" (did you mean "epochs"?)`.
 */
export function rejectUnknownKeys(options: object, known: readonly string[], what: string, aliases: Readonly<Record<string, string>> = {}): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const suggestion = aliases[key] ?? nearest(key, known);
    throw new Wasm2VecError(`${what}: unknown option ${JSON.stringify(key)}${suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ''}`);
  }
}

/** A value as it appears in messages: NaN, Infinity and undefined spelled out (JSON would say null). */
export function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) return String(value);
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  const lower = key.toLowerCase();
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) (best = candidate), (bestDistance = distance);
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * Rejects options set to null (`dim: null`): `??` would silently take the default, which hides a
 * caller's bug; leaving the key out (or undefined) is how to ask for the default.
 */
export function rejectNullValues(options: object, what: string): void {
  for (const [key, value] of Object.entries(options)) {
    if (value === null) throw new Wasm2VecError(`${what}: option ${key} is null; leave it out (or undefined) for the default, or give a value`);
  }
}

/**
 * Worker threads: an integer from 1 to 1024, clamped to twice the machine's cores (at least 4;
 * os.availableParallelism()). Hogwild training on more threads than cores only adds contention
 * (500 threads on 2 cores ran 35× slower) and every worker costs an isolate and its scratch memory
 * (4.7 GB at 500), so threads beyond that are not started; the report says how many ran. Up to 2×
 * stays allowed so that sharding can be exercised on small machines (and SMT counts vary).
 */
export function threadCount(name: string, value: unknown, cores: number = availableCores()): number {
  return Math.min(integer(name, value ?? cores, 1, 1_024), maxThreads(cores));
}

/** The most worker threads a run starts on a machine with `cores` cores. */
export function maxThreads(cores: number = availableCores()): number {
  return Math.max(4, 2 * cores);
}

/** An optional file path option: undefined, or a non-empty string. */
export function filePath(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new Wasm2VecError(`option ${name} must be a file path, got ${describeValue(value)}`);
  return value;
}

/** Default seconds between checkpoints (fastText and gensim have none; 10 minutes loses little work). */
export const DEFAULT_CHECKPOINT_SECONDS = 600;

/** The trainers' `checkpoint: { path, everySeconds }` option. */
export function checkpointOption(value: unknown): { path: string; everySeconds: number } | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') throw new Wasm2VecError(`option checkpoint must be { path, everySeconds }, got ${describeValue(value)}`);
  rejectUnknownKeys(value, ['path', 'everySeconds'], 'option checkpoint', { every: 'everySeconds', seconds: 'everySeconds', file: 'path' });
  const c = value as { path?: unknown; everySeconds?: unknown };
  return {
    path: filePath('checkpoint.path', c.path) ?? (() => { throw new Wasm2VecError('option checkpoint needs a path: { path: "run.w2v", everySeconds: 600 }'); })(),
    everySeconds: real('checkpoint.everySeconds', c.everySeconds ?? DEFAULT_CHECKPOINT_SECONDS, 0.001, 1e9),
  };
}

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { repoRoot } from '../lib/paths.js';

/** The product kernels built without SIMD (bench/assembly/scalar.ts; all pointers are byte offsets into the shared memory). */
export interface ScalarKernels {
  noop(): void;
  noop4(a: number, b: number, c: number, d: number): number;
  dotScalar(a: number, b: number, n: number): number;
  axpyScalar(alpha: number, x: number, y: number, n: number): void;
  scoreRowsScalar(matrix: number, rows: number, stride: number, query: number, out: number): void;
  trainWord2VecChunkScalar(config: number, worker: number, ids: number, count: number): number;
  trainGloveChunkScalar(config: number, records: number, count: number): number;
}

export const scalarSource = join(repoRoot, 'bench', 'assembly', 'scalar.ts');
export const scalarWasm = join(repoRoot, 'build', 'bench-scalar.wasm');

/**
 * The asc invocation for the scalar module: the product's memory options (imported shared memory,
 * stub runtime, no abort import) with SIMD disabled, so ASC_FEATURE_SIMD is false in the kernels'
 * source and no v128 instruction can be emitted.
 */
export const ASC_ARGS = [
  scalarSource, '-o', scalarWasm,
  '--runtime', 'stub', '--importMemory', '--sharedMemory', '--maximumMemory', '65536', '--initialMemory', '2',
  '--memoryBase', '1024', '--enable', 'threads', '--disable', 'simd', '-O3', '--noAssert', '--use', 'abort=',
];

/** The newest modification time of the sources the scalar module is built from. */
function sourcesTime(): number {
  const dir = join(repoRoot, 'assembly');
  const abi = join(repoRoot, 'src', 'abi');
  const files = [scalarSource, ...readdirSync(dir).map((f) => join(dir, f)), ...readdirSync(abi).map((f) => join(abi, f))];
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

/** Compiles build/bench-scalar.wasm when it is missing or older than its sources. Returns whether it compiled. */
export function ensureScalarWasm(log: (line: string) => void = () => {}): boolean {
  if (existsSync(scalarWasm) && statSync(scalarWasm).mtimeMs >= sourcesTime()) return false;
  mkdirSync(dirname(scalarWasm), { recursive: true });
  const ascBin = join(dirname(createRequire(import.meta.url).resolve('assemblyscript/package.json')), 'bin', 'asc.js');
  log(`compiling ${scalarSource} → ${scalarWasm} (asc ${ASC_ARGS.slice(1).join(' ')})`);
  const result = spawnSync(process.execPath, [ascBin, ...ASC_ARGS], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`asc failed to compile ${scalarSource} (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  }
  return true;
}

export function instantiateScalarKernels(memory: WebAssembly.Memory): ScalarKernels {
  const module = new WebAssembly.Module(readFileSync(scalarWasm));
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as ScalarKernels;
}

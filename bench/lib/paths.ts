import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root. Bench code runs compiled, as dist/bench/lib/paths.js (three levels below
 * the root), or as TypeScript from bench/lib/paths.ts (two levels); both are handled.
 */
export const repoRoot: string = (() => {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const up of ['../../..', '../..']) {
    const candidate = resolve(here, up);
    if (existsSync(join(candidate, 'package.json')) && existsSync(join(candidate, 'bench'))) return candidate;
  }
  return resolve(here, '../../..');
})();

export const defaultResultsDir = join(repoRoot, 'bench', 'results');
export const defaultEvalDir = resolve(repoRoot, '..', 'shared', 'data', 'eval');
/** The CLI that `wasm2vec` runs once built (npm run build). */
export const cliPath = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

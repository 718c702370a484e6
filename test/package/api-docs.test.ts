// The API reference (`npm run docs`, TypeDoc on src/index.ts) builds without a warning: TypeDoc
// warns when a public signature uses a type the package does not export, so this also keeps every
// public type importable.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

describe('API reference', () => {
  it('builds from the TSDoc comments with no warning (every public type exported)', async () => {
    const typedoc = join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc');
    const result = await run(process.execPath, [typedoc, '--emit', 'none'], { cwd: ROOT })
      .then(({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }), (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }));
    expect(result.output).not.toMatch(/warning|error/i);
    expect(result.code).toBe(0);
  }, 180_000);
});

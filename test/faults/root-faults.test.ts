// The fault suite's cases that need root: a real full file system (a 1 MiB tmpfs) and a read-only
// one. Not part of `npm test`; run with `npm run test:faults` (CI runs it when it is root). Each case
// asserts the exit code, the one-line message, that nothing was left behind, and that an earlier
// output survived.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers.js';
import { expectCleanFailure, leftovers, runCli, writeCorpus } from './fault-helpers.js';

const isRoot = process.getuid?.() === 0;
let dir: { path: string; remove(): void };
let full: string;
let readOnly: string;
let corpus: string;
let output: string;
const EARLIER = 'earlier output\n';

beforeAll(() => {
  if (!isRoot) return;
  dir = tempDir();
  full = join(dir.path, 'full');
  readOnly = join(dir.path, 'ro');
  mkdirSync(full);
  mkdirSync(readOnly);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', full]);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', readOnly]);
  corpus = writeCorpus(dir.path, 200_000);
});
afterAll(() => {
  if (!isRoot) return;
  for (const m of [full, readOnly]) execFileSync('umount', [m]);
  dir.remove();
});

function earlierOutput(): string {
  output = join(dir.path, 'vectors.txt');
  writeFileSync(output, EARLIER);
  return output;
}
function expectNothingLeft(...dirs: string[]) {
  for (const d of [...dirs, dir.path]) expect(leftovers(d)).toEqual([]);
  expect(readFileSync(output, 'utf8')).toBe(EARLIER);
}
const small = ['-size', '8', '-iter', '1', '-threads', '2', '--quiet'];

describe.skipIf(!isRoot)('fault suite (root): full and read-only file systems', () => {
  it('--token-store file with TMPDIR on a full tmpfs: ENOSPC, one line, nothing left', async () => {
    const r = await runCli(['train', '-train', corpus, '-output', earlierOutput(), '--token-store', 'file', ...small], { tmp: full });
    expectCleanFailure(r, 1, /ENOSPC, the disk is full/);
    expectNothingLeft(full);
  });

  it('TMPDIR on a read-only tmpfs: EROFS, one line', async () => {
    const r = await runCli(['train', '-train', corpus, '-output', earlierOutput(), '--token-store', 'file', ...small], { tmp: readOnly });
    expectCleanFailure(r, 1, /EROFS, the file system is read-only/);
    expectNothingLeft(readOnly);
  });

  it('GloVe --temp-dir on a full tmpfs: ENOSPC, one line, no spill files left', async () => {
    const r = await runCli(['glove', '--input', corpus, '--output', earlierOutput(), '--temp-dir', full, '--memory', '0.02', '--threads', '1', '--quiet'], { tmp: full });
    expectCleanFailure(r, 1, /ENOSPC, the disk is full/);
    expectNothingLeft(full);
  });

  it('an output on a full tmpfs: ENOSPC at save, no temporary file, the earlier output intact', async () => {
    output = join(full, 'vectors.txt');
    writeFileSync(output, EARLIER);
    const r = await runCli(['train', '-train', corpus, '-output', output, '-size', '200', '-iter', '1', '-threads', '2', '-min-count', '1', '--quiet'], { tmp: dir.path });
    expectCleanFailure(r, 1, /cannot write .*vectors\.txt: ENOSPC, the disk is full/);
    expectNothingLeft(full);
  });

  it('an output on a read-only tmpfs: EROFS', async () => {
    earlierOutput();
    const r = await runCli(['train', '-train', corpus, '-output', join(readOnly, 'v.txt'), ...small], { tmp: dir.path });
    expectCleanFailure(r, 1, /cannot write .*v\.txt: EROFS/);
    expectNothingLeft(readOnly);
  });
});

// The fault suite, CLI side (issue #13): each case asserts the exit code, a one-line message without
// a stack trace, that no output or temporary file was left, and that an earlier output survived.
// Faults that need no root: full disk as /dev/full or a file-size limit (ulimit -f with SIGXFSZ
// ignored, so writes fail with EFBIG), an unusable temporary directory as a path under a regular
// file, signals by killing the child. Faults that need a mount are in root-faults.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, lstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { tempDir } from '../helpers.js';
import { expectCleanFailure, leftovers, runCli, startCli, waitFor, writeCorpus } from './fault-helpers.js';

let dir: { path: string; remove(): void };
let tmp: string;
let corpus: string;
let output: string;
const EARLIER = 'an earlier output that must survive\n';

beforeEach(() => {
  dir = tempDir();
  tmp = join(dir.path, 'tmp');
  mkdirSync(tmp);
  corpus = writeCorpus(dir.path);
  output = join(dir.path, 'vectors.txt');
  writeFileSync(output, EARLIER);
});
afterEach(() => dir.remove());

const small = ['-size', '8', '-iter', '1', '-threads', '2', '-min-count', '2', '--quiet'];

function expectNothingLeft(): void {
  expect(leftovers(tmp)).toEqual([]);
  expect(leftovers(dir.path)).toEqual([]);
  expect(readFileSync(output, 'utf8')).toBe(EARLIER);
}

describe('fault suite: outputs', () => {
  it('refuses an output equal to the input before reading or writing anything (train and glove)', async () => {
    const before = readFileSync(corpus);
    for (const command of [['train', '-train', corpus, '-output', corpus], ['glove', '--input', corpus, '--output', corpus]]) {
      const r = await runCli([...command, '--quiet'], { tmp });
      expectCleanFailure(r, 1, /--output .* is the input file .*choose another output path/);
      expect(readFileSync(corpus).equals(before)).toBe(true);
    }
    // Through a symlink too.
    const link = join(dir.path, 'link.txt');
    symlinkSync(corpus, link);
    expectCleanFailure(await runCli(['train', '-train', corpus, '-output', link, ...small], { tmp }), 1, /is the input file/);
    expect(readFileSync(corpus).equals(before)).toBe(true);
    expectNothingLeft();
  });

  it('writes through a symlink (the link stays) and keeps an existing file\'s mode', async () => {
    const target = join(dir.path, 'target.txt');
    writeFileSync(target, 'old');
    chmodSync(target, 0o600);
    const link = join(dir.path, 'out-link.txt');
    symlinkSync(target, link);
    const r = await runCli(['train', '-train', corpus, '-output', link, ...small], { tmp });
    expect(r.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toMatch(/^\d+ 8\n/);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expectNothingLeft();
  });

  it('a full disk at save (a /dev/full device) is a one-line ENOSPC error', async () => {
    // As root, a private copy of the device: a regression that renamed onto the output would
    // otherwise replace the system's /dev/full (the code before issue #13 did exactly that).
    let full = '/dev/full';
    if (process.getuid?.() === 0) {
      full = join(dir.path, 'full');
      execFileSync('mknod', ['-m', '666', full, 'c', '1', '7']);
    }
    const r = await runCli(['train', '-train', corpus, '-output', full, ...small], { tmp });
    expectCleanFailure(r, 1, /cannot write .*full: ENOSPC, the disk is full/);
    expect(statSync(full).isCharacterDevice()).toBe(true);
    expectNothingLeft();
  });

  it('an output in a directory that cannot exist is a one-line error; the earlier output survives', async () => {
    const r = await runCli(['train', '-train', corpus, '-output', join(output, 'sub.txt'), ...small], { tmp });
    expectCleanFailure(r, 1, /cannot write .*sub\.txt: ENOTDIR/);
    expectNothingLeft();
  });
});

describe('fault suite: temporary files', () => {
  it('an unusable temporary directory (--token-store file) is a one-line error', async () => {
    const r = await runCli(['train', '-train', corpus, '-output', output, '--token-store', 'file', ...small], { tmp: join(output, 'tmp') });
    expectCleanFailure(r, 1, /cannot write the token spool in the temporary directory .*ENOTDIR, a component of the path is not a directory/);
    expectNothingLeft();
  });

  it('GloVe with an unusable --temp-dir is a one-line error', async () => {
    const r = await runCli(['glove', '--input', corpus, '--output', output, '--temp-dir', join(output, 'tmp'), '--memory', '0.01', '--quiet'], { tmp });
    // The first temporary file GloVe writes is the token spool, in --temp-dir.
    expectCleanFailure(r, 1, /cannot write the token spool in the temporary directory .*\/vectors\.txt\/tmp: ENOTDIR/);
    expectNothingLeft();
  });

  it('a temporary file that hits the file-size limit (ulimit -f: EFBIG) is a one-line error and is removed', async () => {
    // 8 blocks of 512 bytes: the encoded corpus (4 bytes per word) is over it; the output is not reached.
    const r = await runCli(['train', '-train', corpus, '-output', output, '--token-store', 'file', ...small], { tmp, shellPrefix: "trap '' XFSZ; ulimit -f 8;" });
    expectCleanFailure(r, 1, /cannot write the (token spool in the temporary directory|encoded corpus to) .*EFBIG, the file is too large/);
    expectNothingLeft();
  });

  it('GloVe spill files that hit the file-size limit are a one-line error and are removed', async () => {
    const big = writeCorpus(dir.path, 200_000, 'big.txt');
    const r = await runCli(['glove', '--input', big, '--output', output, '--temp-dir', tmp, '--memory', '0.02', '--threads', '1', '--quiet'], {
      tmp, shellPrefix: "trap '' XFSZ; ulimit -f 64;",
    });
    // The token spool (in TMPDIR) or the sorted runs (in --temp-dir), whichever passes the limit first.
    expectCleanFailure(r, 1, /cannot write (temporary files in|the token spool in the temporary directory) .*EFBIG/);
    expectNothingLeft();
  });

  it('a virtual-memory limit too low for WebAssembly memory is a one-line error', async () => {
    const r = await runCli(['train', '-train', corpus, '-output', output, ...small], { tmp, shellPrefix: 'ulimit -v 6000000;' });
    expectCleanFailure(r, 1, /cannot allocate .* of WebAssembly memory: .*ulimit -v/);
    expectNothingLeft();
  });
});

describe('fault suite: signals', () => {
  it('SIGTERM during training with --token-store file: exit 143, the encoded corpus is removed', async () => {
    const big = writeCorpus(dir.path, 200_000, 'big.txt');
    const run = startCli(['train', '-train', big, '-output', output, '--token-store', 'file', '-size', '50', '-iter', '50', '-threads', '2', '--quiet'], { tmp });
    await waitFor(() => leftovers(tmp).some((n) => n.startsWith('wasm2vec-ids-')), 'the encoded corpus file');
    await new Promise((r) => setTimeout(r, 200));
    run.child.kill('SIGTERM');
    const r = await run.done;
    expectCleanFailure(r, 143, /interrupted; no output was written/);
    expectNothingLeft();
  });

  it('SIGTERM while GloVe is counting with spill files: exit 143, the spill files are removed', async () => {
    const big = writeCorpus(dir.path, 400_000, 'big.txt');
    const run = startCli(['glove', '--input', big, '--output', output, '--temp-dir', tmp, '--memory', '0.02', '--threads', '1', '--quiet'], { tmp });
    await waitFor(() => leftovers(tmp).some((n) => n.startsWith('wasm2vec-glove-')), 'the GloVe temporary directory');
    run.child.kill('SIGTERM');
    const r = await run.done;
    expect([143, 0]).toContain(r.code); // 0 only if it finished before the signal landed
    if (r.code === 143) expectCleanFailure(r, 143, /interrupted/);
    expect(leftovers(tmp)).toEqual([]);
    expect(leftovers(dir.path)).toEqual([]);
  });

  for (const [name, signals, code] of [
    ['SIGTERM', ['SIGTERM'], 143],
    ['SIGINT', ['SIGINT'], 130],
    ['a second SIGINT', ['SIGINT', 'SIGINT'], 130],
  ] as const) {
    it(`${name} during the save: the save is abandoned, its .tmp- file removed, the earlier output intact (exit ${code})`, async () => {
      const big = writeCorpus(dir.path, 200_000, 'big.txt');
      const run = startCli(['train', '-train', big, '-output', output, '-size', '300', '-iter', '1', '-min-count', '1', '-threads', '2', '--quiet'], { tmp });
      await waitFor(() => leftovers(dir.path).some((n) => n.includes('.tmp-')), 'the save to start', 60_000);
      for (const s of signals) {
        run.child.kill(s);
        await new Promise((r) => setTimeout(r, 30));
      }
      const r = await run.done;
      expect(r.code).toBe(code);
      expect(r.stderr).not.toMatch(/\n\s+at \S+/);
      expectNothingLeft();
    });
  }

  it('SIGINT while stdin stalls: exits 130 within a second', async () => {
    const run = startCli(['train', '-train', '-', '-output', output, ...small], { tmp, stdin: 'pipe' });
    run.child.stdin!.write(readFileSync(corpus).subarray(0, 50_000)); // then nothing more, and no end
    await waitFor(() => existsSync(tmp), 'start');
    await new Promise((r) => setTimeout(r, 800));
    const sent = Date.now();
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(Date.now() - sent).toBeLessThan(1000);
    expectCleanFailure(r, 130, /interrupted; no output was written/);
    expectNothingLeft();
  });

  it('a second SIGINT exits at once and still removes the temporary files', async () => {
    const run = startCli(['train', '-train', '-', '-output', output, '--token-store', 'file', ...small], { tmp, stdin: 'pipe' });
    run.child.stdin!.write(readFileSync(corpus)); // the spool is written only at the end: stall, then interrupt twice
    await new Promise((r) => setTimeout(r, 800));
    run.child.kill('SIGINT');
    await waitFor(() => run.stderr().includes('SIGINT'), 'the first signal handled');
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/SIGINT again: exiting now/);
    expectNothingLeft();
  });
});

describe('fault suite: options and numbers', () => {
  it.each([
    [['-size', '-5'], /option dim must be an integer from 1 to 10000, got -5/],
    [['-alpha', '-1'], /option alpha must be a number .* got -1/],
    [['-size', 'abc'], /option --dim must be a number, got "abc"/],
    [['-iter'], /--epochs <value>' argument missing/],
    [['-bogus', '1'], /unknown option -bogus/],
  ])('train %j: one clear line, exit 1', async (extra, message) => {
    const r = await runCli(['train', '-train', corpus, '-output', output, ...small, ...(extra as string[])], { tmp });
    expectCleanFailure(r, 1, message as RegExp);
    expectNothingLeft();
  });

  it('similar -n -1 names the option and the value', async () => {
    const r = await runCli(['similar', '-n', '-1', output, 'the'], { tmp });
    expectCleanFailure(r, 1, /option --top must be a positive integer, got "-1"/);
  });

  it('a diverging run (absurd alpha) stops early with an error naming alpha; nothing is written', async () => {
    const r = await runCli(['train', '-train', corpus, '-output', output, ...small, '-alpha', '10'], { tmp });
    expectCleanFailure(r, 1, /training diverged .*lower alpha \(now 10/);
    expectNothingLeft();
  });

  it('a worker that throws (a bug) is one line, exit 70; --debug adds the stack', async () => {
    const r = await runCli(['train', '-train', corpus, '-output', output, ...small], { tmp, env: { WASM2VEC_FAULT_INJECTION: 'worker-throws' } });
    expectCleanFailure(r, 70, /internal error: .*injected worker failure.*--debug/);
    const debug = await runCli(['train', '-train', corpus, '-output', output, ...small, '--debug'], { tmp, env: { WASM2VEC_FAULT_INJECTION: 'worker-throws' } });
    expect(debug.code).toBe(70);
    expect(debug.stderr).toMatch(/\n\s+at /);
    expectNothingLeft();
  });
});

describe('fault suite: evaluation files', () => {
  it('a word-pair file with a NaN or infinite score is refused with its line number', async () => {
    await runCli(['train', '-train', corpus, '-output', output, ...small], { tmp });
    const pairs = join(dir.path, 'pairs.tsv');
    for (const bad of ['nan', '1e999']) {
      writeFileSync(pairs, `# gold\nthe\tof\t5\nand\tin\t${bad}\n`);
      const r = await runCli(['eval', output, '--pairs', pairs], { tmp });
      expectCleanFailure(r, 1, new RegExp(`pairs.tsv line 3: score "${bad}" is not a finite number`));
    }
  });
});

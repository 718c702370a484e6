import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';

describe('wasm2vec segment (CLI)', () => {
  it('writes one line per input line, words separated by spaces, after t2s', async () => {
    const dir = tempDir();
    try {
      const input = join(dir.path, 'raw.txt');
      const output = join(dir.path, 'seg.txt');
      writeFileSync(input, '我來到北京清華大學。\n\n他来到了网易杭研大厦 hello World\n最後一行');
      const run = await cli(['segment', '--input', input, '--output', output, '--tokenizer', 'jieba', '--normalize', 't2s']);
      expect(run.stderr).toMatch(/segmented 3 lines into 15 words/);
      expect(run.code).toBe(0);
      expect(readFileSync(output, 'utf8')).toBe('我 来到 北京 清华大学 。\n\n他 来到 了 网易 杭研 大厦 hello World\n最后 一行');
      const userDict = join(dir.path, 'user.txt');
      writeFileSync(userDict, '杭研大厦\n');
      expect((await cli(['segment', '--input', input, '--output', output, '--tokenizer', 'jieba', '--user-dict', userDict, '--lowercase', '--quiet'])).code).toBe(0);
      expect(readFileSync(output, 'utf8').split('\n')[2]).toBe('他 来到 了 网易 杭研大厦 hello world');
    } finally {
      dir.remove();
    }
  });

  it('fails with one line naming the problem and leaves no output or temporary file', async () => {
    const dir = tempDir();
    try {
      const output = join(dir.path, 'seg.txt');
      const missing = await cli(['segment', '--input', join(dir.path, 'absent.txt'), '--output', output, '--tokenizer', 'jieba']);
      expect(missing.code).toBe(1);
      expect(missing.stderr.trim().split('\n')).toHaveLength(1);
      expect(missing.stderr).toMatch(/cannot open corpus .*absent\.txt/);
      const badNormalize = await cli(['segment', '--input', output, '--output', output, '--normalize', 'zh']);
      expect(badNormalize.stderr).toMatch(/--normalize must be nfkc, t2s, s2t/);
      expect(existsSync(output)).toBe(false);
      expect(readdirSync(dir.path)).toEqual([]);
    } finally {
      dir.remove();
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { IdSpool } from '../src/corpus/id-spool.js';
import { VocabularyCounter } from '../src/corpus/vocabulary.js';
import { tokenizeWhitespace } from '../src/corpus/tokenizer.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach } from 'vitest';

const CLI = new URL('../dist/src/cli/main.js', import.meta.url).pathname;
const execFileAsync = promisify(execFile);

/** Runs the built CLI (dist/src/cli/main.js) and returns its exit code and output, failing or not. */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

export const SAMPLE_CORPUS = new URL('../data/text8-sample.txt.gz', import.meta.url).pathname;

/** The first `words` words of the shipped sample corpus. */
export function sampleText(words: number): string {
  const text = gunzipSync(readFileSync(SAMPLE_CORPUS)).toString('latin1');
  let end = 0;
  for (let i = 0; i < words; i++) {
    end = text.indexOf(' ', end + 1);
    if (end < 0) return text;
  }
  return text.slice(0, end);
}

export async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

export async function collectTokens(chunks: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of tokenizeWhitespace(chunks)) for (const token of batch) out.push(token);
  return out;
}

/** Vocabulary and encoded ids of a text, as the trainer builds them. */
export async function encodeText(text: string, minCount: number) {
  const spool = new IdSpool();
  const counter = new VocabularyCounter(spool);
  for await (const batch of tokenizeWhitespace(chunksOf(text, 4096))) counter.add(batch);
  spool.finish();
  const { vocabulary, remap } = counter.finish(minCount);
  const ids: number[] = [];
  for (const block of spool.blocks()) for (const id of block) if (remap[id] >= 0) ids.push(remap[id]);
  spool.dispose();
  return { vocabulary, ids: Int32Array.from(ids) };
}

export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'wasm2vec-test-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Call at a test file's top level: returns a function giving a fresh temporary directory, every one removed after each test. */
export function scratchDirs(): () => string {
  const dirs: { remove(): void }[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });
  return () => {
    const d = tempDir();
    dirs.push(d);
    return d.path;
  };
}

// The browser build (dist/browser/, npm run build:browser) in Chromium: a page served with the two
// isolation headers loads it with no console error, trains word2vec on the bundled sample corpus on
// two Web Workers sharing one WebAssembly.Memory (the test fails if it fell back to one thread), to
// the quality threshold of test/word2vec/quality.test.ts; an AbortController stops a run at once;
// a page without the headers warns and trains on one thread; vectors loaded from an ArrayBuffer, in
// every format the Node.js side reads, give the same neighbours and scores as Node.js.
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ISOLATION_HEADERS, browserTestsEnabled, launchChromium, listenOnLoopback } from './chromium.js';
import { SAMPLE_CORPUS } from '../helpers.js';
import { KeyedVectors } from '../../src/model/index.js';
import { evaluateWordPairs } from '../../src/model/evaluate.js';
import { writeEmbeddings } from '../../src/formats/index.js';
import type { EmbeddingFormat } from '../../src/formats/types.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const BUNDLE = join(ROOT, 'dist/browser');
const WORDSIM = new URL('../fixtures/wordsim353.tsv', import.meta.url).pathname;
const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
/** Model files served under /models/ (filled in beforeAll). */
const MODELS = new Map<string, string>();
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.map': 'application/json', '.gz': 'application/gzip' };

const PAGE = `<!doctype html><html lang="en"><title>wasm2vec browser test</title><link rel="icon" href="data:,">
<script type="module">
  import * as wasm2vec from '/dist/browser/wasm2vec.js';
  window.wasm2vec = wasm2vec;
  window.corpus = async () => (await fetch('/corpus.txt.gz')).blob();
  window.ready = true;
</script><p>wasm2vec</p></html>`;

const enabled = browserTestsEnabled();

/** Serves the page (isolated under /, not under /plain/), the bundle and the sample corpus (gzip). */
function serve(request: { url?: string }, response: import('node:http').ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const plain = url.pathname.startsWith('/plain/');
  const path = plain ? url.pathname.slice('/plain'.length) : url.pathname;
  const headers = plain ? {} : { ...ISOLATION_HEADERS };
  let file: string | undefined;
  if (path === '/' || path === '/index.html') {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
    response.end(PAGE);
    return;
  }
  if (path === '/corpus.txt.gz') file = SAMPLE_CORPUS;
  else if (path.startsWith('/models/')) file = MODELS.get(path.slice('/models/'.length));
  else if (path.startsWith('/dist/browser/')) file = join(BUNDLE, normalize(path.slice('/dist/browser/'.length)).replace(/^(\.\.[/\\])+/, ''));
  if (!file || !existsSync(file)) {
    response.writeHead(404, headers);
    response.end();
    return;
  }
  response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', ...headers });
  response.end(readFileSync(file));
}

describe.runIf(enabled)('the browser build in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let base: string;
  const scratch = mkdtempSync(join(tmpdir(), 'wasm2vec-browser-test-'));

  beforeAll(async () => {
    if (!existsSync(join(BUNDLE, 'wasm2vec.js'))) throw new Error('dist/browser/wasm2vec.js is missing: run `npm run build` first');
    server = createServer(serve);
    base = await listenOnLoopback(server);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    rmSync(scratch, { recursive: true, force: true });
  });

  /** A page at `path`, its console errors and warnings collected. */
  async function open(path: string): Promise<{ page: Page; errors: string[]; warnings: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
      if (message.type() === 'warning') warnings.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${base}${path}`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    return { page, errors, warnings };
  }

  it('trains skip-gram on the sample corpus on 2 Web Workers, to the Node.js quality threshold', async () => {
    const { page, errors } = await open('/');
    const result = await page.evaluate(async () => {
      const w = window as unknown as { wasm2vec: typeof import('../../src/browser/index.js'); corpus(): Promise<Blob> };
      const phases = new Set<string>();
      const model = await w.wasm2vec.train({
        input: await w.corpus(), model: 'skipgram', epochs: 5, sample: 1e-4, threads: 2,
        onProgress: (event) => phases.add(event.phase),
      });
      const bytes = new Uint8Array(model.vectors.buffer, model.vectors.byteOffset, model.vectors.byteLength);
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return {
        report: model.report, words: model.words, dim: model.dim, counts: model.counts, vectors: btoa(binary), phases: [...phases],
        three: model.mostSimilar('three', { topN: 5 }).map((n) => n.word),
      };
    });
    await page.close();
    expect(errors).toEqual([]);
    expect(result.report).toMatchObject({ threads: 2, crossOriginIsolated: true, epochs: 5, epochsCompleted: 5, tokenStore: 'memory' });
    expect(result.phases).toEqual(expect.arrayContaining(['vocabulary', 'train']));
    const buffer = Buffer.from(result.vectors, 'base64');
    const vectors = new KeyedVectors(result.words as string[], result.dim, new Float32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 4), result.counts as number[]);
    const pairs = await evaluateWordPairs(vectors, WORDSIM);
    expect(pairs.pairs).toBe(257);
    expect(pairs.spearman).toBeGreaterThan(0.18);
    const numbers = ['one', 'two', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'zero'];
    expect(result.three.filter((w) => numbers.includes(w)).length).toBeGreaterThanOrEqual(3);
    console.log(`browser: ${result.report.threads} workers, ${Math.round(result.report.wordsPerSecond)} words/s, WordSim-353 Spearman ${pairs.spearman.toFixed(3)}`);
  }, 240_000);

  it('an AbortController stops training within a second, with AbortError', async () => {
    const { page, errors } = await open('/');
    const outcome = await page.evaluate(async () => {
      const w = window as unknown as { wasm2vec: typeof import('../../src/browser/index.js'); corpus(): Promise<Blob> };
      const controller = new AbortController();
      let abortedAt = 0;
      const run = w.wasm2vec.train({
        input: await w.corpus(), epochs: 100, threads: 2, signal: controller.signal,
        onProgress: (event) => {
          if (event.phase === 'train' && event.words > 0 && abortedAt === 0) {
            abortedAt = performance.now();
            controller.abort();
          }
        },
      });
      try {
        await run;
        return { name: 'resolved', seconds: 0 };
      } catch (error) {
        return { name: (error as Error).name, seconds: (performance.now() - abortedAt) / 1000 };
      }
    });
    await page.close();
    expect(errors).toEqual([]);
    expect(outcome.name).toBe('AbortError');
    expect(outcome.seconds).toBeLessThan(1);
    console.log(`browser: abort rejected ${(outcome.seconds * 1000).toFixed(0)} ms after controller.abort()`);
  }, 120_000);

  it('a page without the isolation headers warns and trains on one thread', async () => {
    const { page, errors, warnings } = await open('/plain/');
    const report = await page.evaluate(async () => {
      const w = window as unknown as { wasm2vec: typeof import('../../src/browser/index.js') };
      const text = 'the quick brown fox jumps over the lazy dog\n'.repeat(2000);
      const model = await w.wasm2vec.train({ input: text, minCount: 1, dim: 20, epochs: 1, threads: 2 });
      return model.report;
    });
    await page.close();
    expect(errors).toEqual([]);
    expect(warnings.some((w) => w.includes('not cross-origin isolated') && w.includes('Cross-Origin-Embedder-Policy: require-corp'))).toBe(true);
    expect(report).toMatchObject({ threads: 1, crossOriginIsolated: false });
  }, 120_000);

  it('a page without the isolation headers refuses onEpochEnd with a message naming the headers', async () => {
    const { page, errors } = await open('/plain/');
    const message = await page.evaluate(async () => {
      const w = window as unknown as { wasm2vec: typeof import('../../src/browser/index.js') };
      try {
        await w.wasm2vec.train({ input: 'a b c\n'.repeat(100), minCount: 1, dim: 4, epochs: 1, onEpochEnd: () => undefined });
        return 'resolved';
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    });
    await page.close();
    expect(errors).toEqual([]);
    expect(message).toMatch(/^Wasm2VecError: option onEpochEnd needs a cross-origin isolated page \(Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp\)/);
  }, 60_000);

  it('loads vectors from an ArrayBuffer in every format, with the same neighbours and scores as Node.js', async () => {
    const plain = await KeyedVectors.load(join(FIXTURES, 'fasttext-tiny.vec'));
    MODELS.set('tiny.bin', join(FIXTURES, 'fasttext-tiny.bin'));
    MODELS.set('tiny.vec', join(FIXTURES, 'fasttext-tiny.vec'));
    const written: [string, EmbeddingFormat][] = [['tiny.txt', 'word2vec-text'], ['tiny.w2v.bin', 'word2vec-binary'], ['tiny.glove.txt', 'glove-text']];
    for (const [name, format] of written) {
      await writeEmbeddings(join(scratch, name), { words: [...plain.words], dim: plain.dim, vectors: plain.vectors }, { format });
      MODELS.set(name, join(scratch, name));
    }
    const query = plain.words[3];
    const cases: { name: string; format: EmbeddingFormat }[] = [
      { name: 'tiny.bin', format: 'fasttext-bin' }, { name: 'tiny.vec', format: 'fasttext-vec' },
      ...written.map(([name, format]) => ({ name, format })),
    ];
    const { page, errors } = await open('/');
    const inPage = await page.evaluate(async ({ cases, query }) => {
      const w = window as unknown as { wasm2vec: typeof import('../../src/browser/index.js') };
      const out: { format: string; size: number; neighbours: { word: string; score: number }[] }[] = [];
      for (const c of cases) {
        const bytes = await (await fetch(`/models/${c.name}`)).arrayBuffer();
        const model = await w.wasm2vec.loadVectors(bytes, { name: c.name, format: c.format === 'glove-text' ? 'glove-text' : undefined });
        out.push({ format: c.format, size: model.size, neighbours: model.mostSimilar(query, { topN: 5 }) });
      }
      return out;
    }, { cases, query });
    await page.close();
    expect(errors).toEqual([]);
    expect(inPage.map((m) => m.format)).toEqual(cases.map((c) => c.format));
    for (const [i, c] of cases.entries()) {
      const node = await KeyedVectors.load(MODELS.get(c.name)!, { format: c.format === 'glove-text' ? 'glove-text' : undefined });
      const expected = node.mostSimilar(query, { topN: 5 });
      expect(inPage[i].size, c.format).toBe(node.size);
      expect(inPage[i].neighbours.map((n) => n.word), c.format).toEqual(expected.map((n) => n.word));
      inPage[i].neighbours.forEach((n, k) => expect(n.score, `${c.format} ${n.word}`).toBeCloseTo(expected[k].score, 4));
    }
  }, 120_000);
});

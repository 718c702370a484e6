// A page for in-browser benchmarks: a local HTTP server with the two cross-origin isolation headers
// serving a blank page, the browser bundle (dist/browser/, npm run build:browser), a corpus file and
// any extra directory (a peer's package), and Debian's Chromium (bench/lib/chromium.ts).
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { extname, join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { repoRoot } from './paths.js';
import { launchChromium } from './chromium.js';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html; charset=utf-8' };
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export interface BenchPage {
  page: Page;
  /** Console errors and uncaught exceptions of the page. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * Serves `/` (a page that imports the bundle as window.wasm2vec), `/dist/browser/*`, `/corpus` (the
 * text of the file `corpus`, decompressed when it is gzip) and `/<prefix>/*` for each extra directory, then opens the page in headless Chromium.
 */
export async function openBenchPage(corpus: string, extra: Record<string, string> = {}): Promise<BenchPage> {
  const bundle = join(repoRoot, 'dist/browser');
  if (!existsSync(join(bundle, 'wasm2vec.js'))) throw new Error('dist/browser/wasm2vec.js is missing: run `npm run build` first');
  const page = `<!doctype html><html lang="en"><title>wasm2vec bench</title><link rel="icon" href="data:,"><script type="module">
    import * as wasm2vec from '/dist/browser/wasm2vec.js';
    window.wasm2vec = wasm2vec;
    window.ready = true;
  </script></html>`;
  const dirs: Record<string, string> = { 'dist/browser': bundle, ...extra };
  const raw = readFileSync(corpus);
  const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  const server: Server = createServer((request, response: ServerResponse) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    let file: string | undefined;
    if (path === '/') {
      response.writeHead(200, { 'Content-Type': TYPES['.html'], ...ISOLATION });
      response.end(page);
      return;
    }
    if (path === '/corpus') {
      response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', ...ISOLATION });
      response.end(text);
      return;
    }
    for (const [prefix, dir] of Object.entries(dirs)) {
      if (path.startsWith(`/${prefix}/`)) file = join(dir, normalize(path.slice(prefix.length + 2)).replace(/^(\.\.[/\\])+/, ''));
    }
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, ISOLATION);
      response.end();
      return;
    }
    response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', ...ISOLATION });
    response.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser: Browser = await launchChromium();
  const tab = await browser.newPage();
  const errors: string[] = [];
  tab.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  tab.on('pageerror', (error) => errors.push(error.message));
  await tab.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await tab.waitForFunction(() => (globalThis as unknown as { ready?: boolean }).ready === true);
  return {
    page: tab,
    errors,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

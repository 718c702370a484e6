// The browser test infrastructure itself: Chromium starts, and a page served with the two isolation
// headers is cross-origin isolated (a shared WebAssembly.Memory can be made) while one without is
// not — what the browser build's multi-threaded training depends on.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ISOLATION_HEADERS, browserTestsEnabled, launchChromium, listenOnLoopback } from './chromium.js';

const enabled = browserTestsEnabled();

describe.runIf(enabled)('Chromium and cross-origin isolation', () => {
  let browser: Browser;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const headers = request.url === '/isolated' ? { ...ISOLATION_HEADERS } : {};
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
      response.end('<!doctype html><title>t</title><p>page</p>');
    });
    base = await listenOnLoopback(server);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const probe = () => {
    let shared = false;
    try {
      shared = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true }).buffer instanceof SharedArrayBuffer;
    } catch {
      shared = false;
    }
    return { isolated: globalThis.crossOriginIsolated, shared, cores: navigator.hardwareConcurrency };
  };

  it('a page with COOP/COEP is isolated and can share a WebAssembly.Memory; one without is not', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/isolated`);
    expect(await page.evaluate(probe)).toMatchObject({ isolated: true, shared: true });
    await page.goto(`${base}/plain`);
    expect(await page.evaluate(probe)).toMatchObject({ isolated: false, shared: false });
    await page.close();
  });
});

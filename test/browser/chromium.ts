// Browser tests drive Debian's Chromium through playwright-core (no downloaded browser). They run
// wherever /usr/bin/chromium exists and are skipped, with a warning, where it does not (a fresh
// clone's `npm test` needs nothing installed). `.ci/run` installs Chromium and sets
// WASM2VEC_BROWSER_TESTS=required, under which a missing Chromium fails instead of skipping.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.WASM2VEC_CHROMIUM ?? '/usr/bin/chromium';

/** True when the browser tests should run; throws when they are required and Chromium is missing. */
export function browserTestsEnabled(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.WASM2VEC_BROWSER_TESTS === 'required') throw new Error(`browser tests: Chromium not found at ${CHROMIUM_PATH} (CI installs it: apt-get install chromium)`);
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set WASM2VEC_CHROMIUM)`);
  return false;
}

/**
 * Headless Chromium with the flags this machine needs: no sandbox (tests may run as root), no GPU,
 * and none of the background connections a closed network refuses. Playwright gives each launch an
 * empty temporary profile and removes it when the browser closes.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
}

/** The two headers that make a page cross-origin isolated (SharedArrayBuffer, shared WebAssembly.Memory). */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

// Browser tests drive Debian's Chromium through playwright-core (no downloaded browser). They run
// (bench/lib/chromium.ts: the path and flags, shared with the browser benchmarks) wherever /usr/bin/chromium exists and are skipped, with a warning, where it does not (a fresh
// clone's `npm test` needs nothing installed). `.ci/run` installs Chromium and sets
// WASM2VEC_BROWSER_TESTS=required, under which a missing Chromium fails instead of skipping.
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CHROMIUM_PATH } from '../../bench/lib/chromium.js';

export { CHROMIUM_PATH, launchChromium } from '../../bench/lib/chromium.js';

/** True when the browser tests should run; throws when they are required and Chromium is missing. */
export function browserTestsEnabled(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.WASM2VEC_BROWSER_TESTS === 'required') throw new Error(`browser tests: Chromium not found at ${CHROMIUM_PATH} (CI installs it: apt-get install chromium)`);
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set WASM2VEC_CHROMIUM)`);
  return false;
}

/** The two headers that make a page cross-origin isolated (SharedArrayBuffer, shared WebAssembly.Memory). */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

/** Starts `server` on a free port of 127.0.0.1 and returns its base URL. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

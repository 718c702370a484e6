// Debian's Chromium driven by playwright-core (no downloaded browser), for the browser benchmarks
// and, through test/browser/chromium.ts, the browser tests: one place for its path and flags.
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.WASM2VEC_CHROMIUM ?? '/usr/bin/chromium';

/**
 * No sandbox (the tests and benchmarks may run as root), no GPU, and none of the background
 * connections a closed network refuses (each would be retried and logged at every start).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** Headless Chromium; Playwright gives each launch an empty temporary profile and removes it on close. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

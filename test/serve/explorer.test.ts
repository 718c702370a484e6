// The explorer page in a real browser (Debian's Chromium through playwright-core): `wasm2vec serve`
// on a model trained here and a second copy of it, the page loads with no console error,
// cross-origin isolated; typing a word (and picking a completion with the keyboard) shows the
// neighbours with the words and scores of `wasm2vec similar` to 4 decimals, for both models side
// by side; clicking a map point, or reaching one with the keyboard and pressing Enter, explores that word.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { train } from '../../src/index.js';
import { browserTestsEnabled, launchChromium } from '../browser/chromium.js';
import { SAMPLE_CORPUS, cli, tempDir } from '../helpers.js';
import { shownNeighbours, startServe, type RunningServer } from './helpers.js';

const enabled = browserTestsEnabled();

describe.runIf(enabled)('the explorer page in Chromium', () => {
  const dir = tempDir();
  const modelPath = join(dir.path, 'sample.vec');
  const copyPath = join(dir.path, 'sample-copy.txt');
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const model = await train({ input: SAMPLE_CORPUS, dim: 32, epochs: 1, minCount: 5, threads: 2, seed: 1 });
    await model.save(modelPath, { format: 'fasttext-vec' });
    await model.save(copyPath, { format: 'word2vec-text' });
    server = await startServe([modelPath, copyPath]);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    dir.remove();
  });

  async function cliNeighbours(path: string, word: string): Promise<Array<{ word: string; score: string }>> {
    const result = await cli(['similar', path, word, '-n', '10', '--json']);
    expect(result.code, result.stderr).toBe(0);
    return (JSON.parse(result.stdout).results as Array<{ word: string; score: number }>).map((r) => ({ word: r.word, score: r.score.toFixed(4) }));
  }

  it('loads with the isolation headers, cross-origin isolated, and draws the map', async () => {
    const started = Date.now();
    const response = await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]');
    console.log(`explorer: page open (map of 300 words drawn) in ${Date.now() - started} ms`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
    expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    expect(await page.locator('#maps .column').count()).toBe(2);
    expect(await page.locator('#maps .column[data-model="0"] g.point').count()).toBe(300);
    expect(await page.locator('#model-info').textContent()).toContain('sample.vec');
  });

  it('typing a word shows the neighbours and scores of `wasm2vec similar`, for both models', async () => {
    await page.locator('#word-input').fill('king');
    await page.locator('#word-input').press('Enter');
    await page.waitForSelector('#neighbours[data-word="king"] .column[data-model="1"] li');
    console.log(`explorer: neighbour query answered in the page in ${await page.locator('#neighbours-status').getAttribute('data-ms')} ms`);
    const expected = await cliNeighbours(modelPath, 'king');
    expect(expected).toHaveLength(10);
    expect(await shownNeighbours(page, 0)).toEqual(expected);
    expect(await shownNeighbours(page, 1)).toEqual(await cliNeighbours(copyPath, 'king'));
  });

  it('completion from the keyboard: arrows and Enter explore the chosen word', async () => {
    await page.locator('#word-input').fill('');
    await page.locator('#word-input').pressSequentially('quee');
    await page.waitForSelector('#completions:not([hidden]) li');
    const options = await page.locator('#completions li').allTextContents();
    expect(options.length).toBeGreaterThan(0);
    for (const option of options) expect(option.toLowerCase().startsWith('quee')).toBe(true);
    await page.locator('#word-input').press('ArrowDown');
    expect(await page.locator('#completions li[aria-selected="true"]').textContent()).toBe(options[0]);
    expect(await page.locator('#word-input').getAttribute('aria-activedescendant')).toBe('completion-0');
    await page.locator('#word-input').press('Enter');
    await page.waitForSelector(`#neighbours[data-word="${options[0]}"]`);
    expect(await page.locator('#word-input').inputValue()).toBe(options[0]);
    expect(await page.locator('#completions').isHidden()).toBe(true);
    expect(await shownNeighbours(page, 0)).toEqual(await cliNeighbours(modelPath, options[0]));
  });

  it('clicking a map point explores that word; so does Enter on a focused point', async () => {
    // the word actually under the mouse at a point's centre (labels of other points may overlap it)
    await page.locator('#maps .column[data-model="0"] svg').scrollIntoViewIfNeeded();
    const target = await page.evaluate(() => {
      const points = [...document.querySelectorAll<SVGGElement>('#maps .column[data-model="0"] g.point')];
      const current = (document.getElementById('word-input') as HTMLInputElement).value;
      for (const g of points.slice(20)) {
        const box = g.querySelector('circle')!.getBoundingClientRect();
        const x = box.x + box.width / 2;
        const y = box.y + box.height / 2;
        const hit = document.elementFromPoint(x, y)?.closest<SVGGElement>('g.point');
        if (y < 0 || y >= innerHeight || x < 0 || x >= innerWidth) continue;
        if (hit && hit.dataset.word !== current) return { x, y, word: hit.dataset.word! };
      }
      return undefined;
    });
    expect(target).toBeDefined();
    await page.mouse.click(target!.x, target!.y);
    await page.waitForSelector(`#neighbours[data-word="${target!.word}"]`);
    expect(await page.locator('#word-input').inputValue()).toBe(target!.word);
    expect(await page.locator(`#maps .column[data-model="0"] g.point.current`).getAttribute('data-word')).toBe(target!.word);

    // the neighbourhood map: the word and its neighbours; a focused point and Enter explore from it
    await page.locator('input[name="mode"][value="word"]').check();
    await page.waitForSelector(`#maps .column[data-model="0"] g.point.centre[data-word="${target!.word}"]`);
    const next = await page.locator('#maps .column[data-model="0"] g.point:not(.centre)').first().getAttribute('data-word');
    await page.locator(`#maps .column[data-model="0"] g.point[data-word="${next}"]`).focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#maps .column[data-model="0"] g.point.centre[data-word="${next}"]`);
    expect(await shownNeighbours(page, 0)).toEqual(await cliNeighbours(modelPath, next!));

    // one tab stop per map; the arrows move the focus to another point, and Enter explores it
    const map = '#maps .column[data-model="0"]';
    expect(await page.locator(`${map} g.point[tabindex="0"]`).getAttribute('data-word')).toBe(next);
    await page.locator(`${map} g.point.centre`).focus();
    let moved: string | undefined;
    for (const key of ['ArrowRight', 'ArrowLeft', 'ArrowDown', 'ArrowUp']) {
      await page.keyboard.press(key);
      const focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset?.word);
      if (focused !== next) {
        moved = focused;
        break;
      }
    }
    expect(moved).toBeDefined();
    expect(await page.locator(`${map} g.point[tabindex="0"]`).getAttribute('data-word')).toBe(moved);
    expect(await page.locator(`${map} g.point[tabindex="0"]`).count()).toBe(1);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${map} g.point.centre[data-word="${moved}"]`);
  });

  it('an analogy is answered in both columns, and a word outside the vocabulary is said so', async () => {
    await page.locator('#analogy-form button[type="submit"]').click();
    await page.waitForSelector('#analogy-results .column[data-model="1"] li');
    const analogy = await cli(['analogy', modelPath, 'man', 'king', 'woman', '-n', '10', '--json']);
    const words = (JSON.parse(analogy.stdout).results as Array<{ word: string }>).map((r) => r.word);
    expect(await page.locator('#analogy-results .column[data-model="0"] .word').allTextContents()).toEqual(words);
    await page.locator('#word-input').fill('zzqqxxnotaword');
    await page.locator('#word-input').press('Enter');
    await page.waitForSelector('#neighbours .column[data-model="0"] .error');
    expect(await page.locator('#neighbours .column[data-model="0"] .error').textContent()).toBe('word not in vocabulary: "zzqqxxnotaword"');
    expect(consoleErrors).toEqual([]);
  });
});

// The explorer's train tab and UMAP map in a real browser (Debian's Chromium through playwright-core):
// `wasm2vec serve` on a small model; the tab is reached with the keyboard (WAI-ARIA tabs), given the
// bundled sample corpus through its file input, and trains on 2 Web Workers (the test fails if the
// page fell back to one thread), showing words/s and a finite loss; the result joins the explorer,
// its neighbours listed with the words and scores (4 decimals) of the same model's KeyedVectors, and
// its .vec download reads back in Node.js with the same vectors; a second run stopped with Stop ends
// "stopped" within seconds and leaves the page usable; the same page without the isolation headers
// trains on one worker and says why; the UMAP map draws every model's points and a click on one
// explores it. No console error in the whole run.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { KeyedVectors } from '../../src/model/index.js';
import { browserTestsEnabled, launchChromium } from '../browser/chromium.js';
import { SAMPLE_CORPUS, tempDir } from '../helpers.js';
import { randomModel, shownNeighbours, startServe, type RunningServer } from './helpers.js';

const enabled = browserTestsEnabled();

interface ExplorerHook {
  wasm2vecExplorer: { trainedModel?: { mostSimilar(word: string, options: { topN: number }): Array<{ word: string; score: number }>; size: number; dim: number; words: string[]; vectors: Float32Array } };
}

describe.runIf(enabled)('the explorer\'s train tab and UMAP map in Chromium', () => {
  const dir = tempDir();
  const modelPath = join(dir.path, 'served.vec');
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    await randomModel(400, 16, 3).save(modelPath, { format: 'fasttext-vec' });
    server = await startServe([modelPath]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    dir.remove();
  });

  /** Moves from the Explore tab to the Train tab with the keyboard. */
  async function trainTabByKeyboard(): Promise<void> {
    await page.locator('#tab-explore').focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-train');
    expect(await page.locator('#tab-train').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('#tab-explore').getAttribute('tabindex')).toBe('-1');
    expect(await page.locator('#panel-train').isVisible()).toBe(true);
    expect(await page.locator('#panel-explore').isHidden()).toBe(true);
  }

  it('tabs follow the WAI-ARIA pattern: arrows, Home and End move and select', async () => {
    expect(await page.locator('[role="tablist"] [role="tab"]').count()).toBe(2);
    await trainTabByKeyboard();
    await page.keyboard.press('ArrowRight'); // wraps round
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-explore');
    expect(await page.locator('#panel-explore').isVisible()).toBe(true);
    await page.keyboard.press('End');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-train');
    await page.keyboard.press('Home');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-explore');
    // a file dropped on the tab becomes the corpus (Start waits for one)
    await page.locator('#tab-train').click();
    expect(await page.locator('#train-start').isDisabled()).toBe(true);
    const dropped = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['the quick brown fox jumps over the lazy dog\n'], 'dropped.txt', { type: 'text/plain' }));
      return transfer;
    });
    await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer: dropped });
    await page.waitForSelector('#corpus-status:has-text("dropped.txt")');
    expect(await page.locator('#train-start').isEnabled()).toBe(true);
    await page.locator('#tab-explore').click();
    // every control of the train tab has a label
    const unlabelled = await page.$$eval('#panel-train input, #panel-train select', (nodes) => nodes.filter((n) => (n as HTMLInputElement).labels?.length === 0).map((n) => n.id));
    expect(unlabelled).toEqual([]);
  });

  it('trains on the sample corpus on 2 workers, live words/s and loss, then explores the result with the same scores', async () => {
    await trainTabByKeyboard();
    await page.locator('#corpus-file').setInputFiles(SAMPLE_CORPUS);
    await page.waitForSelector('#corpus-status:has-text("text8-sample.txt.gz")');
    await page.locator('#train-dim').fill('24');
    await page.locator('#train-epochs').fill('2');
    await page.locator('#train-threads').fill('2');
    // the words/s and loss figures as they change while training (not only the final ones)
    await page.evaluate(() => {
      const seen: Array<{ speed?: string; loss?: string; state?: string }> = [];
      (window as unknown as { seen: typeof seen }).seen = seen;
      const observer = new MutationObserver(() =>
        seen.push({ speed: document.getElementById('train-speed')!.dataset.value, loss: document.getElementById('train-loss')!.dataset.value, state: document.getElementById('train-state')!.dataset.state }),
      );
      for (const id of ['train-speed', 'train-loss']) observer.observe(document.getElementById(id)!, { childList: true, characterData: true, subtree: true, attributes: true });
    });
    const started = Date.now();
    await page.locator('#train-start').click();
    await page.waitForSelector('#train-state[data-state="done"], #train-state[data-state="failed"]', { timeout: 180_000 });
    expect(await page.locator('#train-state').textContent()).toMatch(/^Done: /);
    console.log(`train tab: ${await page.locator('#train-state').textContent()} (${Date.now() - started} ms seen from Playwright), ${await page.locator('#train-speed').textContent()} words/s`);

    expect(await page.locator('#train-workers').getAttribute('data-value')).toBe('2');
    expect(await page.locator('#train-warning').isHidden()).toBe(true);
    const speed = Number(await page.locator('#train-speed').getAttribute('data-value'));
    const loss = Number(await page.locator('#train-loss').getAttribute('data-value'));
    expect(speed).toBeGreaterThan(0);
    expect(Number.isFinite(loss) && loss > 0).toBe(true);
    const seen = await page.evaluate(() => (window as unknown as { seen: Array<{ speed?: string; loss?: string; state?: string }> }).seen);
    expect(seen.some((s) => s.state === 'training' && Number(s.speed) > 0)).toBe(true);
    expect(await page.locator('#epoch-losses tbody tr').count()).toBe(2);
    for (const cell of await page.locator('#epoch-losses tbody tr td:nth-child(2)').allTextContents()) expect(Number.isFinite(Number(cell))).toBe(true);
    expect(Number(await page.locator('#train-progress').evaluate((p) => (p as HTMLProgressElement).value))).toBe(1);

    // explore the result: a third column beside the served model, answered in the page
    await page.locator('#explore-trained').click();
    expect(await page.locator('#panel-explore').isVisible()).toBe(true);
    await page.locator('#word-input').fill('three');
    await page.locator('#word-input').press('Enter');
    await page.waitForSelector('#neighbours[data-word="three"] .column[data-model="1"] li');
    expect(await page.locator('#neighbours .column[data-model="0"] .error').textContent()).toBe('word not in vocabulary: "three"');
    expect(await page.locator('#neighbours .column[data-model="1"] h3').textContent()).toBe('trained in the page (text8-sample.txt.gz)');
    const direct = await page.evaluate(() =>
      (window as unknown as ExplorerHook).wasm2vecExplorer.trainedModel!.mostSimilar('three', { topN: 10 }).map((r) => ({ word: r.word, score: r.score.toFixed(4) })),
    );
    expect(direct).toHaveLength(10);
    expect(await shownNeighbours(page, 1)).toEqual(direct);
    // the model learned something: numbers near "three"
    const numbers = ['one', 'two', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'zero'];
    expect(direct.filter((r) => numbers.includes(r.word)).length).toBeGreaterThanOrEqual(2);

    // download .vec (on the train tab): Node.js reads the same words and vectors (5 significant digits)
    await page.locator('#tab-train').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-vec').click()]);
    const vecPath = join(dir.path, 'trained.vec');
    await download.saveAs(vecPath);
    const inPage = await page.evaluate(() => {
      const m = (window as unknown as ExplorerHook).wasm2vecExplorer.trainedModel!;
      return { size: m.size, dim: m.dim, words: m.words.slice(0, 50), head: Array.from(m.vectors.subarray(0, 50 * m.dim)) };
    });
    const node = await KeyedVectors.load(vecPath);
    expect(node.size).toBe(inPage.size);
    expect(node.dim).toBe(24);
    expect(node.words.slice(0, 50)).toEqual(inPage.words);
    inPage.head.forEach((x, i) => expect(Math.abs(node.vectors[i] - x)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(x))));
  }, 240_000);

  it('Stop aborts a run: "stopped" within seconds, and the page stays usable', async () => {
    await trainTabByKeyboard();
    await page.locator('#train-epochs').fill('100');
    await page.locator('#train-start').click();
    await page.waitForSelector('#train-state[data-state="training"]', { timeout: 60_000 });
    await page.waitForFunction(() => Number(document.getElementById('train-progress')?.getAttribute('value') ?? (document.getElementById('train-progress') as HTMLProgressElement).value) > 0, undefined, { timeout: 60_000 });
    const stopped = Date.now();
    await page.locator('#train-stop').click();
    await page.waitForSelector('#train-state[data-state="stopped"]', { timeout: 10_000 });
    const ms = Date.now() - stopped;
    console.log(`train tab: stopped ${ms} ms after the click on Stop`);
    expect(ms).toBeLessThan(3000);
    expect(await page.locator('#train-state').textContent()).toContain('Stopped');
    expect(await page.locator('#train-start').isEnabled()).toBe(true);
    expect(await page.locator('#train-stop').isDisabled()).toBe(true);
    // the earlier model is still explored, and queries still answer
    await page.locator('#tab-explore').click();
    await page.locator('#word-input').fill('four');
    await page.locator('#word-input').press('Enter');
    await page.waitForSelector('#neighbours[data-word="four"] .column[data-model="1"] li');
  }, 120_000);

  it('a page that is not cross-origin isolated says so and shows the one worker it trained on', async () => {
    // the same server, its COOP/COEP headers removed on the way to a second page
    const context = await browser.newContext();
    await context.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = response.headers();
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    });
    const plain = await context.newPage();
    const errors: string[] = [];
    plain.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    plain.on('pageerror', (error) => errors.push(error.message));
    try {
      await plain.goto(server.url);
      await plain.waitForSelector('body[data-ready="true"]');
      expect(await plain.evaluate(() => globalThis.crossOriginIsolated)).toBe(false);
      await plain.locator('#tab-train').click();
      await plain.locator('#corpus-file').setInputFiles(SAMPLE_CORPUS);
      await plain.locator('#train-dim').fill('8');
      await plain.locator('#train-epochs').fill('1');
      await plain.locator('#train-threads').fill('2');
      await plain.locator('#train-start').click();
      await plain.waitForSelector('#train-state[data-state="done"], #train-state[data-state="failed"]', { timeout: 120_000 });
      expect(await plain.locator('#train-state').textContent()).toMatch(/^Done: /);
      expect(await plain.locator('#train-workers').getAttribute('data-value')).toBe('1');
      expect(await plain.locator('#train-workers').textContent()).toContain('not cross-origin isolated');
      expect(await plain.locator('#train-warning').isVisible()).toBe(true);
      expect(await plain.locator('#train-warning').textContent()).toContain('Cross-Origin-Embedder-Policy: require-corp');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('the UMAP map draws every model\'s points; clicking one explores it', async () => {
    await page.locator('#tab-explore').click();
    await page.locator('#map-size').fill('150');
    await page.locator('#map-method').selectOption('umap');
    await page.waitForSelector('#maps .column[data-model="1"] svg[data-method="umap"]', { timeout: 60_000 });
    expect(await page.locator('#maps svg[data-method="umap"]').count()).toBe(2);
    expect(await page.locator('#maps .column[data-model="0"] g.point').count()).toBe(150);
    expect(await page.locator('#maps .column[data-model="1"] g.point').count()).toBe(150);
    expect(await page.locator('#maps .column[data-model="1"] .caption').textContent()).toMatch(/^UMAP of the 150 most frequent words/);
    console.log(`UMAP map of 150 words, both models: ${await page.locator('#map-status').getAttribute('data-ms')} ms in the page`);
    // the same map again: the same coordinates (seeded)
    const before = await page.locator('#maps .column[data-model="1"] g.point').evaluateAll((gs) => gs.map((g) => g.getAttribute('transform')));
    await page.locator('#map-form button[type="submit"]').click();
    await page.waitForFunction(() => !document.getElementById('maps')!.hasAttribute('aria-busy'));
    expect(await page.locator('#maps .column[data-model="1"] g.point').evaluateAll((gs) => gs.map((g) => g.getAttribute('transform')))).toEqual(before);

    // click a point of the trained model's map (the word actually under the mouse)
    await page.locator('#maps .column[data-model="1"] svg').scrollIntoViewIfNeeded();
    const target = await page.evaluate(() => {
      const current = (document.getElementById('word-input') as HTMLInputElement).value;
      for (const g of [...document.querySelectorAll<SVGGElement>('#maps .column[data-model="1"] g.point')].slice(10)) {
        const box = g.querySelector('circle')!.getBoundingClientRect();
        const x = box.x + box.width / 2;
        const y = box.y + box.height / 2;
        if (y < 0 || y >= innerHeight || x < 0 || x >= innerWidth) continue;
        const hit = document.elementFromPoint(x, y)?.closest<SVGGElement>('g.point');
        if (hit && hit.dataset.word !== current) return { x, y, word: hit.dataset.word! };
      }
      return undefined;
    });
    expect(target).toBeDefined();
    await page.mouse.click(target!.x, target!.y);
    await page.waitForSelector(`#neighbours[data-word="${target!.word}"] .column[data-model="1"] li`);
    expect(await page.locator('#word-input').inputValue()).toBe(target!.word);
    // the neighbourhood map by UMAP, centred on it
    await page.locator('input[name="mode"][value="word"]').check();
    await page.waitForSelector(`#maps .column[data-model="1"] svg[data-method="umap"] g.point.centre[data-word="${target!.word}"]`, { timeout: 60_000 });
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});

// The explorer page of `wasm2vec serve`: plain DOM code, no framework, bundled by esbuild into
// dist/explorer/explorer.js. It fills the shell of src/serve/html.ts from the server's JSON API
// (src/serve/server.ts): completion, neighbours, analogies and a 2-D map (PCA or UMAP) per model,
// side by side when two models are served. The Train tab trains a model in the page with the
// browser build (served under /browser/ and imported as an ES module when first needed, not bundled
// here); the result joins the served models as one more column, its answers computed in the page by
// the same query functions as the server's (src/serve/queries.ts, exported by the browser build).
// Everything works from the keyboard: the tabs (arrows, Home, End), the word box is a combobox
// (arrows, Enter, Escape), and every map point is a focusable button.
import type * as Engine from '../../dist/src/browser/index.js';

interface ModelSummary {
  name: string;
  words: number;
  dim: number;
}
interface ScoredWord {
  word: string;
  score: number;
}
interface MapPoint {
  word: string;
  x: number;
  y: number;
  score?: number;
}
type MapMethod = 'pca' | 'umap';
interface WordMap {
  word?: string;
  method: MapMethod;
  points: MapPoint[];
  explained?: [number, number];
}
type PerModel<T> = { model: string; results: T } | { model: string; error: string };
interface Answer<T> {
  models: PerModel<T>[];
}

const SVG = 'http://www.w3.org/2000/svg';
const MAP_WIDTH = 640;
const MAP_HEIGHT = 480;
const MAP_MARGIN = 16;
/** Room on the right for the labels, which are drawn to the right of their point. */
const LABEL_ROOM = 72;
/** Neighbours drawn around the current word in a neighbourhood map. */
const NEIGHBOURHOOD_SIZE = 40;
/** The most words each map method draws (the server's LIMITS.map and LIMITS.umap). */
const MAP_MAX: Record<MapMethod, number> = { pca: 5000, umap: 2000 };

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const models = JSON.parse(byId('models').textContent ?? '[]') as ModelSummary[];

const wordInput = byId<HTMLInputElement>('word-input');
const topInput = byId<HTMLInputElement>('top-input');
const completionList = byId<HTMLUListElement>('completions');
const neighboursBox = byId<HTMLDivElement>('neighbours');
const neighboursStatus = byId<HTMLParagraphElement>('neighbours-status');
const analogyForm = byId<HTMLFormElement>('analogy-form');
const analogyBox = byId<HTMLDivElement>('analogy-results');
const analogyStatus = byId<HTMLParagraphElement>('analogy-status');
const mapForm = byId<HTMLFormElement>('map-form');
const mapSize = byId<HTMLInputElement>('map-size');
const mapMethod = byId<HTMLSelectElement>('map-method');
const mapsBox = byId<HTMLDivElement>('maps');
const mapStatus = byId<HTMLParagraphElement>('map-status');

let currentWord = '';

async function api<T>(name: string, params: Record<string, string | number | undefined>): Promise<T> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, String(value));
  const response = await fetch(`/api/${name}?${query}`);
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}

/** The model trained in this page (Train tab), asked in the page beside the served ones. */
let trained: { name: string; model: Engine.KeyedVectors } | undefined;
let engine: typeof Engine | undefined;

/**
 * Asks the server about its models and, when there is one, the model trained in the page, with the
 * same question (`local`, one of the browser build's query functions): one answer, one column each.
 */
async function ask<T>(name: string, params: Record<string, string | number | undefined>, local: (e: typeof Engine, model: Engine.KeyedVectors) => T): Promise<Answer<T>> {
  const answer = await api<Answer<T>>(name, params);
  if (trained && engine) {
    try {
      answer.models.push({ model: trained.name, results: local(engine, trained.model) });
    } catch (error) {
      if (!(error instanceof engine.Wasm2VecError)) throw error;
      answer.models.push({ model: trained.name, error: error.message });
    }
  }
  return answer;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** One column per model, headed by its name, with `fill` drawing its answer (or its error). */
function renderColumns<T>(box: HTMLElement, answer: Answer<T>, fill: (column: HTMLElement, results: T) => void): void {
  box.replaceChildren(
    ...answer.models.map((m, i) => {
      const column = element('div', 'column');
      column.dataset.model = String(i);
      if (answer.models.length > 1) column.append(element('h3', undefined, m.model));
      if ('error' in m) column.append(element('p', 'error', m.error));
      else fill(column, m.results);
      return column;
    }),
  );
}

function wordButton(word: string): HTMLButtonElement {
  const button = element('button', 'word', word);
  button.type = 'button';
  button.addEventListener('click', () => void explore(word));
  return button;
}

function scoredList(column: HTMLElement, results: ScoredWord[]): void {
  if (results.length === 0) {
    column.append(element('p', 'empty', '(no results)'));
    return;
  }
  const list = element('ol', 'scored');
  for (const r of results) {
    const item = element('li');
    item.append(wordButton(r.word), element('span', 'score', r.score.toFixed(4)));
    list.append(item);
  }
  column.append(list);
}

function showError(status: HTMLElement, error: unknown): void {
  status.textContent = error instanceof Error ? error.message : String(error);
  status.classList.add('error');
}

function showStatus(status: HTMLElement, text: string, ms: number): void {
  status.textContent = text;
  status.classList.remove('error');
  status.dataset.ms = ms.toFixed(1);
}

/** Shows the neighbours of `word` (and its neighbourhood on the map, in that mode). */
async function explore(word: string): Promise<void> {
  word = word.trim();
  if (word.length === 0) return;
  currentWord = word;
  wordInput.value = word;
  closeCompletions();
  history.replaceState(null, '', `#${encodeURIComponent(word)}`);
  const top = Number(topInput.value) || 10;
  const started = performance.now();
  try {
    const answer = await ask<ScoredWord[]>('neighbours', { word, top }, (e, model) => e.neighbours(model, word, top));
    if (word !== currentWord) return;
    renderColumns(neighboursBox, answer, scoredList);
    const ms = performance.now() - started;
    showStatus(neighboursStatus, `Neighbours of “${word}” (${ms.toFixed(1)} ms)`, ms);
    neighboursBox.dataset.word = word;
  } catch (error) {
    showError(neighboursStatus, error);
  }
  if (mapMode() === 'word') await drawMap();
  else highlight(word);
}

// ---- completion (an ARIA 1.2 combobox with a listbox popup) ----

let completionRequest = 0;
let activeOption = -1;

function closeCompletions(): void {
  completionRequest++;
  completionList.hidden = true;
  completionList.replaceChildren();
  wordInput.setAttribute('aria-expanded', 'false');
  wordInput.removeAttribute('aria-activedescendant');
  activeOption = -1;
}

function setActive(index: number): void {
  const options = [...completionList.children] as HTMLElement[];
  if (options.length === 0) return;
  activeOption = (index + options.length) % options.length;
  options.forEach((option, i) => option.setAttribute('aria-selected', String(i === activeOption)));
  wordInput.setAttribute('aria-activedescendant', options[activeOption].id);
  options[activeOption].scrollIntoView({ block: 'nearest' });
}

async function updateCompletions(): Promise<void> {
  const prefix = wordInput.value.trim();
  const request = ++completionRequest;
  if (prefix.length === 0) {
    closeCompletions();
    return;
  }
  let answer: Answer<string[]>;
  try {
    answer = await ask<string[]>('complete', { prefix, limit: 8 }, (e, model) => e.complete(model, prefix, 8));
  } catch {
    return;
  }
  if (request !== completionRequest) return;
  // the first model's completions first, then the other's new ones
  const words = [...new Set(answer.models.flatMap((m) => ('error' in m ? [] : m.results)))].slice(0, 10);
  completionList.replaceChildren(
    ...words.map((word, i) => {
      const option = element('li', undefined, word);
      option.id = `completion-${i}`;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      // mousedown, not click: the input keeps focus
      option.addEventListener('mousedown', (event) => {
        event.preventDefault();
        void explore(word);
      });
      return option;
    }),
  );
  activeOption = -1;
  wordInput.removeAttribute('aria-activedescendant');
  completionList.hidden = words.length === 0;
  wordInput.setAttribute('aria-expanded', String(words.length > 0));
}

wordInput.addEventListener('input', () => void updateCompletions());
wordInput.addEventListener('blur', () => setTimeout(closeCompletions, 100));
wordInput.addEventListener('keydown', (event) => {
  const open = !completionList.hidden;
  if (event.key === 'ArrowDown' && open) {
    event.preventDefault();
    setActive(activeOption + 1);
  } else if (event.key === 'ArrowUp' && open) {
    event.preventDefault();
    setActive(activeOption - 1);
  } else if (event.key === 'Escape' && open) {
    event.preventDefault();
    closeCompletions();
  } else if (event.key === 'Enter' && open && activeOption >= 0) {
    event.preventDefault();
    void explore(completionList.children[activeOption].textContent ?? '');
  }
});
byId<HTMLFormElement>('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void explore(wordInput.value);
});

// ---- analogies ----

analogyForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(analogyForm);
  const [a, b, c] = ['a', 'b', 'c'].map((k) => String(data.get(k) ?? '').trim());
  const started = performance.now();
  try {
    const method = String(data.get('method')) as '3cosadd' | '3cosmul';
    const top = Number(topInput.value) || 10;
    const answer = await ask<ScoredWord[]>('analogy', { a, b, c, method, top }, (e, model) => e.analogy(model, a, b, c, method, top));
    renderColumns(analogyBox, answer, scoredList);
    const ms = performance.now() - started;
    showStatus(analogyStatus, `${a} : ${b} :: ${c} : ? (${ms.toFixed(1)} ms)`, ms);
  } catch (error) {
    showError(analogyStatus, error);
  }
});

// ---- the map ----

function mapMode(): 'frequent' | 'word' {
  return (new FormData(mapForm).get('mode') as 'frequent' | 'word' | null) ?? 'frequent';
}

function svgElement<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

function drawPoints(column: HTMLElement, map: WordMap): void {
  const xs = map.points.map((p) => p.x);
  const ys = map.points.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (MAP_WIDTH - 2 * MAP_MARGIN - LABEL_ROOM) / (x1 - x0 || 1);
  const sy = (MAP_HEIGHT - 2 * MAP_MARGIN) / (y1 - y0 || 1);
  const title = map.word === undefined ? `the ${map.points.length} most frequent words` : `“${map.word}” and its ${map.points.length - 1} nearest neighbours`;
  const svg = svgElement('svg', { viewBox: `0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`, class: 'map', role: 'group', 'aria-label': `Map of ${title}` });
  // one tab stop per map (the centre word, or the first): arrows move between points (roving tabindex)
  const placed: Array<{ g: SVGGElement; x: number; y: number }> = [];
  map.points.forEach((p, index) => {
    const x = MAP_MARGIN + (p.x - x0) * sx;
    // screen y grows downwards
    const y = MAP_HEIGHT - MAP_MARGIN - (p.y - y0) * sy;
    const label = p.score === undefined ? p.word : `${p.word} (${p.score.toFixed(4)})`;
    const g = svgElement('g', { class: 'point', transform: `translate(${x.toFixed(1)},${y.toFixed(1)})`, tabindex: index === 0 ? 0 : -1, role: 'button', 'aria-label': label });
    g.dataset.word = p.word;
    if (p.word === map.word) g.classList.add('centre');
    g.append(svgElement('circle', { r: 3 }), svgElement('text', { x: 5, y: 3 }));
    (g.lastChild as SVGTextElement).textContent = p.word;
    g.addEventListener('click', () => void explore(p.word));
    g.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        void explore(p.word);
        return;
      }
      const direction = ARROWS[event.key];
      if (!direction) return;
      event.preventDefault();
      const next = nearestInDirection(placed, placed[index], direction);
      if (!next) return;
      g.setAttribute('tabindex', '-1');
      next.g.setAttribute('tabindex', '0');
      next.g.focus();
    });
    placed.push({ g, x, y });
    svg.append(g);
  });
  const caption = element(
    'p',
    'caption',
    map.explained
      ? `PCA of ${title}: the axes explain ${(100 * map.explained[0]).toFixed(1)} % and ${(100 * map.explained[1]).toFixed(1)} % of the variance`
      : `UMAP of ${title} (seeded: the same words give the same map; distances between clusters mean little)`,
  );
  svg.dataset.method = map.method;
  column.append(svg, caption);
}

/** Screen directions of the arrow keys (y grows downwards). */
const ARROWS: Record<string, [number, number]> = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** The point closest to `from` in a direction, sideways distance counting double; undefined at the edge. */
function nearestInDirection<P extends { x: number; y: number }>(points: P[], from: P, [dx, dy]: [number, number]): P | undefined {
  let best: P | undefined;
  let bestCost = Infinity;
  for (const p of points) {
    const along = (p.x - from.x) * dx + (p.y - from.y) * dy;
    if (p === from || along <= 0) continue;
    const cost = along + 2 * Math.abs((p.x - from.x) * dy - (p.y - from.y) * dx);
    if (cost < bestCost) {
      bestCost = cost;
      best = p;
    }
  }
  return best;
}

/** Marks the current word on every map. */
function highlight(word: string): void {
  for (const g of mapsBox.querySelectorAll<SVGGElement>('g.point')) g.classList.toggle('current', g.dataset.word === word);
}

/** Counts map requests: only the latest one draws (a slow UMAP answer must not replace a newer map). */
let mapRequest = 0;

async function drawMap(): Promise<void> {
  const byWord = mapMode() === 'word';
  if (byWord && currentWord === '') {
    showStatus(mapStatus, 'Explore a word first: its neighbourhood is drawn here.', 0);
    return;
  }
  const method = mapMethod.value as MapMethod;
  const size = byWord ? NEIGHBOURHOOD_SIZE : Math.min(Number(mapSize.value) || 300, MAP_MAX[method]);
  const word = byWord ? currentWord : undefined;
  const request = ++mapRequest;
  const started = performance.now();
  showStatus(mapStatus, method === 'umap' ? `Drawing the UMAP map of ${size} words…` : 'Drawing…', 0);
  mapsBox.setAttribute('aria-busy', 'true');
  // let the status paint before a UMAP layout of the page's own model holds the thread
  await new Promise((resolve) => setTimeout(resolve, 0));
  try {
    const answer = await ask<WordMap>('map', { size, word, method }, (e, model) => e.wordMap(model, size, word, method));
    if (request !== mapRequest) return;
    renderColumns(mapsBox, answer, drawPoints);
    highlight(currentWord);
    const ms = performance.now() - started;
    showStatus(mapStatus, `Map drawn in ${ms.toFixed(0)} ms. Click a word to explore from it (keyboard: Tab to the map, arrows, Enter).`, ms);
  } catch (error) {
    if (request === mapRequest) showError(mapStatus, error);
  } finally {
    if (request === mapRequest) mapsBox.removeAttribute('aria-busy');
  }
}

mapForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void drawMap();
});
for (const radio of mapForm.querySelectorAll<HTMLInputElement>('input[name="mode"]')) radio.addEventListener('change', () => void drawMap());
mapMethod.addEventListener('change', () => {
  mapSize.max = String(MAP_MAX[mapMethod.value as MapMethod]);
  void drawMap();
});


// ---- tabs (WAI-ARIA tabs pattern: one tab stop, arrows/Home/End move and select) ----

const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];

function selectTab(tab: HTMLButtonElement, focus = true): void {
  for (const t of tabs) {
    const selected = t === tab;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    byId(t.getAttribute('aria-controls')!).hidden = !selected;
  }
  if (focus) tab.focus();
}

for (const [index, tab] of tabs.entries()) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    const target = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    selectTab(tabs[(target + tabs.length) % tabs.length]);
  });
}

// ---- the train tab: a corpus, options, live progress, then the result joins the explorer ----

const ENGINE_URL = new URL('/browser/wasm2vec.js', location.href).href;
const SAMPLE_URL = '/sample/text8-sample.txt.gz';
/** In-page subword models: fastText's n-grams 3–6, in fewer buckets than its 2 000 000 (which would take 800 MB at dimension 100). */
const PAGE_SUBWORD_BUCKETS = 200_000;
/** More workers than this rarely pay on a corpus small enough to train in a page. */
const MAX_DEFAULT_THREADS = 8;

const trainForm = byId<HTMLFormElement>('train-form');
const startButton = byId<HTMLButtonElement>('train-start');
const stopButton = byId<HTMLButtonElement>('train-stop');
const corpusStatus = byId<HTMLParagraphElement>('corpus-status');
const dropZone = byId<HTMLDivElement>('drop-zone');
const trainState = byId<HTMLParagraphElement>('train-state');
const trainWarning = byId<HTMLParagraphElement>('train-warning');
const progressBar = byId<HTMLProgressElement>('train-progress');
const progressText = byId<HTMLSpanElement>('train-progress-text');
const speedFigure = byId<HTMLElement>('train-speed');
const lossFigure = byId<HTMLElement>('train-loss');
const workersFigure = byId<HTMLElement>('train-workers');
const epochTable = byId<HTMLTableElement>('epoch-losses');
const resultBox = byId<HTMLDivElement>('train-result');
const downloadLink = byId<HTMLAnchorElement>('download-vec');

let corpus: { name: string; data: Blob } | undefined;
let running: AbortController | undefined;

/** For scripts and tests driving the page: the model trained in it (the browser build's KeyedVectors), once there is one. */
(globalThis as unknown as { wasm2vecExplorer: object }).wasm2vecExplorer = {
  get trainedModel() {
    return trained?.model;
  },
};

byId<HTMLInputElement>('train-threads').value = String(Math.max(1, Math.min(navigator.hardwareConcurrency || 1, MAX_DEFAULT_THREADS)));

async function loadEngine(): Promise<typeof Engine> {
  engine ??= (await import(ENGINE_URL)) as typeof Engine;
  return engine;
}

function setCorpus(name: string, data: Blob): void {
  corpus = { name, data };
  corpusStatus.textContent = `Corpus: ${name} (${(data.size / 1e6).toFixed(2)} MB${/\.gz$/i.test(name) ? ', gzip' : ''}).`;
  corpusStatus.classList.remove('error');
  startButton.disabled = running !== undefined;
}

byId<HTMLInputElement>('corpus-file').addEventListener('change', (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file) setCorpus(file.name, file);
});
// the whole tab takes the drop, so a file that misses the zone does not replace the page
const trainPanel = byId<HTMLDivElement>('panel-train');
trainPanel.addEventListener('dragover', (event) => {
  event.preventDefault();
  dropZone.classList.add('over');
});
trainPanel.addEventListener('dragleave', (event) => {
  if (!trainPanel.contains(event.relatedTarget as Node | null)) dropZone.classList.remove('over');
});
trainPanel.addEventListener('drop', (event) => {
  event.preventDefault();
  dropZone.classList.remove('over');
  const file = event.dataTransfer?.files[0];
  if (file) setCorpus(file.name, file);
});
byId<HTMLButtonElement>('use-sample').addEventListener('click', async () => {
  corpusStatus.textContent = 'Fetching the sample…';
  try {
    const response = await fetch(SAMPLE_URL);
    if (!response.ok) throw new Error(`cannot fetch the sample corpus: HTTP ${response.status}`);
    setCorpus('text8-sample.txt.gz', await response.blob());
  } catch (error) {
    showError(corpusStatus, error);
  }
});

function setTrainState(state: 'idle' | 'loading' | 'training' | 'done' | 'stopped' | 'failed', text: string): void {
  trainState.dataset.state = state;
  trainState.textContent = text;
  trainState.classList.toggle('error', state === 'failed');
}

function showFigure(node: HTMLElement, value: number, text: string): void {
  node.dataset.value = String(value);
  node.textContent = text;
}

function formatRate(wordsPerSecond: number): string {
  return Math.round(wordsPerSecond).toLocaleString('en');
}

function onProgress(event: Engine.ProgressEvent): void {
  if (event.phase === 'train') {
    progressBar.value = event.fraction;
    progressText.textContent = `${(100 * event.fraction).toFixed(0)} %${event.epoch ? `, epoch ${event.epoch}` : ''}`;
    if (event.wordsPerSecond !== undefined && event.wordsPerSecond > 0) showFigure(speedFigure, event.wordsPerSecond, formatRate(event.wordsPerSecond));
    if (event.loss !== undefined && Number.isFinite(event.loss)) showFigure(lossFigure, event.loss, event.loss.toFixed(4));
    if (trainState.dataset.state !== 'training') setTrainState('training', 'Training…');
  } else {
    progressText.textContent = `${event.phase}: ${event.words.toLocaleString('en')} words`;
  }
}

function onEpochEnd(event: Engine.EpochEndEvent): void {
  const row = epochTable.tBodies[0].insertRow();
  for (const text of [`${event.epoch} of ${event.epochs}`, event.loss === undefined ? '–' : event.loss.toFixed(4), formatRate(event.wordsPerSecond)]) row.insertCell().textContent = text;
  epochTable.hidden = false;
}

trainForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!corpus || running) return;
  const data = new FormData(trainForm);
  const number = (name: string) => Number(data.get(name));
  const threads = number('threads');
  const controller = new AbortController();
  running = controller;
  startButton.disabled = true;
  stopButton.disabled = false;
  resultBox.hidden = true;
  epochTable.hidden = true;
  epochTable.tBodies[0].replaceChildren();
  progressBar.value = 0;
  progressText.textContent = '0 %';
  for (const figure of [speedFigure, lossFigure]) {
    figure.textContent = '–';
    delete figure.dataset.value;
  }
  workersFigure.textContent = `${threads} requested`;
  trainWarning.hidden = true;
  setTrainState('loading', 'Loading the engine and counting words…');
  const started = performance.now();
  try {
    const wasm2vec = await loadEngine();
    if (!globalThis.crossOriginIsolated && threads > 1) {
      trainWarning.textContent = wasm2vec.NOT_ISOLATED_WARNING;
      trainWarning.hidden = false;
    }
    const model = await wasm2vec.train({
      // a DOM Blob is a BrowserCorpus (src/browser/web.ts types the few Blob methods train() uses, without the DOM library)
      input: corpus.data as unknown as Engine.BrowserCorpus,
      model: data.get('model') === 'cbow' ? 'cbow' : 'skipgram',
      subwords: data.get('subwords') === 'on' ? { buckets: PAGE_SUBWORD_BUCKETS } : false,
      dim: number('dim'),
      epochs: number('epochs'),
      window: number('window'),
      negative: number('negative'),
      minCount: number('minCount'),
      threads,
      signal: controller.signal,
      onProgress,
      // the per-epoch table needs the epoch barrier, which only a cross-origin isolated page has
      ...(globalThis.crossOriginIsolated ? { onEpochEnd } : {}),
    });
    const report = model.report;
    progressBar.value = 1;
    progressText.textContent = '100 %';
    showFigure(speedFigure, report.wordsPerSecond, formatRate(report.wordsPerSecond));
    const lastLoss = report.losses?.at(-1);
    if (lastLoss !== undefined) showFigure(lossFigure, lastLoss, lastLoss.toFixed(4));
    showFigure(workersFigure, report.threads, `${report.threads}${report.crossOriginIsolated ? '' : ' (not cross-origin isolated: one thread)'}`);
    if (!report.crossOriginIsolated) {
      trainWarning.textContent = wasm2vec.NOT_ISOLATED_WARNING;
      trainWarning.hidden = false;
    }
    trained = { name: `trained in the page (${corpus.name})`, model };
    setTrainState('done', `Done: ${model.size.toLocaleString('en')} words, dimension ${model.dim}, ${report.epochsCompleted} epoch${report.epochsCompleted === 1 ? '' : 's'} in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    describeModels();
    if (downloadLink.href.startsWith('blob:')) URL.revokeObjectURL(downloadLink.href);
    downloadLink.href = URL.createObjectURL(await wasm2vec.vectorsBlob(model, { format: 'fasttext-vec' }));
    resultBox.hidden = false;
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') setTrainState('stopped', 'Stopped: the model so far was discarded.');
    else setTrainState('failed', `Training failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    running = undefined;
    stopButton.disabled = true;
    startButton.disabled = corpus === undefined;
  }
});

stopButton.addEventListener('click', () => {
  if (!running) return;
  running.abort();
  setTrainState('training', 'Stopping…');
});

byId<HTMLButtonElement>('explore-trained').addEventListener('click', async () => {
  selectTab(tabs[0]);
  await drawMap();
  if (currentWord) await explore(currentWord);
  else wordInput.focus();
});

// ---- start ----

/** The header's line about the models (the served ones, and the page's own once trained). */
function describeModels(): void {
  const all = [...models, ...(trained ? [{ name: trained.name, words: trained.model.size, dim: trained.model.dim }] : [])];
  byId('model-info').textContent = all.map((m) => `${m.name}: ${m.words.toLocaleString('en')} words, dimension ${m.dim}`).join(' · ');
  document.body.classList.toggle('compare', all.length > 1);
}

describeModels();
const initial = decodeURIComponent(location.hash.slice(1));
void drawMap().then(() => {
  document.body.dataset.ready = 'true';
  if (initial) void explore(initial);
});

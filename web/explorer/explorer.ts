// The explorer page of `wasm2vec serve`: plain DOM code, no framework, bundled by esbuild into
// dist/explorer/explorer.js. It fills the shell of src/serve/html.ts from the server's JSON API
// (src/serve/server.ts): completion, neighbours, analogies and a 2-D map per model, side by side
// when two models are served. Everything works from the keyboard: the word box is a combobox
// (arrows, Enter, Escape), and every map point is a focusable button.

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
interface WordMap {
  word?: string;
  points: MapPoint[];
  explained: [number, number];
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
      if (models.length > 1) column.append(element('h3', undefined, m.model));
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
    const answer = await api<Answer<ScoredWord[]>>('neighbours', { word, top });
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
    answer = await api<Answer<string[]>>('complete', { prefix, limit: 8 });
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
    const answer = await api<Answer<ScoredWord[]>>('analogy', { a, b, c, method: String(data.get('method')), top: Number(topInput.value) || 10 });
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
  const caption = element('p', 'caption', `PCA of ${title}: the axes explain ${(100 * map.explained[0]).toFixed(1)} % and ${(100 * map.explained[1]).toFixed(1)} % of the variance`);
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

async function drawMap(): Promise<void> {
  const byWord = mapMode() === 'word';
  if (byWord && currentWord === '') {
    showStatus(mapStatus, 'Explore a word first: its neighbourhood is drawn here.', 0);
    return;
  }
  const size = byWord ? NEIGHBOURHOOD_SIZE : Number(mapSize.value) || 300;
  const started = performance.now();
  try {
    const answer = await api<Answer<WordMap>>('map', { size, word: byWord ? currentWord : undefined });
    renderColumns(mapsBox, answer, drawPoints);
    highlight(currentWord);
    const ms = performance.now() - started;
    showStatus(mapStatus, `Map drawn in ${ms.toFixed(0)} ms. Click a word to explore from it (keyboard: Tab to the map, arrows, Enter).`, ms);
  } catch (error) {
    showError(mapStatus, error);
  }
}

mapForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void drawMap();
});
for (const radio of mapForm.querySelectorAll<HTMLInputElement>('input[name="mode"]')) radio.addEventListener('change', () => void drawMap());

// ---- start ----

byId('model-info').textContent = models.map((m) => `${m.name}: ${m.words.toLocaleString('en')} words, dimension ${m.dim}`).join(' · ');
if (models.length > 1) document.body.classList.add('compare');
const initial = decodeURIComponent(location.hash.slice(1));
void drawMap().then(() => {
  document.body.dataset.ready = 'true';
  if (initial) void explore(initial);
});

// The explorer's HTML shell: the forms and regions the page script (web/explorer/, bundled into
// dist/explorer/explorer.js) fills in, with every control labelled, in two tabs (WAI-ARIA tabs):
// Explore (neighbours, analogies, the map) and Train (a corpus, options, live progress). The models'
// names and sizes are embedded as JSON, so the page can draw its first map without asking for them.

export interface ModelSummary {
  name: string;
  words: number;
  dim: number;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function explorerHtml(models: ModelSummary[]): string {
  const title = `wasm2vec explorer: ${models.map((m) => m.name).join(' vs ')}`;
  // "<" escaped so no model name can close the script element
  const data = JSON.stringify(models).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/explorer.css">
<script type="application/json" id="models">${data}</script>
<script type="module" src="/explorer.js"></script>
</head>
<body>
<header>
  <h1>wasm2vec explorer</h1>
  <p id="model-info"></p>
  <div role="tablist" aria-label="Explorer" class="tabs">
    <button type="button" role="tab" id="tab-explore" aria-controls="panel-explore" aria-selected="true">Explore</button>
    <button type="button" role="tab" id="tab-train" aria-controls="panel-train" aria-selected="false" tabindex="-1">Train</button>
  </div>
</header>
<main>
<div id="panel-explore" role="tabpanel" aria-labelledby="tab-explore" class="explore-panel">
  <div class="side">
    <section aria-labelledby="search-heading">
      <h2 id="search-heading">Nearest neighbours</h2>
      <form id="search-form" role="search" autocomplete="off">
        <label for="word-input">Word</label>
        <div class="combo">
          <input id="word-input" name="word" type="text" role="combobox" aria-autocomplete="list" aria-expanded="false"
            aria-controls="completions" spellcheck="false" autocapitalize="off">
          <ul id="completions" role="listbox" aria-label="Completions" hidden></ul>
        </div>
        <label for="top-input">Top</label>
        <input id="top-input" name="top" type="number" min="1" max="100" value="10">
        <button type="submit">Explore</button>
      </form>
      <p id="neighbours-status" class="status" role="status" aria-live="polite"></p>
      <div id="neighbours" class="columns"></div>
    </section>
    <section aria-labelledby="analogy-heading">
      <h2 id="analogy-heading">Analogy</h2>
      <form id="analogy-form" autocomplete="off">
        <label for="analogy-a">A</label><input id="analogy-a" name="a" type="text" spellcheck="false" value="man" required>
        <span aria-hidden="true">:</span>
        <label for="analogy-b">B</label><input id="analogy-b" name="b" type="text" spellcheck="false" value="king" required>
        <span aria-hidden="true">::</span>
        <label for="analogy-c">C</label><input id="analogy-c" name="c" type="text" spellcheck="false" value="woman" required>
        <span aria-hidden="true">: ?</span>
        <label for="analogy-method">Method</label>
        <select id="analogy-method" name="method"><option value="3cosadd">3CosAdd</option><option value="3cosmul">3CosMul</option></select>
        <button type="submit">Solve</button>
      </form>
      <p id="analogy-status" class="status" role="status" aria-live="polite"></p>
      <div id="analogy-results" class="columns"></div>
    </section>
  </div>
  <section class="map-panel" aria-labelledby="map-heading">
    <h2 id="map-heading">Map</h2>
    <form id="map-form">
      <fieldset>
        <legend>Show</legend>
        <label><input type="radio" name="mode" value="frequent" checked> the most frequent words:</label>
        <label for="map-size" class="visually-hidden">How many words</label>
        <input id="map-size" name="size" type="number" min="2" max="5000" value="300">
        <label><input type="radio" name="mode" value="word"> the neighbourhood of the current word</label>
        <label for="map-method">drawn by</label>
        <select id="map-method" name="method" aria-describedby="map-method-help">
          <option value="pca">PCA</option><option value="umap">UMAP</option>
        </select>
        <button type="submit">Draw</button>
      </fieldset>
      <p id="map-method-help" class="help">PCA: the two directions of largest variance, instant. UMAP: keeps each word's near neighbours near (seeded, so the same map every time); up to 2000 words, about a second per few hundred.</p>
    </form>
    <p id="map-status" class="status" role="status" aria-live="polite"></p>
    <div id="maps" class="columns"></div>
  </section>
</div>
<div id="panel-train" role="tabpanel" aria-labelledby="tab-train" class="train-panel" hidden>
  <section aria-labelledby="corpus-heading">
    <h2 id="corpus-heading">Corpus</h2>
    <div id="drop-zone" class="drop-zone">Drop a text file here (UTF-8 text, or gzip)</div>
    <div class="corpus-choices">
      <label for="corpus-file">or choose a file</label>
      <input id="corpus-file" type="file" accept=".txt,.gz,text/plain,application/gzip">
      <button type="button" id="use-sample">Use the bundled sample</button>
    </div>
    <p id="corpus-status" class="status" role="status" aria-live="polite">No corpus chosen yet.</p>
  </section>
  <section aria-labelledby="train-options-heading">
    <h2 id="train-options-heading">Model and options</h2>
    <form id="train-form" class="train-form" autocomplete="off">
      <label for="train-model">Model</label>
      <select id="train-model" name="model"><option value="skipgram">skip-gram</option><option value="cbow">CBOW</option></select>
      <label for="train-subwords">Subwords (fastText n-grams)</label>
      <input id="train-subwords" name="subwords" type="checkbox">
      <label for="train-dim">Dimension</label>
      <input id="train-dim" name="dim" type="number" min="2" max="1000" value="100" required>
      <label for="train-epochs">Epochs</label>
      <input id="train-epochs" name="epochs" type="number" min="1" max="100" value="5" required>
      <label for="train-window">Window</label>
      <input id="train-window" name="window" type="number" min="1" max="50" value="5" required>
      <label for="train-negative">Negative samples</label>
      <input id="train-negative" name="negative" type="number" min="1" max="50" value="5" required>
      <label for="train-min-count">Min count</label>
      <input id="train-min-count" name="minCount" type="number" min="1" max="1000000" value="5" required>
      <label for="train-threads">Threads</label>
      <input id="train-threads" name="threads" type="number" min="1" max="64" value="1" required>
      <div class="buttons">
        <button type="submit" id="train-start" disabled>Start</button>
        <button type="button" id="train-stop" disabled>Stop</button>
      </div>
    </form>
  </section>
  <section aria-labelledby="train-progress-heading" class="train-progress">
    <h2 id="train-progress-heading">Progress</h2>
    <p id="train-state" class="status" role="status" aria-live="polite" data-state="idle">Choose a corpus, then Start.</p>
    <p id="train-warning" class="error" role="alert" hidden></p>
    <label for="train-progress">Training</label>
    <progress id="train-progress" max="1" value="0" aria-describedby="train-progress-text"></progress>
    <span id="train-progress-text">0 %</span>
    <dl class="figures">
      <dt>Words/s</dt><dd id="train-speed">–</dd>
      <dt>Loss</dt><dd id="train-loss">–</dd>
      <dt>Workers</dt><dd id="train-workers">–</dd>
    </dl>
    <table id="epoch-losses" hidden>
      <caption>Loss per epoch</caption>
      <thead><tr><th scope="col">Epoch</th><th scope="col">Loss</th><th scope="col">Words/s</th></tr></thead>
      <tbody></tbody>
    </table>
    <div id="train-result" hidden>
      <button type="button" id="explore-trained">Explore the result</button>
      <a id="download-vec" href="#" download="trained.vec">Download .vec</a>
    </div>
  </section>
</div>
</main>
</body>
</html>
`;
}

// The explorer's HTML shell: the forms and regions the page script (web/explorer/, bundled into
// dist/explorer/explorer.js) fills in, with every control labelled. The models' names and sizes are
// embedded as JSON, so the page can draw its first map without asking for them.

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
</header>
<main>
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
        <button type="submit">Draw</button>
      </fieldset>
    </form>
    <p id="map-status" class="status" role="status" aria-live="polite"></p>
    <div id="maps" class="columns"></div>
  </section>
</main>
</body>
</html>
`;
}

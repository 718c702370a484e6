// `wasm2vec serve MODEL [MODEL2]`: loads one or two models once, then serves the explorer page and
// its JSON API (src/serve/) until SIGINT or SIGTERM, which close the server and exit 0.
import { basename } from 'node:path';
import { Wasm2VecError } from '../../errors.js';
import { createExplorerServer, listen, loadExplorerAssets } from '../../serve/server.js';
import type { ServedModel } from '../../serve/queries.js';
import { interruptSignal } from '../interrupt.js';
import { processIO, type CommandIO } from '../io.js';
import { MODEL_OPTIONS, MODEL_OPTIONS_HELP, loadModel, parseQueryCommand } from '../query.js';

export const SERVE_USAGE = `usage: wasm2vec serve MODEL [MODEL2] [options]

Serves a page to explore a model in the browser: search with completion, nearest neighbours with
scores, analogies, and a 2-D map (PCA or UMAP) of the most frequent words or of a word's
neighbourhood; click a word to explore from it. With MODEL2, every answer is shown for both models
side by side. The page's Train tab trains another model in the page (a dropped text file or the
bundled sample) and explores it beside them. Stop with Ctrl-C. Every response is sent with
COOP/COEP (the page is cross-origin isolated, so in-page training runs on several workers).

  --port N              port to listen on, default 8080 (0: any free port)
  --host H              address to listen on, default 127.0.0.1 (this machine only)
${MODEL_OPTIONS_HELP}
                        (--format and --limit apply to both models)
  -h, --help            show this help`;

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  ...MODEL_OPTIONS,
} as const;

export async function run(argv: string[], io: CommandIO = processIO, signal: AbortSignal = interruptSignal()): Promise<number> {
  const parsed = parseQueryCommand(argv, OPTIONS, SERVE_USAGE, io);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length < 1 || positionals.length > 2) {
    throw new Wasm2VecError(`expected MODEL or MODEL MODEL2, got ${positionals.length} argument(s)\n\n${SERVE_USAGE}`);
  }
  const port = portOption(values.port);
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw new Wasm2VecError('option --host must not be empty: give an address such as 127.0.0.1');
  // the page assets first: a missing build is reported before a long model load
  const assets = loadExplorerAssets();
  const models: ServedModel[] = [];
  for (const path of positionals) {
    const model = await loadModel(path, values.format, values.limit);
    if (model.size === 0) throw new Wasm2VecError(`${path}: the model has no words to explore`);
    // builds the normalised index now, so the first query in the page is as fast as the others
    model.unitVector(model.words[0]);
    models.push({ name: basename(path), path, model });
  }
  if (models.length === 2 && models[0].name === models[1].name) {
    models[0].name = positionals[0];
    models[1].name = positionals[1];
  }
  if (signal.aborted) return 0;
  const server = createExplorerServer(models, { host, assets });
  const url = await listen(server, port, host);
  for (const m of models) io.stderr.write(`${m.name}: ${m.model.size} words, dimension ${m.model.dim}\n`);
  io.stdout.write(`wasm2vec serve: exploring at ${url} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  io.stderr.write('wasm2vec serve: stopped\n');
  return 0;
}

function portOption(text: string | undefined): number {
  if (text === undefined) return 8080;
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port > 65535) {
    throw new Wasm2VecError(`option --port must be an integer from 0 to 65535, got "${text}"`);
  }
  return port;
}

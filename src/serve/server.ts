// `wasm2vec serve`'s HTTP server (node:http, no framework): the explorer page, its two bundled
// assets (built by `npm run build:explorer` into dist/explorer/), the browser build (dist/browser/,
// under /browser/) and the bundled sample corpus (under /sample/) for the page's train tab, and a
// JSON API over the loaded models. Every response carries COOP/COEP/CORP, so the page is
// cross-origin isolated (a shared WebAssembly.Memory, for in-page training on several workers) and
// loads nothing from other origins.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Wasm2VecError } from '../errors.js';
import type { AnalogyMethod } from '../model/index.js';
import { explorerHtml } from './html.js';
import { MAP_METHODS, analogy, complete, neighbours, wordMap, type MapMethod, type ServedModel } from './queries.js';

/** The headers on every response. */
export const SERVE_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
} as const;

/** Bounds of the API's numeric parameters. */
export const LIMITS = {
  top: { min: 1, max: 1000, default: 10 },
  complete: { min: 1, max: 100, default: 8 },
  map: { min: 2, max: 5000, default: 300 },
  /** UMAP costs about a second per few hundred words: fewer than PCA. */
  umap: { min: 3, max: 2000, default: 300 },
} as const;

// src/serve/ (vitest) sits two levels below the root, dist/src/serve/ (built package) three.
const ROOT = new URL(import.meta.url.endsWith('.ts') ? '../../' : '../../../', import.meta.url);
const ASSETS_DIR = new URL('dist/explorer/', ROOT);
const BROWSER_DIR = new URL('dist/browser/', ROOT);
const SAMPLE_CORPUS = new URL('data/text8-sample.txt.gz', ROOT);

interface Asset {
  type: string;
  body: Buffer;
}

function readAsset(file: URL): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Wasm2VecError(`the explorer page is not built (${fileURLToPath(file)} is missing): run \`npm run build\``, { cause: error });
  }
}

/**
 * The bundled page script and style sheet, and what its train tab loads: the browser build (the
 * engine, its worker and kernels, imported by the page as an ES module, not bundled into it) and
 * the sample corpus. A Wasm2VecError if they were not built.
 */
export function loadExplorerAssets(dir: URL = ASSETS_DIR, browserDir: URL = BROWSER_DIR): Record<string, Asset> {
  const javascript = 'text/javascript; charset=utf-8';
  const browser = (name: string, type: string): [string, Asset] => [`/browser/${name}`, { type, body: readAsset(new URL(name, browserDir)) }];
  return {
    '/explorer.js': { type: javascript, body: readAsset(new URL('explorer.js', dir)) },
    '/explorer.css': { type: 'text/css; charset=utf-8', body: readAsset(new URL('explorer.css', dir)) },
    ...Object.fromEntries([
      browser('wasm2vec.js', javascript),
      browser('worker.js', javascript),
      browser('kernels.wasm', 'application/wasm'),
      browser('kernels-unshared.wasm', 'application/wasm'),
    ]),
    '/sample/text8-sample.txt.gz': { type: 'application/gzip', body: readAsset(SAMPLE_CORPUS) },
  };
}

/** An API error with its HTTP status (400 for a bad parameter). */
class RequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The answer of one model: its result, or the reason it has none (e.g. a word outside its vocabulary). */
type PerModel<T> = { model: string; results: T } | { model: string; error: string };

function eachModel<T>(models: ServedModel[], ask: (served: ServedModel) => T): { models: PerModel<T>[] } {
  return {
    models: models.map((served) => {
      try {
        return { model: served.name, results: ask(served) };
      } catch (error) {
        if (error instanceof Wasm2VecError) return { model: served.name, error: error.message };
        throw error;
      }
    }),
  };
}

function integer(params: URLSearchParams, name: string, bounds: { min: number; max: number; default: number }): number {
  const text = params.get(name);
  if (text === null || text === '') return bounds.default;
  const value = Number(text);
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw new RequestError(400, `parameter "${name}" must be an integer from ${bounds.min} to ${bounds.max}, got "${text}"`);
  }
  return value;
}

function word(params: URLSearchParams, name: string): string {
  const value = params.get(name)?.trim() ?? '';
  if (value.length === 0) throw new RequestError(400, `parameter "${name}" (a word) is missing`);
  return value;
}

/** Answers GET /api/<name>?…; throws a RequestError for a bad request. */
export function answerApi(models: ServedModel[], name: string, params: URLSearchParams): object {
  switch (name) {
    case 'info':
      return { models: models.map((m) => ({ name: m.name, path: m.path, words: m.model.size, dim: m.model.dim })) };
    case 'complete': {
      const prefix = params.get('prefix') ?? '';
      const limit = integer(params, 'limit', LIMITS.complete);
      return eachModel(models, (m) => complete(m.model, prefix, limit));
    }
    case 'neighbours': {
      const w = word(params, 'word');
      const top = integer(params, 'top', LIMITS.top);
      return { word: w, ...eachModel(models, (m) => neighbours(m.model, w, top)) };
    }
    case 'analogy': {
      const [a, b, c] = [word(params, 'a'), word(params, 'b'), word(params, 'c')];
      const method = (params.get('method') || '3cosadd') as AnalogyMethod;
      if (method !== '3cosadd' && method !== '3cosmul') throw new RequestError(400, `parameter "method" must be 3cosadd or 3cosmul, got "${method}"`);
      const top = integer(params, 'top', LIMITS.top);
      return { a, b, c, method, ...eachModel(models, (m) => analogy(m.model, a, b, c, method, top)) };
    }
    case 'map': {
      const method = (params.get('method') || 'pca') as MapMethod;
      if (!MAP_METHODS.includes(method)) throw new RequestError(400, `parameter "method" must be ${MAP_METHODS.join(' or ')}, got "${method}"`);
      const size = integer(params, 'size', method === 'umap' ? LIMITS.umap : LIMITS.map);
      const centre = params.get('word')?.trim() || undefined;
      return eachModel(models, (m) => wordMap(m.model, size, centre, method));
    }
    default:
      throw new RequestError(404, `no API "${name}": use info, complete, neighbours, analogy or map`);
  }
}

/** Host names a loopback-bound server answers to: a page on another name (DNS rebinding) is refused. */
const LOOPBACK_NAMES = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The server of the explorer page and its API over `models` (not yet listening). */
export function createExplorerServer(models: ServedModel[], options: { host: string; assets?: Record<string, Asset> }): Server {
  if (models.length === 0) throw new Error('internal: createExplorerServer needs at least one model');
  const assets = options.assets ?? loadExplorerAssets();
  const html = Buffer.from(explorerHtml(models.map((m) => ({ name: m.name, words: m.model.size, dim: m.model.dim }))));
  const checkHost = isLoopback(options.host);

  const send = (response: ServerResponse, status: number, type: string, body: Buffer | string, cache = 'no-store') => {
    response.writeHead(status, { ...SERVE_HEADERS, 'Content-Type': type, 'Cache-Control': cache, 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  };
  const sendJson = (response: ServerResponse, status: number, value: object) => send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    if (checkHost && !LOOPBACK_NAMES.test(request.headers.host ?? '')) {
      sendJson(response, 403, { error: `this server answers only to localhost, not "${request.headers.host ?? ''}"` });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      sendJson(response, 405, { error: `method ${request.method} not allowed: the explorer only reads` });
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      send(response, 200, 'text/html; charset=utf-8', html);
    } else if (Object.hasOwn(assets, url.pathname)) {
      const asset = assets[url.pathname];
      send(response, 200, asset.type, asset.body, 'no-cache');
    } else if (url.pathname.startsWith('/api/')) {
      try {
        sendJson(response, 200, answerApi(models, url.pathname.slice(5), url.searchParams));
      } catch (error) {
        if (error instanceof RequestError) {
          sendJson(response, error.status, { error: error.message });
        } else {
          const message = error instanceof Error ? error.message : String(error);
          process.stderr.write(`wasm2vec serve: internal error on ${url.pathname}${url.search}: ${message}\n`);
          sendJson(response, 500, { error: `internal error: ${message}` });
        }
      }
    } else {
      sendJson(response, 404, { error: `not found: ${url.pathname}` });
    }
  };
  return createServer(handle);
}

/**
 * Starts listening; resolves with the page's URL. A port in use or a host that cannot be bound
 * gives a Wasm2VecError saying what to change.
 */
export function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') reject(new Wasm2VecError(`port ${port} on ${host} is already in use: choose another with --port (or --port 0 for any free port)`));
      else if (error.code === 'EACCES') reject(new Wasm2VecError(`no permission to listen on port ${port}: choose a port above 1023 with --port`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new Wasm2VecError(`cannot listen on host "${host}" (${error.code}): give an address of this machine with --host, e.g. 127.0.0.1`));
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? 'localhost' : host;
      resolve(`http://${shown}:${bound}/`);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

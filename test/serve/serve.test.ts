// `wasm2vec serve`: the JSON API answers as the query commands do (neighbours with the words and
// scores of `wasm2vec similar`, to 4 decimals), for one model or two side by side; bad requests
// get a 4xx with a message; every response has the isolation headers; the command reports a bad
// model path or a port in use in one line with a non-zero exit, and stops cleanly on SIGTERM.
import { createServer, get as httpGet, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyedVectors } from '../../src/model/index.js';
import { answerApi } from '../../src/serve/server.js';
import { complete, wordMap, type ServedModel } from '../../src/serve/queries.js';
import { cli, tempDir } from '../helpers.js';
import { randomModel, startServe, type RunningServer } from './helpers.js';

const dir = tempDir();
const first = join(dir.path, 'first.vec');
const second = join(dir.path, 'second.txt');
// man (1,0,1,0), woman (0,1,1,0), king (1,0,0,1), queen (0,1,0,1): man:king::woman:queen exactly
const TOY = new KeyedVectors(
  ['man', 'woman', 'king', 'queen', 'prince', 'Paris', 'paris', 'parisian'],
  4,
  Float32Array.from([1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0.2, 0, 1, 0.3, 0.3, 0.3, 0.1, 0.3, 0.3, 0.2, 0.1, 0.2, 0.3, 0.3, 0.1]),
);
let server: RunningServer;

async function get(path: string): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(new URL(path, server.url));
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text };
}

beforeAll(async () => {
  await randomModel(400, 24, 7).save(first, { format: 'fasttext-vec' });
  await randomModel(300, 16, 11).save(second, { format: 'word2vec-text' });
  server = await startServe([first, second]);
});

afterAll(async () => {
  await server?.stop();
  dir.remove();
});

describe('wasm2vec serve: the API over HTTP', () => {
  it('answers neighbours for both models with the words and scores of `wasm2vec similar` (4 decimals)', async () => {
    const { status, body } = await get('/api/neighbours?word=w3&top=10');
    expect(status).toBe(200);
    expect(body.word).toBe('w3');
    expect(body.models.map((m: { model: string }) => m.model)).toEqual(['first.vec', 'second.txt']);
    for (const [i, path] of [first, second].entries()) {
      const similar = await cli(['similar', path, 'w3', '-n', '10', '--json']);
      expect(similar.code).toBe(0);
      const expected = JSON.parse(similar.stdout).results as Array<{ word: string; score: number }>;
      expect(expected).toHaveLength(10);
      const served = body.models[i].results as Array<{ word: string; score: number }>;
      expect(served.map((r) => r.word)).toEqual(expected.map((r) => r.word));
      expect(served.map((r) => r.score.toFixed(4))).toEqual(expected.map((r) => r.score.toFixed(4)));
    }
  });

  it('answers analogies as `wasm2vec analogy`, and a word one model lacks as an error for that model only', async () => {
    const { status, body } = await get('/api/analogy?a=w1&b=w2&c=w3&method=3cosmul&top=5');
    expect(status).toBe(200);
    const analogy = await cli(['analogy', first, 'w1', 'w2', 'w3', '--method', '3cosmul', '-n', '5', '--json']);
    expect(body.models[0].results.map((r: { word: string }) => r.word)).toEqual(JSON.parse(analogy.stdout).results.map((r: { word: string }) => r.word));
    // w350 is in the first model (400 words), not in the second (300)
    const partial = await get('/api/neighbours?word=w350');
    expect(partial.status).toBe(200);
    expect(partial.body.models[0].results).toHaveLength(10);
    expect(partial.body.models[1]).toEqual({ model: 'second.txt', error: 'word not in vocabulary: "w350"' });
  });

  it('completes a prefix in frequency order and maps words in 2-D for each model', async () => {
    const { body } = await get('/api/complete?prefix=w1&limit=4');
    expect(body.models[0].results).toEqual(['w1', 'w10', 'w11', 'w12']);
    const map = await get('/api/map?size=50');
    expect(map.status).toBe(200);
    expect(map.body.models[0].results.points).toHaveLength(50);
    expect(map.body.models[1].results.points[0].word).toBe('w0');
    const near = await get('/api/map?size=12&word=w5');
    const points = near.body.models[0].results.points;
    expect(points.map((p: { word: string }) => p.word)).toEqual(['w5', ...(await get('/api/neighbours?word=w5&top=11')).body.models[0].results.map((r: { word: string }) => r.word)]);
    for (const p of points) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
  });

  it('serves the page and its assets with COOP, COEP and CORP on every response, errors included', async () => {
    for (const path of ['/', '/explorer.js', '/explorer.css', '/api/info', '/api/neighbours', '/nothing']) {
      const { headers } = await get(path);
      expect(headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(headers.get('cross-origin-embedder-policy'), path).toBe('require-corp');
      expect(headers.get('cross-origin-resource-policy'), path).toBe('same-origin');
    }
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<label for="word-input">Word</label>');
    expect(page.body).toContain('"name":"first.vec"');
  });

  it('serves the browser build and the sample corpus for the train tab, with the isolation headers', async () => {
    for (const [path, type] of [['/browser/wasm2vec.js', 'text/javascript'], ['/browser/worker.js', 'text/javascript'], ['/browser/kernels.wasm', 'application/wasm'], ['/browser/kernels-unshared.wasm', 'application/wasm'], ['/sample/text8-sample.txt.gz', 'application/gzip']]) {
      const response = await fetch(new URL(path, server.url));
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toContain(type);
      expect(response.headers.get('cross-origin-embedder-policy'), path).toBe('require-corp');
      expect(response.headers.get('cross-origin-resource-policy'), path).toBe('same-origin');
      expect((await response.arrayBuffer()).byteLength, path).toBeGreaterThan(1000);
    }
  });

  it('rejects bad requests with a status and a message naming the parameter', async () => {
    expect(await get('/api/neighbours')).toMatchObject({ status: 400, body: { error: 'parameter "word" (a word) is missing' } });
    expect(await get('/api/neighbours?word=w1&top=0')).toMatchObject({ status: 400, body: { error: 'parameter "top" must be an integer from 1 to 1000, got "0"' } });
    expect(await get('/api/map?size=abc')).toMatchObject({ status: 400, body: { error: 'parameter "size" must be an integer from 2 to 5000, got "abc"' } });
    expect(await get('/api/analogy?a=w1&b=w2&c=w3&method=x')).toMatchObject({ status: 400 });
    expect(await get('/api/map?method=tsne')).toMatchObject({ status: 400, body: { error: 'parameter "method" must be pca or umap, got "tsne"' } });
    expect(await get('/api/map?method=umap&size=2001')).toMatchObject({ status: 400, body: { error: 'parameter "size" must be an integer from 3 to 2000, got "2001"' } });
    expect(await get('/api/nope')).toMatchObject({ status: 404 });
    expect(await get('/secret.txt')).toMatchObject({ status: 404 });
    const post = await fetch(new URL('/api/info', server.url), { method: 'POST' });
    expect(post.status).toBe(405);
    // a loopback server refuses another host name (DNS rebinding)
    const rebound = await new Promise<number>((resolve, reject) => {
      const url = new URL('/api/info', server.url);
      httpGet({ host: url.hostname, port: url.port, path: url.pathname, headers: { Host: 'evil.example:80' } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(rebound).toBe(403);
  });
});

describe('wasm2vec serve: the queries', () => {
  const served: ServedModel[] = [{ name: 'toy', path: 'toy', model: TOY }];

  it('completion: exact-case matches first, then case-insensitive ones, in frequency order', () => {
    expect(complete(TOY, 'par', 10)).toEqual(['paris', 'parisian', 'Paris']);
    expect(complete(TOY, 'Par', 10)).toEqual(['Paris', 'paris', 'parisian']);
    expect(complete(TOY, 'par', 1)).toEqual(['paris']);
    expect(complete(TOY, '', 10)).toEqual([]);
    expect(complete(TOY, 'zz', 10)).toEqual([]);
  });

  it('analogy man : king :: woman : queen, both methods', () => {
    for (const method of ['3cosadd', '3cosmul']) {
      const answer = answerApi(served, 'analogy', new URLSearchParams({ a: 'man', b: 'king', c: 'woman', method })) as { models: Array<{ results: Array<{ word: string }> }> };
      expect(answer.models[0].results[0].word).toBe('queen');
    }
  });

  it('a neighbourhood map starts with the word (score 1), then its neighbours with their scores', () => {
    const map = wordMap(TOY, 3, 'king');
    expect(map.word).toBe('king');
    expect(map.points.map((p) => p.word)).toEqual(['king', ...TOY.mostSimilar('king', { topN: 2 }).map((r) => r.word)]);
    expect(map.points[1].score).toBeCloseTo(TOY.mostSimilar('king', { topN: 1 })[0].score, 6);
    expect(map.method).toBe('pca');
    expect(map.explained![0]).toBeGreaterThanOrEqual(map.explained![1]);
    expect(map.explained![0] + map.explained![1]).toBeLessThanOrEqual(1 + 1e-9);
  });
});

describe('wasm2vec serve: the command', () => {
  it('a missing model: one line naming it, exit 1', async () => {
    const missing = join(dir.path, 'missing.vec');
    const result = await cli(['serve', missing, '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(missing);
  });

  it('a port in use: one line saying so and what to do, exit 1', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const result = await cli(['serve', first, '--port', String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(`wasm2vec: port ${port} on 127.0.0.1 is already in use: choose another with --port (or --port 0 for any free port)`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('bad options: one line naming the option and the value, exit 1', async () => {
    const port = await cli(['serve', first, '--port', '70000']);
    expect(port.code).toBe(1);
    expect(port.stderr.trim()).toBe('wasm2vec: option --port must be an integer from 0 to 65535, got "70000"');
    const three = await cli(['serve', first, first, first]);
    expect(three.code).toBe(1);
    expect(three.stderr).toContain('expected MODEL or MODEL MODEL2, got 3 argument(s)');
  });

  it('stops cleanly on SIGINT: exit 0, the port is free again', async () => {
    const running = await startServe([second]);
    const port = Number(new URL(running.url).port);
    expect((await fetch(new URL('/api/info', running.url))).status).toBe(200);
    expect(await running.stop('SIGINT')).toBe(0);
    expect(running.stderr()).toContain('wasm2vec serve: stopped');
    const probe: Server = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => probe.close(resolve));
  });
});

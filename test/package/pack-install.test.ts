// The package as a user gets it: `npm pack`, install the tarball into a fresh app, and use it from
// ES modules, CommonJS and strict TypeScript, so the exports map, the CommonJS entry, the public
// types and the shipped files (worker, kernels.wasm) never regress. One file: it takes a minute.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '../helpers.js';

const run = promisify(execFile);
const ROOT = new URL('..', new URL('..', import.meta.url)).pathname;
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const ESM_APP = `
import { train, trainGlove, KeyedVectors, SubwordVectors, Wasm2VecError } from 'wasm2vec';
const sentences = [];
for (let i = 0; i < 200; i++) sentences.push(['the', 'king', 'rules', 'the', 'land', 'w' + (i % 7)]);
const model = await train({ input: sentences, dim: 8, epochs: 1, minCount: 1, threads: 1 });
if (!(model instanceof KeyedVectors) || model instanceof SubwordVectors) throw new Error('plain model class');
const subword = await train({ input: sentences.map((s) => s.join(' ')), model: 'fasttext-cbow', dim: 8, epochs: 1, minCount: 1, threads: 1, subwords: { buckets: 1000 } });
if (!(subword instanceof SubwordVectors)) throw new Error('subword model class');
const glove = await trainGlove({ input: sentences, dim: 4, epochs: 1, minCount: 1, threads: 1 });
let rejected = '';
try { await train({ input: sentences, iter: 3 }); } catch (error) { if (error instanceof Wasm2VecError) rejected = error.message; }
console.log(JSON.stringify({ words: [...model.words].sort(), subwordOov: subword.vector('kingdom').length, glove: glove.size, rejected }));
`;

const CJS_APP = `
const wasm2vec = require('wasm2vec');
const { version } = require('wasm2vec/package.json');
const sentences = Array.from({ length: 100 }, () => 'a man walks the dog');
wasm2vec.train({ input: sentences, dim: 8, epochs: 1, minCount: 1, threads: 1 }).then(async (model) => {
  let rejected = '';
  try { await wasm2vec.trainGlove({ input: sentences, size: 10 }); } catch (error) { if (error instanceof wasm2vec.Wasm2VecError) rejected = error.message; }
  console.log(JSON.stringify({ version, words: [...model.words].sort(), rejected }));
});
`;

const TS_APP = `
import {
  train, KeyedVectors, SubwordVectors, type ScoredWord, type MostSimilarOptions, type AnalogyEvaluation, type WordPairsEvaluation,
  type SaveOptions, type TrainedModel, type TrainedSubwordModel, type CorpusSource, type Word2VecOptions,
} from 'wasm2vec';
import { Readable } from 'node:stream';

export async function main(): Promise<void> {
  const inputs: CorpusSource[] = ['corpus.txt', '-', [['a', 'b']], ['a b'], Readable.from(['a b\\n']), { text: ['a b\\n'] }];
  const plain: TrainedModel = await train({ input: inputs[2], model: 'cbow' });
  const subword: TrainedSubwordModel = await train({ input: ['a b'], model: 'fasttext-skipgram' });
  const alsoSubword: SubwordVectors = await train({ input: ['a b'], subwords: { minn: 2 } });
  // @ts-expect-error a plain word2vec model is not a subword model
  const wrong: TrainedSubwordModel = await train({ input: ['a b'], model: 'skipgram' });
  const options: Word2VecOptions = { input: ['a'] };
  const either: KeyedVectors = await train(options);
  const similar: ScoredWord[] = plain.mostSimilar('a', { topN: 3 } satisfies MostSimilarOptions);
  const save: SaveOptions = { format: 'word2vec-binary' };
  await subword.save('v.bin', save);
  const analogy: AnalogyEvaluation | undefined = undefined;
  const pairs: WordPairsEvaluation | undefined = undefined;
  console.log(similar, alsoSubword, wrong, either, analogy, pairs, plain.report.vocabSize);
}
`;

describe('the packed package', () => {
  it('installs from its tarball without running a script, and works from ESM, CommonJS and strict TypeScript', async () => {
    const dir = tempDir();
    try {
      // --ignore-scripts: pretest has built dist/ already; prepack would rebuild it under other tests.
      const { stdout: packed } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir.path], { cwd: ROOT });
      const [{ filename, files }] = JSON.parse(packed) as [{ filename: string; files: { path: string }[] }];
      const paths = files.map((f) => f.path);
      expect(paths).toContain('LICENSE');
      expect(paths).toContain('build/kernels.wasm');
      expect(paths).toContain('dist/src/worker.js');
      expect(paths).toContain('dist/src/index.cjs');
      expect(paths).toEqual(expect.arrayContaining(['dist/browser/wasm2vec.js', 'dist/browser/worker.js', 'dist/browser/kernels.wasm', 'dist/browser/kernels-unshared.wasm']));
      expect(paths.filter((p) => p.startsWith('dist/bench') || p.startsWith('dist/test') || p.endsWith('.map') || p.startsWith('src/'))).toEqual([]);
      const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
      for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts[hook]).toBeUndefined();

      const app = join(dir.path, 'app');
      await run('mkdir', [app]);
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
      const { stdout: installLog } = await run(
        'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts', join(dir.path, filename)], { cwd: app },
      );
      expect(installLog).not.toMatch(/wasm2vec@0\.1\.0 (prepare|install|postinstall|build)/);

      writeFileSync(join(app, 'esm.mjs'), ESM_APP);
      const esm = JSON.parse((await run(process.execPath, ['esm.mjs'], { cwd: app })).stdout);
      expect(esm.words).toEqual(['</s>', 'king', 'land', 'rules', 'the', 'w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6']);
      expect(esm.subwordOov).toBe(8);
      expect(esm.glove).toBe(11);
      expect(esm.rejected).toBe('train(): unknown option "iter" (did you mean "epochs"?)');

      writeFileSync(join(app, 'cjs.cjs'), CJS_APP);
      const cjs = await run(process.execPath, ['cjs.cjs'], { cwd: app });
      expect(cjs.stderr).toBe('');
      const result = JSON.parse(cjs.stdout);
      expect(result.version).toBe('0.1.0');
      expect(result.words).toEqual(['</s>', 'a', 'dog', 'man', 'the', 'walks']);
      expect(result.rejected).toBe('trainGlove(): unknown option "size" (did you mean "dim"?)');

      writeFileSync(join(app, 'app.ts'), TS_APP);
      writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
        compilerOptions: {
          strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
        },
        files: ['app.ts'],
      }));
      const typecheck = () => run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: app })
        .then(({ stdout }) => ({ code: 0, stdout }), (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }));
      expect(await typecheck()).toEqual({ code: 0, stdout: '' });
      // The check can fail: a type the package does not export is an error.
      writeFileSync(join(app, 'app.ts'), `import type { NoSuchType } from 'wasm2vec';\nexport const x: NoSuchType | undefined = undefined;\n`);
      const broken = await typecheck();
      expect(broken.code).not.toBe(0);
      expect(broken.stdout).toMatch(/has no exported member .*NoSuchType/);
    } finally {
      dir.remove();
    }
  }, 240_000);
});

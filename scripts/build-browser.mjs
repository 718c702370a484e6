// Builds the browser bundle (npm run build:browser): dist/browser/wasm2vec.js (the entry,
// src/browser/index.ts), dist/browser/worker.js (the Web Worker, src/browser/worker.ts) and
// dist/browser/kernels.wasm, with kernels-unshared.wasm (the same kernels on a plain memory, for a
// page that is not cross-origin isolated; asconfig.json's target "unshared"). platform 'browser': any node: import on the path fails the build. The
// two host modules are swapped for their browser versions (the seam, see src/runtime/host.ts):
// src/runtime/kernels.ts → src/browser/kernels.ts, src/runtime/worker-pool.ts → src/browser/worker-pool.ts.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/browser');
const HOST_MODULES = new Map([
  [join(root, 'src/runtime/kernels.ts'), join(root, 'src/browser/kernels.ts')],
  [join(root, 'src/runtime/worker-pool.ts'), join(root, 'src/browser/worker-pool.ts')],
]);

/** Resolves an import of a Node.js host module to its browser version. */
const browserHost = {
  name: 'wasm2vec-browser-host',
  setup(b) {
    b.onResolve({ filter: /\/(kernels|worker-pool)\.js$/ }, (args) => {
      const target = HOST_MODULES.get(resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts'));
      return target ? { path: target } : undefined;
    });
  },
};

await build({
  entryPoints: { wasm2vec: join(root, 'src/browser/index.ts'), worker: join(root, 'src/browser/worker.ts') },
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16.4'],
  sourcemap: true,
  logLevel: 'warning',
  plugins: [browserHost],
  // The formats code uses Node.js's Buffer; the npm package `buffer` is the same API in a browser.
  inject: [join(root, 'scripts/buffer-shim.mjs')],
});
mkdirSync(out, { recursive: true });
copyFileSync(join(root, 'build/kernels.wasm'), join(out, 'kernels.wasm'));
execFileSync(process.execPath, [join(root, 'node_modules/assemblyscript/bin/asc.js'), 'assembly/index.ts', '--target', 'unshared'], { cwd: root, stdio: 'inherit' });
copyFileSync(join(root, 'build/kernels-unshared.wasm'), join(out, 'kernels-unshared.wasm'));

// Loads the kernels in a page: build/kernels.wasm, shipped as dist/browser/kernels.wasm beside the
// bundle, fetched and compiled once (asynchronously: browsers refuse to compile large modules
// synchronously on the page's thread), then used by every run and posted to the workers. A page that
// is not cross-origin isolated has no shared memory, so it gets kernels-unshared.wasm: the same
// kernels built for a plain memory (asconfig.json's target "unshared"), for its one thread.
import { Wasm2VecError } from '../errors.js';
import { useKernelModule } from './kernels.js';
import { web, type WebResponse } from './web.js';

let loading: Promise<WebAssembly.Module> | undefined;

/**
 * Fetches and compiles the kernels (once; later calls return the same module). `source`: where
 * kernels.wasm is (default: beside this script; kernels-unshared.wasm in a page that is not
 * cross-origin isolated), or its bytes.
 */
export function loadKernels(source?: string | URL | ArrayBuffer | Uint8Array): Promise<WebAssembly.Module> {
  const file = typeof SharedArrayBuffer === 'undefined' ? './kernels-unshared.wasm' : './kernels.wasm';
  loading ??= compile(source ?? new URL(file, import.meta.url)).then(
    (module) => {
      useKernelModule(module);
      return module;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

async function compile(source: string | URL | ArrayBuffer | Uint8Array): Promise<WebAssembly.Module> {
  if (typeof source !== 'string' && !(source instanceof URL)) return WebAssembly.compile(source);
  let response: WebResponse;
  try {
    response = await web.fetch(source);
  } catch (error) {
    throw new Wasm2VecError(`cannot fetch the wasm2vec kernels at ${String(source)}: ${(error as Error).message}; serve kernels.wasm beside wasm2vec.js or pass its URL to loadKernels()`, { cause: error });
  }
  if (!response.ok) throw new Wasm2VecError(`cannot fetch the wasm2vec kernels at ${response.url || String(source)}: HTTP ${response.status}; serve kernels.wasm beside wasm2vec.js or pass its URL to loadKernels()`);
  return WebAssembly.compile(await response.arrayBuffer());
}

// The browser build's src/runtime/kernels.ts (scripts/build-browser.mjs resolves one to the other):
// the same exports, but the module is compiled from fetched (or given) bytes before any training,
// since a page cannot read build/kernels.wasm from disk and compiles large modules asynchronously.
import type * as NodeKernels from '../runtime/kernels.js';
import type { KernelExports } from '../runtime/kernels.js';

export type { KernelExports } from '../runtime/kernels.js';

let compiled: WebAssembly.Module | undefined;

/** Makes `module` the kernels every later call uses (a worker receives it with its task). */
export function useKernelModule(module: WebAssembly.Module): void {
  compiled = module;
}

/** The compiled kernels: loadKernels() (src/browser/index.ts) must have run first. */
export const kernelModule: typeof NodeKernels.kernelModule = () => {
  if (!compiled) throw new Error('the wasm2vec kernels are not loaded yet: await loadKernels() (or train(), which loads them) first');
  return compiled;
};

export const instantiateKernels: typeof NodeKernels.instantiateKernels = (memory, module = kernelModule()) => {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as KernelExports;
};

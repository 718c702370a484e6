// A GloVe kernel run in a small shared memory: config, RNG state, word and context parameter rows
// (initialised as the trainer does) and a record buffer; for the kernel tests and the SIMD twin test.
import { instantiateKernels } from '../../src/runtime/kernels.js';
import { TRAIN_CONFIG, parameterRowBytes } from '../../src/glove/layout.js';
import { paddedDim } from '../../src/runtime/memory-layout.js';

export interface Setup {
  memory: WebAssembly.Memory;
  kernels: ReturnType<typeof instantiateKernels>;
  config: number;
  rng: number;
  words: number;
  contexts: number;
  records: number;
  stride: number;
  rowFloats: number;
  floats: Float32Array;
}

export function setup(vocab: number, dim: number, records: number, eta = 0.05, clip = 100): Setup {
  const stride = paddedDim(dim);
  const rowBytes = parameterRowBytes(dim);
  const config = 65_536;
  const rng = config + 128;
  const words = config + 1024;
  const contexts = words + vocab * rowBytes;
  const recordsAt = contexts + vocab * rowBytes;
  const pages = Math.ceil((recordsAt + records * 16) / 65_536) + 1;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const kernels = instantiateKernels(memory);
  const view = new DataView(memory.buffer);
  view.setInt32(config + TRAIN_CONFIG.stride, stride, true);
  view.setInt32(config + TRAIN_CONFIG.rowBytes, rowBytes, true);
  view.setUint32(config + TRAIN_CONFIG.words, words, true);
  view.setUint32(config + TRAIN_CONFIG.contexts, contexts, true);
  view.setFloat32(config + TRAIN_CONFIG.eta, eta, true);
  view.setFloat32(config + TRAIN_CONFIG.clip, clip, true);
  kernels.seedRandom(rng, 99n);
  kernels.initGloveMatrix(words, vocab, dim, stride, rowBytes, rng);
  kernels.initGloveMatrix(contexts, vocab, dim, stride, rowBytes, rng);
  return { memory, kernels, config, rng, words, contexts, records: recordsAt, stride, rowFloats: rowBytes / 4, floats: new Float32Array(memory.buffer) };
}

export function writeRecord(s: Setup, i: number, w1: number, w2: number, x: number, xMax = 10, alpha = 0.75): void {
  const view = new DataView(s.memory.buffer);
  const at = s.records + i * 16;
  view.setUint32(at, w1, true);
  view.setUint32(at + 4, w2, true);
  view.setFloat32(at + 8, Math.log(x), true);
  view.setFloat32(at + 12, x > xMax ? 1 : Math.pow(x / xMax, alpha), true);
}

export function matrices(s: Setup, vocab: number) {
  const W = s.floats.slice(s.words / 4, s.words / 4 + vocab * s.rowFloats);
  const C = s.floats.slice(s.contexts / 4, s.contexts / 4 + vocab * s.rowFloats);
  return { W, C };
}


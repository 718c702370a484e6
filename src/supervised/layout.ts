// Where a supervised run's data lives in the shared memory, and how its config and worker blocks
// are written (field offsets from the kernel ABI, src/abi/supervised.ts).
import * as abi from '../abi/supervised.js';
import { MemoryLayout, paddedDim, type Region } from '../runtime/memory-layout.js';
import type { SupervisedLoss } from './options.js';

export interface SupervisedLayout {
  layout: MemoryLayout;
  stride: number;
  config: Region;
  input: Region;
  output: Region;
  noiseThreshold: Region;
  noiseAlias: Region;
  hsCodes: Region;
  hsPoints: Region;
  hsPaths: Region;
  records: Region;
  workers: { block: Region; hidden: Region; gradient: Region; scores: Region }[];
}

export function planSupervisedLayout(
  inputRows: number, labels: number, dim: number, threads: number, recordInts: number, hsPathNodes = 0,
): SupervisedLayout {
  const layout = new MemoryLayout();
  const stride = paddedDim(dim);
  const plan: SupervisedLayout = {
    layout,
    stride,
    config: layout.reserve('config (token counter and abort flag atomic)', abi.SUPERVISED_CONFIG_BYTES, 'atomic'),
    input: layout.reserve(`input vectors (${inputRows} words and n-gram buckets × ${stride} floats)`, inputRows * stride * 4, 'hogwild'),
    output: layout.reserve(`output vectors (${labels} labels × ${stride} floats)`, labels * stride * 4, 'hogwild'),
    noiseThreshold: layout.reserve('label noise table', labels * 4),
    noiseAlias: layout.reserve('label noise alias', labels * 4),
    hsCodes: layout.reserve('Huffman codes', hsPathNodes),
    hsPoints: layout.reserve('Huffman points', hsPathNodes * 4),
    hsPaths: layout.reserve('Huffman paths', hsPathNodes > 0 ? labels * 8 : 0),
    records: layout.reserve(`examples (${recordInts} ints)`, recordInts * 4),
    workers: [],
  };
  for (let t = 0; t < threads; t++) {
    plan.workers.push({
      block: layout.reserve(`worker ${t}`, abi.SUPERVISED_WORKER_BYTES, 'worker'),
      hidden: layout.reserve(`worker ${t} hidden`, stride * 4, 'worker'),
      gradient: layout.reserve(`worker ${t} gradient`, stride * 4, 'worker'),
      scores: layout.reserve(`worker ${t} scores`, labels * 4, 'worker'),
    });
  }
  return plan;
}

const LOSS_CODES: Record<SupervisedLoss, number> = { softmax: abi.LOSS_SOFTMAX, ova: abi.LOSS_OVA, ns: abi.LOSS_NS, hs: abi.LOSS_HS };

export interface SupervisedConfig {
  loss: SupervisedLoss;
  labels: number;
  negative: number;
  lr: number;
  tokensTotal: number;
  lrUpdateRate: number;
}

export function writeSupervisedConfig(memory: WebAssembly.Memory, plan: SupervisedLayout, config: SupervisedConfig): void {
  const view = new DataView(memory.buffer, plan.config.offset, abi.SUPERVISED_CONFIG_BYTES);
  view.setInt32(abi.S_DIM, plan.stride, true);
  view.setInt32(abi.S_LOSS, LOSS_CODES[config.loss], true);
  view.setInt32(abi.S_LABELS, config.labels, true);
  view.setInt32(abi.S_NEGATIVE, config.negative, true);
  view.setUint32(abi.S_INPUT, plan.input.offset, true);
  view.setUint32(abi.S_OUTPUT, plan.output.offset, true);
  view.setFloat32(abi.S_LR, config.lr, true);
  view.setInt32(abi.S_ABORT, 0, true);
  view.setBigInt64(abi.S_TOKENS_DONE, 0n, true);
  view.setBigInt64(abi.S_TOKENS_TOTAL, BigInt(config.tokensTotal), true);
  view.setInt32(abi.S_LR_UPDATE, config.lrUpdateRate, true);
  view.setUint32(abi.S_NOISE_THRESHOLD, plan.noiseThreshold.offset, true);
  view.setUint32(abi.S_NOISE_ALIAS, plan.noiseAlias.offset, true);
  view.setUint32(abi.S_HS_CODES, plan.hsCodes.offset, true);
  view.setUint32(abi.S_HS_POINTS, plan.hsPoints.offset, true);
  view.setUint32(abi.S_HS_PATHS, plan.hsPaths.offset, true);
}

export function writeSupervisedWorker(memory: WebAssembly.Memory, plan: SupervisedLayout, index: number, seed: bigint): void {
  const w = plan.workers[index];
  const view = new DataView(memory.buffer, w.block.offset, abi.SUPERVISED_WORKER_BYTES);
  view.setBigUint64(abi.SW_RANDOM, BigInt.asUintN(64, seed), true);
  view.setUint32(abi.SW_HIDDEN, w.hidden.offset, true);
  view.setUint32(abi.SW_GRADIENT, w.gradient.offset, true);
  view.setUint32(abi.SW_SCORES, w.scores.offset, true);
  view.setFloat64(abi.SW_LOSS, 0, true);
  view.setBigInt64(abi.SW_EXAMPLES, 0n, true);
}

/** The loss and examples a worker has trained (read after the run). */
export function workerTotals(memory: WebAssembly.Memory, plan: SupervisedLayout, index: number): { loss: number; examples: number } {
  const view = new DataView(memory.buffer, plan.workers[index].block.offset, abi.SUPERVISED_WORKER_BYTES);
  return { loss: view.getFloat64(abi.SW_LOSS, true), examples: Number(view.getBigInt64(abi.SW_EXAMPLES, true)) };
}

/** Live views of the counters the main thread polls and sets while workers train. */
export function supervisedControl(memory: WebAssembly.Memory, plan: SupervisedLayout) {
  const tokensDone = new BigInt64Array(memory.buffer, plan.config.offset + abi.S_TOKENS_DONE, 1);
  const abortFlag = new Int32Array(memory.buffer, plan.config.offset + abi.S_ABORT, 1);
  return {
    tokensDone: () => Number(Atomics.load(tokensDone, 0)),
    abort: () => Atomics.store(abortFlag, 0, 1),
  };
}

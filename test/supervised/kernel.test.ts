// The supervised kernel (assembly/supervised.ts) against the scalar float64 reference
// (test/reference/supervised-reference.ts), and its hidden gradient against finite differences of
// the reference loss.
import { describe, expect, it } from 'vitest';
import { instantiateKernels } from '../../src/runtime/kernels.js';
import { planSupervisedLayout, writeSupervisedConfig, writeSupervisedWorker } from '../../src/supervised/layout.js';
import { buildLabelTree } from '../../src/model/label-tree.js';
import { referenceHidden, referenceLoss, referenceUpdate, type ReferenceLoss, type ReferenceModel } from '../reference/supervised-reference.js';
import type { SupervisedLoss } from '../../src/supervised/options.js';

const DIM = 10; // padded to 12: the padding must stay zero
const ROWS = 7;

function random(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.8;
}

function setUp(loss: SupervisedLoss, labels: number, seed: number) {
  const plan = planSupervisedLayout(ROWS, labels, DIM, 1, 64, loss === 'hs' ? labels * 4 : 0);
  const memory = plan.layout.createMemory();
  const kernels = instantiateKernels(memory);
  const next = random(seed);
  const model: ReferenceModel = {
    dim: DIM,
    input: Array.from({ length: ROWS }, () => Array.from({ length: DIM }, next)),
    output: Array.from({ length: labels }, () => Array.from({ length: DIM }, next)),
  };
  const input = new Float32Array(memory.buffer, plan.input.offset, ROWS * plan.stride);
  const output = new Float32Array(memory.buffer, plan.output.offset, labels * plan.stride);
  model.input.forEach((row, r) => row.forEach((v, c) => (input[r * plan.stride + c] = v)));
  model.output.forEach((row, r) => row.forEach((v, c) => (output[r * plan.stride + c] = v)));
  // The reference starts from the float32-rounded values the kernel sees.
  model.input = model.input.map((row, r) => row.map((_, c) => input[r * plan.stride + c]));
  model.output = model.output.map((row, r) => row.map((_, c) => output[r * plan.stride + c]));
  const counts = Array.from({ length: labels }, (_, i) => 100 - i * 7);
  const tree = loss === 'hs' ? buildLabelTree(counts) : undefined;
  if (tree) {
    new Uint8Array(memory.buffer, plan.hsCodes.offset, tree.codes.length).set(tree.codes);
    new Int32Array(memory.buffer, plan.hsPoints.offset, tree.points.length).set(tree.points);
    const paths = new Int32Array(memory.buffer, plan.hsPaths.offset, labels * 2);
    for (let l = 0; l < labels; l++) (paths[2 * l] = tree.starts[l]), (paths[2 * l + 1] = tree.lengths[l]);
  }
  if (loss === 'ns') {
    // Two labels: the only noise label is the other one (uniform table).
    new Uint32Array(memory.buffer, plan.noiseThreshold.offset, labels).fill(0xffffffff);
    new Int32Array(memory.buffer, plan.noiseAlias.offset, labels).set(Array.from({ length: labels }, (_, i) => i));
  }
  writeSupervisedConfig(memory, plan, { loss, labels, negative: 3, lr: 0.1, tokensTotal: 1000, lrUpdateRate: 100 });
  writeSupervisedWorker(memory, plan, 0, 12345n);
  const scratch = plan.records.offset;
  const call = (rows: number[], labelIds: number[], target: number, lr: number) => {
    const ints = new Int32Array(memory.buffer, scratch, 64);
    ints.set(rows, 0);
    ints.set(labelIds, rows.length);
    return kernels.updateSupervised(plan.config.offset, plan.workers[0].block.offset, scratch, rows.length, scratch + rows.length * 4, labelIds.length, target, lr);
  };
  const gradient = () => Array.from(new Float32Array(memory.buffer, plan.workers[0].gradient.offset, plan.stride));
  return { plan, memory, model, input, output, call, gradient, tree };
}

function referenceLossOf(kind: SupervisedLoss, labelIds: number[], target: number, tree?: ReturnType<typeof buildLabelTree>): ReferenceLoss {
  if (kind === 'softmax') return { kind, target };
  if (kind === 'ova') return { kind, labels: labelIds };
  if (kind === 'ns') return { kind, target, negatives: [1 - target, 1 - target, 1 - target] };
  const path = [];
  for (let d = tree!.starts[target]; d < tree!.starts[target] + tree!.lengths[target]; d++) path.push({ row: tree!.points[d], code: tree!.codes[d] });
  return { kind: 'hs', path };
}

const CASES: { loss: SupervisedLoss; labels: number; labelIds: number[]; target: number }[] = [
  { loss: 'softmax', labels: 5, labelIds: [3], target: 3 },
  { loss: 'ova', labels: 5, labelIds: [1, 4], target: 0 },
  { loss: 'ns', labels: 2, labelIds: [1], target: 1 },
  { loss: 'hs', labels: 6, labelIds: [4], target: 4 },
];

describe('supervised kernel against the scalar reference', () => {
  for (const { loss, labels, labelIds, target } of CASES) {
    it(`${loss}: the loss, the output rows and the input rows after three updates`, () => {
      const s = setUp(loss, labels, 7 + labels);
      const before = Array.from(s.output);
      const rowsOf = [[0, 2, 5], [1, 1, 6, 3], [4]];
      for (const rows of rowsOf) {
        const value = s.call(rows, labelIds, target, 0.25);
        const expected = referenceUpdate(s.model, rows, referenceLossOf(loss, labelIds, target, s.tree), 0.25);
        expect(value).toBeCloseTo(expected.loss, 4);
      }
      s.model.input.forEach((row, r) => row.forEach((v, c) => expect(s.input[r * s.plan.stride + c]).toBeCloseTo(v, 5)));
      s.model.output.forEach((row, r) => row.forEach((v, c) => expect(s.output[r * s.plan.stride + c]).toBeCloseTo(v, 5)));
      for (let r = 0; r < ROWS; r++) for (let c = DIM; c < s.plan.stride; c++) expect(s.input[r * s.plan.stride + c]).toBe(0);
      // The updates moved the output rows (so the comparisons above compare real updates).
      expect(Math.max(...before.map((v, i) => Math.abs(v - s.output[i])))).toBeGreaterThan(1e-3);
    });

    it(`${loss}: the hidden gradient is −lr × the finite-difference derivative of the loss`, () => {
      const s = setUp(loss, labels, 31 + labels);
      const rows = [0, 3, 6];
      const lossSpec = referenceLossOf(loss, labelIds, target, s.tree);
      const hidden = referenceHidden(s.model, rows);
      const lr = 1e-3;
      s.call(rows, labelIds, target, lr);
      // The kernel leaves lr · (−∂L/∂h) / inputs in the worker's gradient row.
      const kernelGradient = s.gradient().slice(0, DIM).map((g) => (g * rows.length) / lr);
      const h = 1e-5;
      let norm = 0;
      for (let c = 0; c < DIM; c++) {
        const plus = hidden.slice();
        const minus = hidden.slice();
        plus[c] += h;
        minus[c] -= h;
        const derivative = (referenceLoss(s.model, plus, lossSpec) - referenceLoss(s.model, minus, lossSpec)) / (2 * h);
        // stdLog's 1e-5 makes the analytic gradient differ from the derivative by a relative 1e-5 at most.
        expect(kernelGradient[c]).toBeCloseTo(-derivative, 3);
        norm += derivative * derivative;
      }
      expect(Math.sqrt(norm)).toBeGreaterThan(1e-3);
    });
  }
});

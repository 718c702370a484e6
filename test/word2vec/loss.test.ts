// The training loss: one term as the kernel tallies it (assembly/losses.ts, read from a table at bin
// centres) against the exact −log σ(±s); and on a real slice, every model's per-epoch loss falls.
// The kernel's tally against a scalar replay of whole chunks is in kernel.test.ts.
import { describe, expect, it } from 'vitest';
import { instantiateKernels } from '../../src/runtime/kernels.js';
import { planWord2VecLayout, writeLossTable, writeWord2VecConfig } from '../../src/word2vec/layout.js';
import { train } from '../../src/word2vec/train.js';
import { SAMPLE_CORPUS } from '../helpers.js';

function exact(s: number, label: number): number {
  const x = Math.min(6, Math.max(-6, s)) * (label === 1 ? -1 : 1);
  return Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0);
}

describe('word2vec loss term', () => {
  it('is −log σ(s) for a positive target and −log σ(−s) for a noise word, within half a bin, unbiased, clipped at ±6', () => {
    const plan = planWord2VecLayout(10, 8, 1, 0);
    const memory = plan.layout.createMemory();
    const kernels = instantiateKernels(memory);
    writeLossTable(memory, plan);
    writeWord2VecConfig(memory, plan, {
      mode: 'skipgram', dim: 8, window: 5, negative: 5, vocabSize: 10, alpha: 0.025, subsample: false, wordsTotal: 1, update: 'classic', loss: true,
    });
    let worst = 0;
    let bias = 0;
    let n = 0;
    for (let s = -5.9; s <= 5.9; s += 0.000937) {
      for (const label of [0, 1]) {
        const error = kernels.lossTermOf(plan.config.offset, Math.fround(s), label) - exact(Math.fround(s), label);
        worst = Math.max(worst, Math.abs(error));
        bias += error;
        n++;
      }
    }
    // Half a bin (0.006) times the slope (< 1) at worst; averaged over scores, no bias.
    expect(worst).toBeLessThan(0.0061);
    expect(worst).toBeGreaterThan(0.001);
    expect(Math.abs(bias / n)).toBeLessThan(2e-5);
    for (const s of [-30, -6, 6, 30]) for (const label of [0, 1]) expect(Math.abs(kernels.lossTermOf(plan.config.offset, s, label) - exact(s, label))).toBeLessThan(0.0061);
    // Spot values: σ(0) = 1/2 both ways; a confident wrong answer costs about |s|.
    expect(Math.abs(kernels.lossTermOf(plan.config.offset, 0, 1) - Math.LN2)).toBeLessThan(0.0061);
    expect(Math.abs(kernels.lossTermOf(plan.config.offset, 3, 0) - 3.0486)).toBeLessThan(0.0061);
    expect(Math.abs(kernels.lossTermOf(plan.config.offset, 30, 0) - 6.0025)).toBeLessThan(0.0061);
    // With the loss off nothing is tallied.
    writeWord2VecConfig(memory, plan, {
      mode: 'skipgram', dim: 8, window: 5, negative: 5, vocabSize: 10, alpha: 0.025, subsample: false, wordsTotal: 1, update: 'classic', loss: false,
    });
    expect(kernels.lossTermOf(plan.config.offset, 3, 0)).toBe(0);
  });
});

describe('word2vec loss in the report', () => {
  // The bundled 680 000-word text8 slice, 3 epochs, 2 threads: the mean loss per prediction falls
  // by 0.2–0.3 from the first epoch to the second (measured: skip-gram 2.85 → 2.60, CBOW 2.88 → 2.61)
  // and stays below the first; the last epoch's can rise by up to 0.06 (skip-gram 2.53 → 2.59
  // classic, 1 thread), as the learning rate nears zero (see the README); an untrained model scores (1 + negative) · ln 2 ≈ 4.16 per prediction, a tally
  // that counts terms without their predictions (or the reverse) lands far outside 0.5–4.
  for (const [model, hs] of [['skipgram', false], ['cbow', false], ['cbow', true]] as const) {
    it(`${model}${hs ? ' with hierarchical softmax' : ''}: report.losses falls from the first epoch, progress events carry the loss`, async () => {
      let lastLoss: number | undefined;
      let events = 0;
      const vectors = await train({
        input: SAMPLE_CORPUS, model, hs, negative: hs ? 0 : 5, dim: 40, epochs: 3, sample: 1e-4, threads: 2,
        onProgress: (e) => {
          if (e.phase !== 'train' || e.loss === undefined) return;
          events++;
          lastLoss = e.loss;
        },
      });
      const losses = vectors.report.losses!;
      expect(losses).toHaveLength(3);
      for (const l of losses) {
        expect(l).toBeGreaterThan(0.5);
        expect(l).toBeLessThan(hs ? 15 : 4.2);
      }
      expect(losses[1]).toBeLessThan(losses[0] - 0.1);
      expect(losses[2]).toBeLessThan(losses[0] - 0.1);
      expect(events).toBeGreaterThan(0);
      expect(lastLoss).toBeGreaterThan(0.5);
    });
  }

  it('loss: false reports none', async () => {
    const vectors = await train({ input: SAMPLE_CORPUS, dim: 20, epochs: 1, threads: 1, loss: false, maxVocabSize: 5000 });
    expect(vectors.report.losses).toBeUndefined();
  });
});

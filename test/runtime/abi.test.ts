// The kernel ABI: the offsets in src/abi/ are shared by both compilers, so what is left to check is
// that the TypeScript layout writes each field with the type and value the kernel reads (the
// echo kernels in assembly/abi-echo.ts load every field exactly as the training kernels do), and
// that no two fields of a block overlap or leave the block.
import { describe, expect, it } from 'vitest';
import { instantiateKernels } from '../../src/runtime/kernels.js';
import { CONFIG, WORKER, planWord2VecLayout, writeWord2VecConfig, writeWorkerBlock } from '../../src/word2vec/layout.js';
import { COUNT_BLOCK, MERGE_BLOCK } from '../../src/cooccur/layout.js';
import { TRAIN_CONFIG, writeGloveTrainConfig } from '../../src/glove/layout.js';
import * as wordcount from '../../src/abi/wordcount.js';
import * as bigrams from '../../src/abi/bigrams.js';

function echo(memory: WebAssembly.Memory, fn: (block: number, out: number) => number, block: number, out: number): number[] {
  const n = fn(block, out);
  return Array.from(new Float64Array(memory.buffer, out, n));
}

describe('kernel ABI', () => {
  it('the word2vec kernel reads every config and worker field as the layout writes it', () => {
    const plan = planWord2VecLayout(50, 30, 2, 1000, 5, 7, 120, { buckets: 10, tableEntries: 90 });
    const memory = plan.layout.createMemory();
    const kernels = instantiateKernels(memory);
    writeWord2VecConfig(memory, plan, {
      mode: 'cbow', dim: 30, window: 5, negative: 7, vocabSize: 50, alpha: 0.0375, subsample: true, wordsTotal: 2 ** 40 + 3,
      update: 'batched', hs: true, subwords: true, loss: true,
    });
    const out = plan.stream!.offset; // free space in this test
    const config = echo(memory, kernels.echoWord2VecConfig, plan.config.offset, out);
    expect(config).toEqual([
      1, plan.stride, 5, 7, 50, Math.fround(0.0375), Math.fround(0.0375 * 1e-4), plan.input.offset, plan.output.offset,
      plan.noiseThreshold.offset, plan.noiseAlias.offset, plan.keep.offset, plan.sigmoid.offset, 1, 0, 0, 2 ** 40 + 3, 1000, 1, 1,
      plan.hsOutput.offset, plan.hsCodes.offset, plan.hsPoints.offset, plan.hsPaths.offset, 1, plan.subwordOffsets.offset,
      plan.subwordRows.offset, 1, plan.lossTable.offset,
    ]);
    writeWorkerBlock(memory, plan, 1, 2n ** 50n + 5n, 0.0125);
    const w = plan.workers[1];
    // The loss tally the kernel adds to (f64 sum of terms, f64 predictions).
    const tally = new DataView(memory.buffer, w.block.offset);
    tally.setFloat64(WORKER.loss, 12345.625, true);
    tally.setFloat64(WORKER.predictions, 2 ** 40 + 7, true);
    expect(echo(memory, kernels.echoWord2VecWorker, w.block.offset, out)).toEqual([
      2 ** 50 + 5, Math.fround(0.0125), w.hidden.offset, w.gradient.offset, w.sentence.offset, w.contexts.offset, w.targets.offset,
      w.scores.offset, w.deltas.offset, 12345.625, 2 ** 40 + 7,
    ]);
  });

  it('the GloVe kernel reads every training config field as the layout writes it', () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
    const kernels = instantiateKernels(memory);
    const block = 65_536 + 1024;
    writeGloveTrainConfig(memory, block, { stride: 52, rowBytes: 448, words: 70_000, contexts: 90_000, eta: 0.05, clip: 100 });
    expect(echo(memory, kernels.echoGloveConfig, block, block + 256)).toEqual([52, 448, 70_000, 90_000, Math.fround(0.05), 100, 0, 0]);
  });

  // Field widths of every block (from the kernels' loads), to check that fields do not overlap.
  const blocks: { name: string; offsets: Record<string, number>; bytes: number; wide: string[] }[] = [
    { name: 'word2vec config', offsets: CONFIG, bytes: CONFIG.bytes, wide: ['wordsDone', 'wordsTotal'] },
    { name: 'word2vec worker', offsets: WORKER, bytes: WORKER.bytes, wide: ['random', 'loss', 'predictions'] },
    { name: 'GloVe training config', offsets: TRAIN_CONFIG, bytes: TRAIN_CONFIG.bytes, wide: ['pairsDone'] },
    { name: 'co-occurrence count block', offsets: COUNT_BLOCK, bytes: COUNT_BLOCK.bytes, wide: ['denseAdds', 'sparseAdds', 'progressBase'] },
    { name: 'co-occurrence merge block', offsets: MERGE_BLOCK, bytes: MERGE_BLOCK.bytes, wide: ['pendingKey', 'pendingVal', 'denseKey', 'denseVal'] },
    {
      name: 'word counter block',
      offsets: Object.fromEntries(Object.entries(wordcount).filter(([k]) => k.startsWith('K_'))),
      bytes: wordcount.BLOCK_BYTES,
      wide: ['K_TOKENS'],
    },
    {
      name: 'phrase counter block',
      offsets: Object.fromEntries(Object.entries(bigrams).filter(([k]) => k.startsWith('P_'))),
      bytes: bigrams.PHRASE_BLOCK_BYTES,
      wide: ['P_TOKENS', 'P_PA', 'P_PB', 'P_CORPUS_WORDS', 'P_NPMI_THRESHOLD'],
    },
  ];
  for (const block of blocks) {
    it(`${block.name}: fields are aligned, inside the block and do not overlap`, () => {
      const fields = Object.entries(block.offsets).filter(([k]) => k !== 'bytes').map(([name, offset]) => ({
        name, offset, size: block.wide.includes(name) ? 8 : 4,
      }));
      expect(fields.length).toBeGreaterThan(3);
      fields.sort((a, b) => a.offset - b.offset);
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i];
        expect(f.offset % f.size, `${f.name} aligned`).toBe(0);
        expect(f.offset + f.size, `${f.name} inside ${block.bytes} bytes`).toBeLessThanOrEqual(block.bytes);
        if (i > 0) expect(f.offset, `${f.name} after ${fields[i - 1].name}`).toBeGreaterThanOrEqual(fields[i - 1].offset + fields[i - 1].size);
      }
    });
  }
});

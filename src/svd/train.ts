// Count-based word vectors (Levy, Goldberg & Dagan, TACL 2015; their hyperwords recipe): count
// co-occurrences with GloVe's engine (plain or dynamic-window weights, optional subsampling),
// reweight them to a PPMI matrix with context-distribution smoothing, factorise it with a randomized
// truncated SVD on the workers, and return W = U·Σ^eig (optionally + C = V·Σ^eig), rows L2-normalised.
import { AbortError, Wasm2VecError } from '../errors.js';
import { countVocabulary } from '../corpus/count-vocabulary.js';
import { IdSpool, encodeToFile, remapBlocks, type EncodedCorpus } from '../corpus/id-spool.js';
import { seconds } from '../runtime/phases.js';
import { formatBytes } from '../runtime/memory-layout.js';
import { CooccurMemory, countingPhasesPlan, planControl, planCount, splitBudget, usableBudget, type CountPlan } from '../cooccur/layout.js';
import { memoryPlan, type MemoryPlan } from '../runtime/memory-plan.js';
import { TempDir, countCooccurrences, type IdStream } from '../cooccur/count.js';
import { writeMatrixMarket } from '../formats/matrix-market.js';
import { KeyedVectors } from '../model/index.js';
import { resolveSvdOptions, type ResolvedSvdOptions, type SvdOptions, type SvdProgressEvent } from './options.js';
import { assertSvdFits, createSvdMemory, planSvd } from './layout.js';
import { buildPpmi } from './ppmi.js';
import { randomizedSvd } from './randomized-svd.js';
import { GaussianStream } from './small-linalg.js';

export interface SvdReport {
  /** Words with vectors (the vocabulary without the line-break token). */
  vocabSize: number;
  corpusTokens: number;
  /** Tokens left after subsampling (line breaks excluded). */
  keptTokens: number;
  /** Non-zero co-occurrence counts, and the positive PMI entries kept of them. */
  pairs: number;
  nnz: number;
  dim: number;
  window: number;
  symmetric: boolean;
  weighting: ResolvedSvdOptions['weighting'];
  cds: number;
  neg: number;
  eig: number;
  oversamples: number;
  powerIterations: number;
  threads: number;
  /** The dim largest singular values of the PPMI matrix, largest first. */
  singularValues: number[];
  /** Cholesky-QR passes that needed a shift (0 unless a sketch was rank-deficient). */
  shiftedPasses: number;
  /** Wall-clock seconds per phase; cooccur includes encoding, counting and merging. */
  seconds: { vocabulary: number; cooccur: number; ppmi: number; svd: number; total: number };
  memory: { countingBytes: number; svdBytes: number };
}

export type TrainedSvd = KeyedVectors & { report: SvdReport };


/** Trains PPMI + SVD vectors on all cores; with `planOnly: true`, returns the memory plan instead (`--dry-run`). */
export function trainSvd(options: SvdOptions & { planOnly: true }): Promise<MemoryPlan>;
export function trainSvd(options: SvdOptions): Promise<TrainedSvd>;
export async function trainSvd(options: SvdOptions): Promise<TrainedSvd | MemoryPlan> {
  const o = resolveSvdOptions(options);
  const started = performance.now();
  if (o.signal?.aborted) throw new AbortError();
  const temp = new TempDir(o.tempDir);
  const budgetBytes = usableBudget(o.memoryBytes);
  const budget = splitBudget(budgetBytes);
  const spool = new IdSpool(budget.count / 4, o.tempDir);
  try {
    // Phase 1: vocabulary.
    const { vocabulary, remap, corpusTokens } = await countVocabulary(o.input, spool, {
      minCount: o.minCount,
      maxVocabSize: o.maxVocabSize,
      ties: 'bytes',
      threads: o.threads,
      tokenizer: o.tokenizer,
      lowercase: o.lowercase,
      normalize: o.normalize,
      signal: o.signal,
      onProgress: o.onProgress && ((words, done, elapsedSeconds) => report(o, { phase: 'vocabulary', fraction: done ? 1 : 0, words, elapsedSeconds })),
    });
    const words = vocabulary.words;
    const counts = Array.from(vocabulary.counts);
    const vocabSize = words.length;
    const n = vocabSize - 1;
    const vocabularySeconds = seconds(started);
    if (n > 2 ** 24 - 2) throw new Wasm2VecError(`the vocabulary has ${n} words; PPMI + SVD supports fewer than 2^24: raise minCount or set maxVocabSize`);
    if (o.dim > n) throw new Wasm2VecError(`option dim ${o.dim} is larger than the vocabulary (${n} words): lower dim or minCount`);
    const width = Math.min(n, o.dim + o.oversamples);
    // The dense part of the SVD memory is known now: refuse before counting if it cannot fit.
    if (o.planOnly) return svdMemoryPlan(o, counts, spool.length, width, budgetBytes);
    assertSvdFits(planSvd(n, n, 0, width, o.threads));

    // Phases 2 and 3: co-occurrences on GloVe's engine, then the PPMI matrix in the SVD's memory. In
    // a function of their own, so the counting memory (records included) can be collected after.
    const counted = await countToPpmi(o, { spool, remap, counts, corpusTokens, width, budgetBytes, temp, cooccurStarted: performance.now() });
    const { memory, plan, ppmi } = counted;
    const ppmiStarted = counted.ppmiStarted;
    if (ppmi.nnz === 0) throw new Wasm2VecError(`no word pair has a positive PMI${o.neg > 1 ? ` above log(neg = ${o.neg})` : ''}: nothing to factorise (lower neg or use a larger corpus)`);
    if (o.savePpmi !== undefined) {
      await writeMatrixMarket(o.savePpmi, {
        rows: n, cols: n, nnz: ppmi.nnz,
        rowPtr: new Uint32Array(memory.buffer, plan.rowPtr, n + 1),
        entries: new DataView(memory.buffer, plan.entries, ppmi.nnz * 8),
      }, [
        `PPMI matrix written by wasm2vec svd: rows are words, columns contexts, both in the vocabulary order of the vectors (1-based)`,
        `window ${o.window}${o.symmetric ? '' : ' (left only)'}, weighting ${o.weighting}, subsample ${o.subsample}, minCount ${o.minCount}, cds ${o.cds}, neg ${o.neg}`,
      ]);
    }
    const ppmiSeconds = seconds(ppmiStarted);
    report(o, { phase: 'ppmi', fraction: 1, words: 0, elapsedSeconds: ppmiSeconds });

    // Phase 4: truncated SVD.
    const svdStarted = performance.now();
    const powerIterations = o.powerIterations ?? (o.dim < 0.1 * n ? 7 : 4);
    const svd = await randomizedSvd({
      memory, plan, rank: o.dim, powerIterations, seed: o.seed, threads: o.threads, signal: o.signal,
      onProgress: o.onProgress && ((fraction) => report(o, { phase: 'svd', fraction, words: 0, elapsedSeconds: seconds(svdStarted) })),
    });
    const svdSeconds = seconds(svdStarted);
    report(o, { phase: 'svd', fraction: 1, words: 0, elapsedSeconds: svdSeconds });

    const vectors = wordVectors(svd.u, svd.v, svd.sigma, n, o);
    const model = new KeyedVectors(words.slice(1), o.dim, vectors, counts.slice(1)) as TrainedSvd;
    model.report = {
      vocabSize: n,
      corpusTokens,
      keptTokens: counted.kept,
      pairs: ppmi.pairs,
      nnz: ppmi.nnz,
      dim: o.dim,
      window: o.window,
      symmetric: o.symmetric,
      weighting: o.weighting,
      cds: o.cds,
      neg: o.neg,
      eig: o.eig,
      oversamples: width - o.dim,
      powerIterations,
      threads: o.threads,
      singularValues: Array.from(svd.sigma),
      shiftedPasses: svd.shiftedPasses,
      seconds: { vocabulary: vocabularySeconds, cooccur: counted.cooccurSeconds, ppmi: ppmiSeconds, svd: svdSeconds, total: seconds(started) },
      memory: { countingBytes: counted.countingBytes, svdBytes: memory.buffer.byteLength },
    };
    return model;
  } finally {
    spool.dispose();
    temp.remove();
  }
}

interface CountInputs {
  spool: IdSpool;
  remap: Int32Array;
  counts: number[];
  corpusTokens: number;
  width: number;
  budgetBytes: number;
  temp: TempDir;
  cooccurStarted: number;
}

/**
 * The two memories of a run (`planOnly`): counting on GloVe's engine, then the SVD's, which both
 * live while the PPMI matrix is built; the PPMI entries (8 bytes per co-occurring pair) are known
 * only after counting.
 */
function svdMemoryPlan(o: ResolvedSvdOptions, counts: number[], streamIds: number, width: number, budgetBytes: number): MemoryPlan {
  const vocabSize = counts.length;
  const budget = splitBudget(budgetBytes);
  const streamInMemory = streamIds * 4 <= budgetBytes / 8;
  const control = planControl(o.threads, o.window);
  const count = planCount({
    budget, budgetBytes, vocabSize, counts, threads: o.threads, window: o.window, symmetric: o.symmetric, streamIds, streamInMemory,
  }, control.end);
  const counting = countingPhasesPlan(control, count, 0, undefined, budget.records);
  const svd = planSvd(vocabSize - 1, vocabSize - 1, 0, width, o.threads);
  const regions = [
    ...counting.regions.map((r) => ({ ...r, name: `counting memory: ${r.name}` })),
    ...svd.layout.regions.filter((r) => !r.name.startsWith('PPMI entries')).map((r) => ({ ...r, name: `SVD memory: ${r.name}` })),
  ];
  return memoryPlan('svd', vocabSize - 1, regions, counting.totalBytes + svd.layout.totalBytes, [
    'the counting memory (records at most; more spill to temporary files) and the SVD memory both live while the PPMI matrix is built;',
    'the SVD memory also holds the PPMI entries, 8 bytes per co-occurring pair, known only after counting (not in the total)',
  ]);
}

/** Counts the co-occurrences and builds their PPMI matrix as CSR in a new SVD memory. */
async function countToPpmi(o: ResolvedSvdOptions, input: CountInputs) {
  const { spool, remap, counts, corpusTokens, width, budgetBytes, temp, cooccurStarted } = input;
  const vocabSize = counts.length;
  const n = vocabSize - 1;
  const budget = splitBudget(budgetBytes);
  const streamInMemory = spool.length * 4 <= budgetBytes / 8;
  const countPlanInput = {
    budget, budgetBytes, vocabSize, counts, threads: o.threads, window: o.window, symmetric: o.symmetric,
    streamIds: spool.length, streamInMemory,
  };
  const gm = new CooccurMemory(planControl(o.threads, o.window), planCount(countPlanInput, 0).bytes, budget.records);
  const countPlan = planCount(countPlanInput, gm.arena);
  const vocabularyTokens = counts.reduce((a, b) => a + b, 0) - counts[0];
  const subsample = subsampler(o, counts, vocabularyTokens);
  let encoded: EncodedCorpus | undefined;
  try {
    const stream = encodeStream(gm, countPlan, spool, remap, streamInMemory, subsample, vocabularyTokens, o.tempDir);
    encoded = stream.encoded;
    spool.dispose();
    const counted = await countCooccurrences({
      gm, plan: countPlan, counts, stream: stream.stream, window: o.window, symmetric: o.symmetric, weighting: o.weighting,
      threads: o.threads, budgetBytes, temp, signal: o.signal,
      onProgress: o.onProgress && ((fraction, tokens) => report(o, { phase: 'cooccur', fraction, words: tokens, elapsedSeconds: seconds(cooccurStarted) })),
    });
    if (encoded?.kind === 'file') encoded.dispose();
    encoded = undefined;
    if (counted.pairs === 0) {
      throw new Wasm2VecError(`no two vocabulary words occur within ${o.window} words of each other on one line: nothing to factorise (lower minCount or use a larger corpus)`);
    }
    const cooccurSeconds = seconds(cooccurStarted);
    report(o, { phase: 'cooccur', fraction: 1, words: corpusTokens, elapsedSeconds: cooccurSeconds });

    // The CSR's entries are sized for every pair, the upper bound.
    const ppmiStarted = performance.now();
    const plan = planSvd(n, n, counted.pairs, width, o.threads);
    const memory = createSvdMemory(plan);
    const ppmi = await buildPpmi({
      segments: counted.segments, recordsMemory: gm.memory, vocabSize, cds: o.cds, neg: o.neg, memory, plan, signal: o.signal,
      onProgress: o.onProgress && ((fraction) => report(o, { phase: 'ppmi', fraction, words: 0, elapsedSeconds: seconds(ppmiStarted) })),
    });
    temp.remove();
    return { memory, plan, ppmi, kept: stream.kept, cooccurSeconds, ppmiStarted, countingBytes: gm.bytes };
  } finally {
    if (encoded?.kind === 'file') encoded.dispose();
  }
}

/** W = U·Σ^eig (+ C = V·Σ^eig), as hyperwords' SVDEmbedding and EnsembleEmbedding: each normalised, and the sum normalised again. */
function wordVectors(u: Float64Array, v: Float64Array, sigma: Float64Array, n: number, o: ResolvedSvdOptions): Float32Array {
  const k = o.dim;
  const scale = Array.from(sigma, (s) => (o.eig === 0 ? 1 : Math.pow(s, o.eig)));
  const out = new Float64Array(n * k);
  const row = new Float64Array(k);
  const addRow = (m: Float64Array, i: number) => {
    let norm = 0;
    for (let j = 0; j < k; j++) {
      row[j] = m[i * k + j] * scale[j];
      norm += row[j] * row[j];
    }
    const f = o.normalizeVectors && norm > 0 ? 1 / Math.sqrt(norm) : 1;
    for (let j = 0; j < k; j++) out[i * k + j] += row[j] * f;
  };
  for (let i = 0; i < n; i++) {
    addRow(u, i);
    if (o.addContexts) {
      addRow(v, i);
      if (o.normalizeVectors) {
        let norm = 0;
        for (let j = 0; j < k; j++) norm += out[i * k + j] ** 2;
        if (norm > 0) for (let j = 0; j < k; j++) out[i * k + j] /= Math.sqrt(norm);
      }
    }
  }
  return Float32Array.from(out);
}

/**
 * Probability of keeping each id, or undefined when every word is kept. As hyperwords --sub t --del:
 * 1 − √(t·N / #w) is the drop probability, N the occurrences of vocabulary words.
 */
function subsampler(o: ResolvedSvdOptions, counts: readonly number[], vocabularyTokens: number): { keep: Float64Array; random: GaussianStream } | undefined {
  if (o.subsample === 0) return undefined;
  const threshold = o.subsample * vocabularyTokens;
  const keep = new Float64Array(counts.length).fill(1);
  for (let id = 1; id < counts.length; id++) if (counts[id] > threshold) keep[id] = Math.sqrt(threshold / counts[id]);
  return { keep, random: new GaussianStream(o.seed ^ 0x5ab5) };
}

/** Writes the final ids (dropped and subsampled words removed, line breaks kept as id 0) to the arena or a file. */
function encodeStream(
  gm: CooccurMemory, plan: CountPlan, spool: IdSpool, remap: Int32Array, inMemory: boolean, subsample: ReturnType<typeof subsampler>, vocabularyTokens: number,
  tempDir: string | undefined,
): { stream: IdStream; encoded?: EncodedCorpus; kept: number } {
  let kept = 0;
  const blocks = function* (): Generator<Int32Array> {
    for (const ids of remapBlocks(spool, remap)) {
      let m = 0;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        if (id !== 0 && subsample !== undefined && subsample.keep[id] < 1 && subsample.random.uniform() >= subsample.keep[id]) continue;
        if (id !== 0) kept++;
        ids[m++] = id;
      }
      yield ids.subarray(0, m);
    }
  };
  if (inMemory) {
    const target = new Int32Array(gm.memory.buffer, plan.streamOffset!, spool.length);
    let length = 0;
    for (const ids of blocks()) {
      target.set(ids, length);
      length += ids.length;
    }
    return { stream: { kind: 'memory', offset: plan.streamOffset!, length }, kept };
  }
  if (subsample !== undefined) {
    throw new Wasm2VecError(
      `the encoded corpus (${formatBytes(spool.length * 4)}) does not fit in an eighth of the memory budget, and subsampling needs it in memory: raise memory or set subsample 0`,
    );
  }
  const encoded = encodeToFile(spool, remap, tempDir);
  if (encoded.kind !== 'file') throw new Error('internal: expected an id file');
  // Without subsampling every vocabulary word is kept.
  return { stream: { kind: 'file', path: encoded.path, length: encoded.length }, encoded, kept: vocabularyTokens };
}

function report(o: ResolvedSvdOptions, event: SvdProgressEvent): void {
  o.onProgress?.(event);
}

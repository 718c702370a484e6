import { nodeBuiltin } from '../runtime/node-builtins.js';
import { Wasm2VecError } from '../errors.js';
import type { KeyedVectors } from './keyed-vectors.js';
const { readFile } = nodeBuiltin('node:fs/promises');

// Intrinsic evaluation of word vectors, with the semantics of gensim 4.2's
// KeyedVectors.evaluate_word_analogies and evaluate_word_pairs (dummy4unknown=False).

export interface AccuracyCounts {
  correct: number;
  incorrect: number;
  /** correct / (correct + incorrect), 0 when no question was answered (as gensim). */
  accuracy: number;
}

export interface AnalogySectionResult extends AccuracyCounts {
  section: string;
}

export interface AnalogyEvaluation {
  /** Per section, in file order (gensim's list without its final 'Total accuracy' entry). */
  sections: AnalogySectionResult[];
  /** Sections whose name does not start with "gram" (in questions-words.txt, the first 5). */
  semantic: AccuracyCounts;
  /** Sections whose name starts with "gram". */
  syntactic: AccuracyCounts;
  /** All sections: gensim's 'Total accuracy' and the score it returns. */
  total: AccuracyCounts;
  /** Well-formed questions (4 words) read. */
  questions: number;
  /** Questions skipped because a word is not among the first restrictVocab words. */
  oov: number;
  /** oov / questions × 100, as gensim logs it. */
  oovRatio: number;
  /** Malformed lines skipped (not ": section" and not 4 words; blank lines do not count). */
  skipped: number;
  /** 1-based number of the first skipped line, when any was. */
  firstSkippedLine?: number;
  restrictVocab: number;
  seconds: number;
}

export interface AnalogyEvaluationOptions {
  /** Only the first N words (the most frequent) answer or take part in questions (default 30000). */
  restrictVocab?: number;
  /** Compare words upper-cased; a case variant maps to its most frequent form (default true). */
  caseInsensitive?: boolean;
}

export interface WordPairsEvaluation {
  /** Pearson's r between the gold scores and the model's cosine similarities. */
  pearson: number;
  /** Two-sided p-value of pearson (t-test with n − 2 degrees of freedom, as scipy). */
  pearsonP: number;
  /** Spearman's ρ (Pearson's r of the tie-averaged ranks, as scipy.stats.spearmanr). */
  spearman: number;
  spearmanP: number;
  /** Pairs with both words in the vocabulary (used for the correlations). */
  pairs: number;
  /** Pairs skipped because a word is out of the vocabulary. */
  oov: number;
  /** oov / (pairs + oov) × 100, as gensim returns it. */
  oovRatio: number;
  /** Malformed lines skipped (not 3 fields, or a score that is not a number; blank lines do not count). */
  skipped: number;
  /** 1-based number of the first skipped line, when any was. */
  firstSkippedLine?: number;
}

export interface WordPairsOptions {
  /** Default 300000, as gensim. */
  restrictVocab?: number;
  caseInsensitive?: boolean;
  /**
   * Field separator: 'auto' (default) splits lines holding a tab on tabs and the others on runs of
   * whitespace; 'whitespace' always splits on whitespace; any other string is used as given
   * (like Python's str.split(delimiter): fields are not trimmed, '\t' is gensim's default).
   */
  delimiter?: string;
}

/** Google's analogy test set (questions-words.txt: ": section" lines, then "a b c expected" lines). */
export async function evaluateAnalogies(
  model: KeyedVectors,
  file: string,
  options: AnalogyEvaluationOptions = {},
): Promise<AnalogyEvaluation> {
  return evaluateAnalogiesText(model, await readText(file), options, file);
}

/**
 * As gensim's evaluate_word_analogies: vocabulary restricted to the first restrictVocab words,
 * questions with any word outside it skipped, the answer predicted with 3CosAdd
 * (most_similar(positive=[b, c], negative=[a], topn=5)) over the restricted vocabulary excluding
 * the question words, then the first of those 5 whose (upper-cased) form is not a question word.
 * The queries run in batches through the WebAssembly batched kernel.
 */
export function evaluateAnalogiesText(
  model: KeyedVectors,
  text: string,
  options: AnalogyEvaluationOptions = {},
  name = 'the analogy file',
): AnalogyEvaluation {
  const started = performance.now();
  const restrictVocab = checkRestrict(options.restrictVocab ?? 30000);
  const caseInsensitive = options.caseInsensitive ?? true;
  const norm = caseInsensitive ? (w: string) => w.toUpperCase() : (w: string) => w;
  const rows = Math.min(restrictVocab, model.size);
  const okVocab = restrictedVocab(model, rows, norm);

  interface Question {
    section: number;
    expected: string;
    ignore: [string, string, string];
  }
  const sectionNames: string[] = [];
  const asked: Question[] = [];
  const triples: number[] = [];
  let questions = 0;
  let oov = 0;
  const skip = skippedLines();
  const lines = splitLines(text, /\n/);
  lines.forEach((line, lineNo) => {
    if (line.startsWith(': ')) {
      sectionNames.push(pyStrip(line.replace(/^[: ]+/, '')));
      return;
    }
    if (sectionNames.length === 0) {
      throw new Wasm2VecError(`missing section header before line #${lineNo} in ${name}`);
    }
    const words = pySplit(line);
    if (words.length !== 4) {
      if (words.length > 0) skip.add(lineNo); // gensim: "Skipping invalid line"
      return;
    }
    const [a, b, c, expected] = words.map(norm);
    questions++;
    const ia = okVocab.get(a);
    const ib = okVocab.get(b);
    const ic = okVocab.get(c);
    if (ia === undefined || ib === undefined || ic === undefined || !okVocab.has(expected)) {
      oov++;
      return;
    }
    asked.push({ section: sectionNames.length - 1, expected, ignore: [a, b, c] });
    triples.push(ia, ib, ic);
  });

  const counts = sectionNames.map(() => ({ correct: 0, incorrect: 0 }));
  if (asked.length > 0) {
    const topN = 5;
    const result = model.analogyIndices(Int32Array.from(triples), { topN, restrictVocab: rows });
    const k = result.topN;
    const upper: (string | undefined)[] = new Array(rows);
    asked.forEach((q, n) => {
      let predicted: string | undefined;
      for (let j = 0; j < k; j++) {
        const i = result.indices[n * k + j];
        if (i < 0) break;
        predicted = upper[i] ??= norm(model.words[i]);
        if (okVocab.has(predicted) && !q.ignore.includes(predicted)) break;
      }
      if (predicted === q.expected) counts[q.section].correct++;
      else counts[q.section].incorrect++;
    });
  }

  const sections = sectionNames.map((section, i) => ({ section, ...withAccuracy(counts[i]) }));
  const sum = (list: AccuracyCounts[]) =>
    withAccuracy({
      correct: list.reduce((s, x) => s + x.correct, 0),
      incorrect: list.reduce((s, x) => s + x.incorrect, 0),
    });
  return {
    sections,
    semantic: sum(sections.filter((s) => !s.section.startsWith('gram'))),
    syntactic: sum(sections.filter((s) => s.section.startsWith('gram'))),
    total: sum(sections),
    questions,
    oov,
    oovRatio: questions > 0 ? (oov / questions) * 100 : 0,
    ...skip.result(),
    restrictVocab,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Word-similarity judgements (WordSim-353, SimLex-999, MEN…): "word1 word2 score" lines, '#' comments. */
export async function evaluateWordPairs(model: KeyedVectors, file: string, options: WordPairsOptions = {}): Promise<WordPairsEvaluation> {
  return evaluateWordPairsText(model, await readText(file), options, file);
}

/** As gensim's evaluate_word_pairs: Spearman and Pearson over the pairs whose words are both known. */
export function evaluateWordPairsText(
  model: KeyedVectors,
  text: string,
  options: WordPairsOptions = {},
  name = 'the word-pairs file',
): WordPairsEvaluation {
  const restrictVocab = checkRestrict(options.restrictVocab ?? 300000);
  const caseInsensitive = options.caseInsensitive ?? true;
  const delimiter = options.delimiter ?? 'auto';
  if (delimiter === '') throw new Wasm2VecError('the word-pairs delimiter cannot be empty');
  const norm = caseInsensitive ? (w: string) => w.toUpperCase() : (w: string) => w;
  const okVocab = restrictedVocab(model, Math.min(restrictVocab, model.size), norm);

  const gold: number[] = [];
  const predicted: number[] = [];
  let oov = 0;
  const skip = skippedLines();
  for (const [lineNo, line] of splitLines(text, /\r\n|\r|\n/).entries()) {
    if (line.startsWith('#')) continue;
    if (line.trim() === '') continue;
    const fields =
      delimiter === 'whitespace' || (delimiter === 'auto' && !line.includes('\t'))
        ? pySplit(line)
        : line.split(delimiter === 'auto' ? '\t' : delimiter);
    if (fields.length !== 3) {
      skip.add(lineNo); // gensim: "Skipping invalid line"
      continue;
    }
    const sim = parsePyFloat(fields[2]);
    if (sim === undefined) {
      skip.add(lineNo);
      continue;
    }
    if (!Number.isFinite(sim)) {
      // One NaN or infinite score makes both correlations NaN: refuse the file rather than print "nan".
      throw new Wasm2VecError(`${name} line ${lineNo + 1}: score ${JSON.stringify(fields[2].trim())} is not a finite number; fix or remove the line`);
    }
    const ia = okVocab.get(norm(fields[0]));
    const ib = okVocab.get(norm(fields[1]));
    if (ia === undefined || ib === undefined) {
      oov++;
      continue;
    }
    gold.push(sim);
    predicted.push(cosineRows(model, ia, ib));
  }
  if (gold.length === 0) {
    throw new Wasm2VecError(`no valid similarity judgements found in ${name}: either invalid format or all are out of vocabulary`);
  }
  const p = pearson(gold, predicted);
  const s = spearman(gold, predicted);
  return {
    pearson: p.r,
    pearsonP: p.p,
    spearman: s.r,
    spearmanP: s.p,
    pairs: gold.length,
    oov,
    oovRatio: (oov / (gold.length + oov)) * 100,
    ...skip.result(),
  };
}

/** Counts skipped lines and remembers the first (reported 1-based). */
function skippedLines() {
  let count = 0;
  let first: number | undefined;
  return {
    add(lineIndex: number) {
      count++;
      first ??= lineIndex + 1;
    },
    result: (): { skipped: number; firstSkippedLine?: number } => (first === undefined ? { skipped: count } : { skipped: count, firstSkippedLine: first }),
  };
}

// ---- statistics (as scipy.stats) ----

/** Ranks 1..n with ties given their average rank (scipy.stats.rankdata(method='average')). */
export function rankAverage(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]] === values[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[order[t]] = rank;
    i = j + 1;
  }
  return ranks;
}

/** Pearson's r and its two-sided p-value (NaN r for constant input, as scipy). */
export function pearson(x: readonly number[], y: readonly number[]): { r: number; p: number } {
  const n = x.length;
  if (n !== y.length) throw new Error('pearson: arrays differ in length');
  if (n < 2) return { r: NaN, p: NaN };
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return { r: NaN, p: NaN };
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  return { r, p: correlationPValue(r, n) };
}

/** Spearman's ρ: Pearson's r of the tie-averaged ranks. */
export function spearman(x: readonly number[], y: readonly number[]): { r: number; p: number } {
  return pearson(rankAverage(x), rankAverage(y));
}

/** Two-sided p-value of a correlation r over n samples: Student's t with n − 2 degrees of freedom. */
function correlationPValue(r: number, n: number): number {
  const df = n - 2;
  if (df <= 0) return 1;
  if (Math.abs(r) >= 1) return 0;
  // P(|T| >= t) = I_{df/(df+t²)}(df/2, 1/2), and df/(df+t²) = 1 − r²
  return regularizedBeta(1 - r * r, df / 2, 0.5);
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularised incomplete beta function I_x(a, b) (continued fraction, Numerical Recipes betacf). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

// ---- helpers ----

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new Wasm2VecError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
}

function checkRestrict(n: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new Wasm2VecError(`restrictVocab must be a positive integer, got ${n}`);
  return n;
}

/** gensim's ok_vocab: normalised form of each of the first `rows` words → row of its first (most frequent) occurrence. */
function restrictedVocab(model: KeyedVectors, rows: number, norm: (w: string) => string): Map<string, number> {
  const ok = new Map<string, number>();
  for (let i = 0; i < rows; i++) {
    const key = norm(model.words[i]);
    if (!ok.has(key)) ok.set(key, model.vocab.get(model.words[i]) ?? i);
  }
  return ok;
}

/** Lines as Python iterates a file (no empty line after a final newline). */
function splitLines(text: string, separator: RegExp): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(separator);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Python's str.split() with no separator: runs of whitespace, no empty fields. */
function pySplit(line: string): string[] {
  return line.split(/\s+/u).filter((w) => w.length > 0);
}

function pyStrip(s: string): string {
  return s.replace(/^\s+|\s+$/gu, '');
}

/** Python's float() on a field: surrounding whitespace allowed, also inf/nan; undefined if invalid. */
function parsePyFloat(field: string): number | undefined {
  const s = pyStrip(field).replace(/(?<=\d)_(?=\d)/g, '');
  if (/^[+-]?(?:\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)$/i.test(s)) return Number(s);
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) return special[2].toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

/** Cosine similarity of two rows of the model (gensim's similarity: dot of the unit vectors). */
function cosineRows(model: KeyedVectors, a: number, b: number): number {
  const v = model.vectors;
  const dim = model.dim;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < dim; i++) {
    const x = v[a * dim + i];
    const y = v[b * dim + i];
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

function withAccuracy(c: { correct: number; incorrect: number }): AccuracyCounts {
  const answered = c.correct + c.incorrect;
  return { correct: c.correct, incorrect: c.incorrect, accuracy: answered > 0 ? c.correct / answered : 0 };
}

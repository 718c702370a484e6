// train()'s and trainGlove()'s `phrases` option: a Phrases object (or any PhraseTable), a phrases
// file (Phrases.save / `wasm2vec phrases --save-phrases`), or word2phrase settings to learn them
// from the same corpus first. Checked with the other options; loaded or learned just before the
// vocabulary pass, which joins them into the tokens as it reads.
import { Wasm2VecError } from '../errors.js';
import type { CorpusSource } from '../corpus/source.js';
import type { PhraseTable } from '../corpus/phrase-joiner.js';
import { describeValue } from '../validate.js';
import { resolvePhraseOptions, type PhraseOptions } from './options.js';
import { Phrases } from './phrases.js';
import { learnPhrases } from './learn.js';

export type PhrasesOption = PhraseTable | string | PhraseOptions;

function isPhraseTable(value: object): value is PhraseTable {
  const table = value as Partial<PhraseTable>;
  return Array.isArray(table.passes) && typeof table.delimiter === 'string' && table.passes.every((p) => p?.pairs instanceof Map);
}

/** Checks the option's shape (at the options edge): undefined, a table, a non-empty path or valid settings. */
export function checkPhrasesOption(value: unknown): PhrasesOption | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    if (value instanceof Phrases || isPhraseTable(value)) return value;
    resolvePhraseOptions(value as PhraseOptions, 'option phrases');
    return value as PhraseOptions;
  }
  throw new Wasm2VecError(`option phrases must be a Phrases object (learnPhrases), a phrases file path, or { threshold, minCount, passes, scoring }, got ${describeValue(value)}`);
}

/** The phrases to join: loaded, or learned from `input` (a file, read once more before the vocabulary pass). */
export async function preparePhrases(
  option: PhrasesOption | undefined, input: CorpusSource | undefined, options: { threads: number; signal?: AbortSignal },
): Promise<PhraseTable | undefined> {
  if (option === undefined) return undefined;
  if (typeof option === 'string') return Phrases.load(option);
  if (option instanceof Phrases || isPhraseTable(option)) return option;
  if (typeof input !== 'string' || input === '-') {
    throw new Wasm2VecError('option phrases: learning phrases reads the corpus before training, so input must be a file path; learn them first with learnPhrases() and pass the Phrases object');
  }
  return learnPhrases({ ...(option as PhraseOptions), input, threads: options.threads, signal: options.signal });
}

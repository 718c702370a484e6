// The text options every training command and `segment` share (--tokenizer, --normalize,
// --lowercase, --user-dict): one parser, so they are spelled and checked alike everywhere.
import { Wasm2VecError } from '../errors.js';
import type { Normalization, TokenizeOptions, TokenizerOption } from '../corpus/tokenizer.js';

export const TEXT_OPTIONS = {
  tokenizer: { type: 'string' }, lowercase: { type: 'boolean' }, normalize: { type: 'string' }, 'user-dict': { type: 'string' },
} as const;

export const TEXT_OPTIONS_USAGE = `  --tokenizer T         whitespace (default, word2vec.c); unicode: Unicode word boundaries
                        (Intl.Segmenter), splits Chinese, Japanese, Thai, drops punctuation;
                        jieba: Chinese dictionary segmentation as Python jieba.cut (HMM on,
                        punctuation kept; optional package @node-rs/jieba); or a path to a
                        module (./tok.mjs) whose default export is (text) => string[]
  --user-dict FILE      jieba user dictionary: lines "word [frequency] [tag]"
  --normalize N         before splitting: nfkc (e.g. full-width ＡＢＣ → ABC), t2s (Traditional →
                        Simplified Chinese, OpenCC t2s.json; optional package opencc-js), s2t,
                        or a comma-separated list (nfkc,t2s)
  --lowercase           lowercase the text before splitting it`;

const NAMED_TOKENIZERS = ['whitespace', 'unicode', 'jieba'];

/** The TokenizeOptions given on the command line. */
export function textOptionsFromArgs(values: { tokenizer?: string; lowercase?: boolean; normalize?: string; 'user-dict'?: string }): TokenizeOptions {
  return {
    tokenizer: tokenizerOption(values.tokenizer),
    lowercase: values.lowercase,
    normalize: normalizeOption(values.normalize),
    userDict: values['user-dict'],
  };
}

function tokenizerOption(value: string | undefined): TokenizerOption | undefined {
  if (value === undefined || NAMED_TOKENIZERS.includes(value)) return value as TokenizerOption | undefined;
  if (/[\\/]/.test(value) || /\.[cm]?js$/.test(value)) return { module: value };
  throw new Wasm2VecError(`--tokenizer must be whitespace, unicode, jieba or a module path such as ./tokenizer.mjs, got "${value}"`);
}

function normalizeOption(value: string | undefined): Normalization[] | false | undefined {
  if (value === undefined) return undefined;
  const steps: Normalization[] = [];
  for (const part of value.split(',').map((p) => p.trim().toLowerCase())) {
    if (part === 'none') continue;
    if (part === 'nfkc') steps.push('NFKC');
    else if (part === 't2s' || part === 's2t') steps.push(part);
    else throw new Wasm2VecError(`--normalize must be nfkc, t2s, s2t, a comma-separated list of them, or none; got "${value}"`);
  }
  return steps.length > 0 ? steps : false;
}

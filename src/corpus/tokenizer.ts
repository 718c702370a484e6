import { Wasm2VecError } from '../errors.js';
import { nodeBuiltin } from '../runtime/node-builtins.js';
import { boolean, describeValue } from '../validate.js';
import { loadJieba } from './jieba.js';
import { loadScriptConverter } from './script-conversion.js';
const { existsSync } = nodeBuiltin('node:fs');
const { pathToFileURL } = nodeBuiltin('node:url');
const { isAbsolute, resolve: resolvePath } = nodeBuiltin('node:path');

/** The token word2vec.c emits for every line end; it ends a training sentence. */
export const END_OF_LINE = '</s>';

// Unicode White_Space minus the line feed, which is a token of its own.
const SPACES = /[\t\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

export function isUnicodeSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0x85) return false;
  return (
    code === 0x85 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000
  );
}

function lastSpaceIndex(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (isUnicodeSpace(text.charCodeAt(i))) return i;
  return -1;
}

/**
 * Splits a stream of text chunks into batches of words, with END_OF_LINE for every '\n' as
 * word2vec.c does. Works chunk by chunk, carrying only the partial word at a chunk's end, so a
 * single 100 MB line is never held as one string.
 */
export async function* tokenizeWhitespace(chunks: AsyncIterable<string>): AsyncGenerator<string[]> {
  let carry = '';
  for await (const chunk of chunks) {
    let text = carry + chunk;
    // Keep the trailing partial word for the next chunk.
    const cut = lastSpaceIndex(text);
    if (cut < 0) {
      carry = text;
      continue;
    }
    carry = text.slice(cut + 1);
    text = text.slice(0, cut + 1);
    const batch = splitText(text);
    if (batch.length > 0) yield batch;
  }
  if (carry.length > 0) {
    const batch = splitText(carry);
    if (batch.length > 0) yield batch;
  }
}

// Whitespace other than ' ' and '\n': when a chunk has none (the usual case), String#split(' ')
// is several times faster than a regular-expression split.
const RARE_SPACES = /[\t\v\f\r\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

function splitText(text: string): string[] {
  const out: string[] = [];
  const separator: string | RegExp = RARE_SPACES.test(text) ? SPACES : ' ';
  const lines = text.split('\n');
  for (let l = 0; l < lines.length; l++) {
    if (l > 0) out.push(END_OF_LINE);
    const line = lines[l];
    if (line.length === 0) continue;
    const words = line.split(separator);
    for (let w = 0; w < words.length; w++) if (words[w].length > 0) out.push(words[w]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tokenizers beyond whitespace: Unicode word boundaries, jieba, user functions and modules;
// lowercasing, NFKC and Chinese script conversion.

/** A user tokenizer: gets a piece of text (no '\n'; cut at whitespace) and returns its words. */
export type TokenizerFunction = (text: string) => string[];
/**
 * A user tokenizer as a module: `module` is a path (or package name) whose export `export`
 * (default: the default export) is a TokenizerFunction. Unlike a function, it can be loaded on
 * worker threads, so the vocabulary pass of a large file runs on all of them.
 */
export interface TokenizerModule {
  module: string;
  export?: string;
}
export type TokenizerOption = 'whitespace' | 'unicode' | 'jieba' | TokenizerFunction | TokenizerModule;
/** A text normalisation: Unicode NFKC, or OpenCC's Traditional → Simplified (t2s) or back (s2t). */
export type Normalization = 'NFKC' | 't2s' | 's2t';

/** How a trainer turns text into words; every trainer takes these options (resolveTextOptions). */
export interface TokenizeOptions {
  /**
   * How text is split into words: 'whitespace' (default, word2vec.c), 'unicode' (Intl.Segmenter word
   * boundaries, for Chinese, Japanese, Thai and other unspaced scripts; punctuation dropped), 'jieba'
   * (jieba's Chinese dictionary segmentation with HMM, as Python jieba.cut; punctuation kept; needs
   * the optional package @node-rs/jieba), a function from a piece of text (never containing '\n')
   * to its words, or `{ module }`, a module exporting such a function. Every '\n' ends a sentence.
   */
  tokenizer?: TokenizerOption;
  /** Lowercase the text before splitting it (default false). */
  lowercase?: boolean;
  /**
   * Normalisation applied before splitting (and before lowercasing): 'NFKC', 't2s' (Traditional →
   * Simplified Chinese, OpenCC t2s.json; needs the optional package opencc-js), 's2t', a list of
   * them (applied NFKC first), or false (default).
   */
  normalize?: Normalization | readonly Normalization[] | false;
  /** A jieba user dictionary file (lines "word [frequency] [tag]"), with tokenizer 'jieba' only. */
  userDict?: string;
}

export const TOKENIZE_OPTION_KEYS = ['tokenizer', 'lowercase', 'normalize', 'userDict'] as const satisfies readonly (keyof TokenizeOptions)[];

export interface ResolvedTextOptions {
  tokenizer: TokenizerOption;
  lowercase: boolean;
  normalize: Normalization[] | false;
  userDict: string | undefined;
  /** The byte-level whitespace pass applies: whitespace tokenizer, no lowercasing or normalisation. */
  plain: boolean;
}

const NORMALIZATIONS: readonly Normalization[] = ['NFKC', 't2s', 's2t'];

/** Validates the text options of any trainer. */
export function resolveTextOptions(options: TokenizeOptions): ResolvedTextOptions {
  const tokenizer = options.tokenizer ?? 'whitespace';
  const named = tokenizer === 'whitespace' || tokenizer === 'unicode' || tokenizer === 'jieba';
  const isModule = typeof tokenizer === 'object' && tokenizer !== null && typeof (tokenizer as TokenizerModule).module === 'string' &&
    ((tokenizer as TokenizerModule).export === undefined || typeof (tokenizer as TokenizerModule).export === 'string');
  if (!named && typeof tokenizer !== 'function' && !isModule) {
    throw new Wasm2VecError(`option tokenizer must be "whitespace", "unicode", "jieba", a function (text) => string[] or { module: "path" }, got ${describeValue(tokenizer)}`);
  }
  const lowercase = boolean('lowercase', options.lowercase ?? false);
  const normalize = normalizationSteps(options.normalize ?? false);
  const userDict = options.userDict;
  if (userDict !== undefined) {
    if (typeof userDict !== 'string' || userDict.length === 0) throw new Wasm2VecError(`option userDict must be a file path, got ${describeValue(userDict)}`);
    if (tokenizer !== 'jieba') throw new Wasm2VecError(`option userDict (${userDict}) is for tokenizer "jieba", but tokenizer is ${describeValue(typeof tokenizer === 'function' ? 'a function' : tokenizer)}`);
    if (!existsSync(userDict)) throw new Wasm2VecError(`option userDict: the user dictionary ${userDict} does not exist`);
  }
  return { tokenizer, lowercase, normalize, userDict, plain: tokenizer === 'whitespace' && !lowercase && !normalize };
}

/** The normalisations to apply, in order (NFKC first), or false for none. */
function normalizationSteps(normalize: unknown): Normalization[] | false {
  if (normalize === false) return false;
  const given = Array.isArray(normalize) ? normalize : [normalize];
  for (const step of given) {
    if (!NORMALIZATIONS.includes(step as Normalization)) {
      throw new Wasm2VecError(`option normalize must be "NFKC", "t2s", "s2t", a list of them or false, got ${describeValue(normalize)}`);
    }
  }
  if (given.includes('t2s') && given.includes('s2t')) throw new Wasm2VecError('option normalize: "t2s" and "s2t" undo each other; give one');
  const steps = NORMALIZATIONS.filter((step) => given.includes(step));
  return steps.length > 0 ? steps : false;
}

/**
 * The longest run the unicode tokenizer looks through for a safe cut. A longer run with none (a
 * line of Chinese with no punctuation or space for this many characters) is cut at a word
 * boundary FALLBACK_MARGIN characters before its end, which may split one word differently from a
 * whole-text segmentation.
 */
export const MAX_CARRY_CHARS = 4096;
const FALLBACK_MARGIN = 256;
/**
 * Intl.Segmenter's iteration slows down with the length of the string it walks (V8 re-scans it,
 * so one 1 MB string takes minutes), so text is segmented in pieces of about this many characters.
 */
const PIECE_CHARS = 256;

/**
 * Splits a stream of text chunks into batches of words with the chosen tokenizer, lowercasing and
 * normalisation, and END_OF_LINE for every '\n'. Streaming: only a bounded tail of each chunk is
 * carried to the next, never a whole line. Optional packages (jieba, OpenCC) load on first use.
 */
export async function* tokenize(chunks: AsyncIterable<string>, options: TokenizeOptions = {}): AsyncGenerator<string[]> {
  const { tokenizer, userDict } = resolveTextOptions(options);
  const transform = await textTransform(options);
  if (tokenizer === 'unicode') return yield* tokenizeUnicode(chunks, transform);
  if (tokenizer === 'whitespace') return yield* (transform ? tokenizeWhitespaceTransformed(chunks, transform) : tokenizeWhitespace(chunks));
  const fn = tokenizer === 'jieba' ? await loadJieba(userDict) : typeof tokenizer === 'function' ? tokenizer : await loadTokenizerModule(tokenizer as TokenizerModule);
  yield* tokenizeWithFunction(chunks, fn, transform);
}

/**
 * The same tokenizers, normalisation and lowercasing for one line of text at a time (the examples
 * of the classification evaluator), with the optional packages loaded once, here.
 */
export async function loadLineTokenizer(options: TokenizeOptions = {}): Promise<(line: string) => string[]> {
  const { tokenizer, userDict } = resolveTextOptions(options);
  const transform = await textTransform(options);
  const prepared = (line: string) => (transform ? transform(line) : line).replace(/\n/g, ' ');
  if (tokenizer === 'whitespace') return (line) => splitText(prepared(line));
  if (tokenizer === 'unicode') {
    return (line) => {
      const out: string[] = [];
      segmentPieces(line.replace(/\n/g, ' '), true, transform, out);
      return out;
    };
  }
  const fn = tokenizer === 'jieba' ? await loadJieba(userDict) : typeof tokenizer === 'function' ? tokenizer : await loadTokenizerModule(tokenizer as TokenizerModule);
  return (line) => checkedWords(fn(prepared(line)), []);
}

/** A user tokenizer's result, checked, without empty words, appended to `out`. */
function checkedWords(words: unknown, out: string[]): string[] {
  if (!Array.isArray(words)) throw new Wasm2VecError(`the tokenizer function must return an array of strings, got ${typeof words}`);
  for (const word of words) {
    if (typeof word !== 'string') throw new Wasm2VecError(`the tokenizer function must return an array of strings, got an element of type ${typeof word}`);
    if (word.length > 0 && word !== '\n') out.push(word);
  }
  return out;
}

/** Loads a user tokenizer module (a path is taken from the working directory). */
export async function loadTokenizerModule(spec: TokenizerModule): Promise<TokenizerFunction> {
  const isPath = spec.module.startsWith('.') || isAbsolute(spec.module);
  const specifier = isPath ? pathToFileURL(resolvePath(spec.module)).href : spec.module;
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new Wasm2VecError(`option tokenizer: cannot load the tokenizer module ${spec.module}: ${(error as Error).message}`, { cause: error });
  }
  const name = spec.export ?? 'default';
  const fn = loaded[name];
  if (typeof fn !== 'function') {
    throw new Wasm2VecError(`option tokenizer: the module ${spec.module} has no function export "${name}" (export a function (text) => string[])`);
  }
  return fn as TokenizerFunction;
}

type Transform = (text: string) => string;

/** NFKC, then script conversion, then lowercasing (NFKC maps full-width forms to letters that lowercase). */
async function textTransform(options: TokenizeOptions): Promise<Transform | undefined> {
  const { lowercase = false } = options;
  const steps: Transform[] = [];
  for (const step of normalizationSteps(options.normalize ?? false) || []) {
    steps.push(step === 'NFKC' ? (text) => text.normalize('NFKC') : await loadScriptConverter(step));
  }
  if (lowercase) steps.push((text) => text.toLowerCase());
  if (steps.length === 0) return undefined;
  if (steps.length === 1) return steps[0];
  return (text) => {
    for (const step of steps) text = step(text);
    return text;
  };
}

/**
 * Pieces of the stream that end just after whitespace (or the end of the stream), so lowercasing
 * and NFKC give the same result piece by piece as on the whole text: neither looks across a space.
 * A run of `maxCarry` characters without whitespace is passed on as it is.
 */
async function* whitespacePieces(chunks: AsyncIterable<string>, maxCarry: number): AsyncGenerator<string> {
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + chunk;
    const cut = lastSpaceIndex(text);
    if (cut < 0) {
      if (text.length > maxCarry) {
        carry = '';
        yield text;
      } else {
        carry = text;
      }
      continue;
    }
    carry = text.slice(cut + 1);
    yield text.slice(0, cut + 1);
  }
  if (carry.length > 0) yield carry;
}

async function* tokenizeWhitespaceTransformed(chunks: AsyncIterable<string>, transform: Transform): AsyncGenerator<string[]> {
  // As tokenizeWhitespace, a run without spaces is carried whole (it is one word).
  for await (const piece of whitespacePieces(chunks, Number.POSITIVE_INFINITY)) {
    const batch = splitText(transform(piece));
    if (batch.length > 0) yield batch;
  }
}

async function* tokenizeWithFunction(chunks: AsyncIterable<string>, fn: TokenizerFunction, transform: Transform | undefined): AsyncGenerator<string[]> {
  for await (const piece of whitespacePieces(chunks, MAX_CARRY_CHARS * 64)) {
    const text = transform ? transform(piece) : piece;
    const out: string[] = [];
    const lines = text.split('\n');
    for (let l = 0; l < lines.length; l++) {
      if (l > 0) out.push(END_OF_LINE);
      if (lines[l].length === 0) continue;
      checkedWords(fn(lines[l]), out);
    }
    if (out.length > 0) yield out;
  }
}

let wordSegmenter: Intl.Segmenter | undefined;

function segmenter(): Intl.Segmenter {
  if (typeof Intl === 'undefined' || typeof Intl.Segmenter !== 'function') {
    throw new Wasm2VecError('the "unicode" tokenizer needs Intl.Segmenter (Node.js built with ICU)');
  }
  return (wordSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' }));
}

const NOT_CASE_IGNORABLE = /\P{Case_Ignorable}/u;

/**
 * Whether the word boundary after the non-word segment `segment` is a safe place to cut the stream:
 * it holds a character that is neither case-ignorable nor combining (a space, a line break, most
 * punctuation such as '。' or '，'), so no word, dictionary run (CJK, Thai), final-sigma rule or
 * NFKC composition reaches across it.
 */
function isSafeSeparator(segment: string): boolean {
  const c = segment.charCodeAt(0);
  if (c === 0x20 || c === 0x0a) return true;
  return NOT_CASE_IGNORABLE.test(segment);
}

// Printable ASCII: UAX #29 word boundaries come down to runs of letters, digits and '_' joined by
// one of . : ' between letters or . , ; ' between digits (WB6, WB7, WB11, WB12), and a lone '_' is
// not word-like. The regular expression gives exactly Intl.Segmenter's words there (checked by a
// property test), several times faster.
const PRINTABLE_ASCII = /^[\x20-\x7e\t\n\r]*$/;
const ASCII_WORD = /[A-Za-z0-9_]+(?:(?:(?<=[A-Za-z])[.:'](?=[A-Za-z])|(?<=[0-9])[.,;'](?=[0-9]))[A-Za-z0-9_]+)*/g;

/** The words of a text (every one of its segments is complete) with END_OF_LINE for '\n'. */
function segmentWords(text: string, out: string[]): void {
  if (PRINTABLE_ASCII.test(text)) {
    const lines = text.split('\n');
    for (let l = 0; l < lines.length; l++) {
      if (l > 0) out.push(END_OF_LINE);
      const words = lines[l].match(ASCII_WORD);
      if (words) for (let w = 0; w < words.length; w++) if (words[w] !== '_') out.push(words[w]);
    }
    return;
  }
  for (const { segment, isWordLike } of segmenter().segment(text)) {
    if (isWordLike) {
      out.push(segment);
    } else {
      for (let i = segment.indexOf('\n'); i >= 0; i = segment.indexOf('\n', i + 1)) out.push(END_OF_LINE);
    }
  }
}

/**
 * Word tokens from Intl.Segmenter's word boundaries (word-like segments only), so Chinese, Japanese
 * and Thai are split by ICU's dictionaries. The text is segmented in short pieces that end at safe
 * cuts (after whitespace or punctuation); a tail too short to hold one is carried to the next chunk.
 */
async function* tokenizeUnicode(chunks: AsyncIterable<string>, transform: Transform | undefined): AsyncGenerator<string[]> {
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + chunk;
    const batch: string[] = [];
    carry = text.slice(segmentPieces(text, false, transform, batch));
    if (batch.length > 0) yield batch;
  }
  if (carry.length > 0) {
    const batch: string[] = [];
    segmentPieces(carry, true, transform, batch);
    if (batch.length > 0) yield batch;
  }
}

/** Segments `text` piece by piece into `out`; returns how many characters it consumed (all if `final`). */
function segmentPieces(text: string, final: boolean, transform: Transform | undefined, out: string[]): number {
  let start = 0;
  while (start < text.length) {
    let cut: number;
    if (text.length - start <= PIECE_CHARS) {
      if (!final) break; // the next chunk may continue this tail
      cut = text.length;
    } else {
      cut = lastSpaceCut(text, start, start + PIECE_CHARS);
      if (cut < 0) {
        // No whitespace: cut after punctuation, found by segmenting a window ahead.
        const found = separatorCut(text, start, final, transform ? undefined : out);
        if (found < 0) break;
        if (!transform && found > start) {
          start = found;
          continue;
        }
        cut = found;
      }
    }
    const piece = text.slice(start, cut);
    segmentWords(transform ? transform(piece) : piece, out);
    start = cut;
  }
  return start;
}

/** The position just after the last whitespace in [start, limit), or −1. */
function lastSpaceCut(text: string, start: number, limit: number): number {
  for (let i = limit - 1; i >= start; i--) if (isUnicodeSpace(text.charCodeAt(i))) return i + 1;
  return -1;
}

/**
 * Segments growing windows of `text` from `start` (up to MAX_CARRY_CHARS) for the last safe
 * separator that has text after it inside the window, and returns the position after it (with its
 * words appended to `out` when given). Without one: −1 if the window reached the end of a
 * non-final text (carry it), else a word boundary FALLBACK_MARGIN before the window's end.
 */
function separatorCut(text: string, start: number, final: boolean, out: string[] | undefined): number {
  for (let size = PIECE_CHARS * 4; ; size *= 4) {
    const end = Math.min(start + size, text.length);
    const window = text.slice(start, end);
    const words: string[] = [];
    let safe = -1;
    let safeWords = 0;
    let fallback = -1;
    let fallbackWords = 0;
    for (const { segment, index, isWordLike } of segmenter().segment(window)) {
      if (index > 0 && index <= window.length - FALLBACK_MARGIN) {
        fallback = index;
        fallbackWords = words.length;
      }
      if (isWordLike) {
        words.push(segment);
        continue;
      }
      for (let i = segment.indexOf('\n'); i >= 0; i = segment.indexOf('\n', i + 1)) words.push(END_OF_LINE);
      const after = index + segment.length;
      if (after < window.length && isSafeSeparator(segment)) {
        safe = after;
        safeWords = words.length;
      }
    }
    let cut = -1;
    let count = 0;
    if (safe > 0) {
      cut = safe;
      count = safeWords;
    } else if (end === text.length && final) {
      cut = window.length;
      count = words.length;
    } else if (size >= MAX_CARRY_CHARS && (end < text.length || window.length > MAX_CARRY_CHARS)) {
      if (fallback <= 0) {
        fallback = window.length;
        fallbackWords = words.length;
      }
      cut = fallback;
      count = fallbackWords;
    } else if (end === text.length) {
      return -1;
    } else {
      continue;
    }
    if (out) for (let w = 0; w < count; w++) out.push(words[w]);
    return start + cut;
  }
}

// The 'jieba' tokenizer: jieba's dictionary segmentation (default dictionary, HMM for unknown
// words on, as Python jieba 0.42's jieba.cut) through @node-rs/jieba, which wraps jieba-rs in
// prebuilt native binaries (a WebAssembly build where none fits). Loaded only when asked for.
import { nodeBuiltin } from '../runtime/node-builtins.js';
import { Wasm2VecError } from '../errors.js';
import { importOptional } from './optional-package.js';
const { readFileSync } = nodeBuiltin('node:fs');

interface JiebaInstance {
  cut(sentence: string, hmm?: boolean): string[];
  loadDict(dict: Uint8Array): void;
}
interface JiebaModule {
  Jieba: { withDict(dict: Uint8Array): JiebaInstance };
}
interface JiebaDictModule {
  dict: Uint8Array;
}

const PACKAGE = '@node-rs/jieba';
const segmenters = new Map<string, Promise<(text: string) => string[]>>();

/**
 * A function from text to jieba's words (jieba.cut with HMM on), whitespace tokens dropped and
 * punctuation kept, as `' '.join(jieba.cut(line))` gives before word2vec.c. `userDict` is a jieba
 * user dictionary (lines "word [frequency] [tag]"); a word without a frequency gets the one Python
 * jieba's load_userdict gives it (suggest_freq), so it is kept whole.
 */
export function loadJieba(userDict?: string): Promise<(text: string) => string[]> {
  const key = userDict ?? '';
  let segmenter = segmenters.get(key);
  if (!segmenter) {
    segmenter = createJieba(userDict);
    segmenter.catch(() => segmenters.delete(key));
    segmenters.set(key, segmenter);
  }
  return segmenter;
}

async function createJieba(userDict: string | undefined): Promise<(text: string) => string[]> {
  const neededFor = 'tokenizer "jieba"';
  const { Jieba } = await importOptional<JiebaModule>(PACKAGE, PACKAGE, neededFor);
  const { dict } = await importOptional<JiebaDictModule>(`${PACKAGE}/dict.js`, PACKAGE, neededFor);
  const jieba = Jieba.withDict(dict);
  // Only the dictionary's words made of letters, digits and symbols are looked up per token (below);
  // the full frequency table (twice as slow to build as jieba's own dictionary, on every thread)
  // only for a user dictionary's suggested frequencies.
  const known = symbolRunWords(dict);
  if (userDict !== undefined) {
    const lines = userDictionaryWithFrequencies(userDict, jieba, dictionaryFrequencies(dict));
    jieba.loadDict(new TextEncoder().encode(lines.join('\n') + '\n'));
    for (const line of lines) known.add(line.split(' ')[0]);
  }
  return (text) => {
    const words = jieba.cut(text, true);
    const out: string[] = [];
    for (const word of words) {
      // Most words start with a non-ASCII letter (CJK): neither blank nor an ASCII symbol run, so
      // they skip both regular expressions (a third of the segmenter's time when each ran on every word).
      const first = word.charCodeAt(0);
      if (first > 0x7f && !UNICODE_SPACE.has(first)) {
        out.push(word);
        continue;
      }
      if (WHITESPACE_ONLY.test(word)) continue;
      if (SYMBOL_RUN.test(word) && !PYTHON_SKIP_WORD.test(word) && !known.has(word)) {
        // jieba-rs keeps an unknown run such as "COVID-19" or "UTC+8" whole; Python jieba's HMM
        // step (finalseg) splits it into [A-Za-z0-9]+(\.\d+)?%? runs and what lies between.
        for (const piece of word.split(PYTHON_SKIP)) if (piece.length > 0) out.push(piece);
      } else {
        out.push(word);
      }
    }
    return out;
  };
}

const WHITESPACE_ONLY = /^\s*$/u;
/** The non-ASCII code units JavaScript's \s matches (a word starting with one may be blank). */
const UNICODE_SPACE = new Set([0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]);
/** Runs of the characters Python jieba's re_han_default takes with letters and digits, holding one of the symbols. */
const SYMBOL_RUN = /^[A-Za-z0-9+#&._%-]*[+#&._%-][A-Za-z0-9+#&._%-]*$/;
const PYTHON_SKIP = /([a-zA-Z0-9]+(?:\.\d+)?%?)/;
const PYTHON_SKIP_WORD = /^[a-zA-Z0-9]+(?:\.\d+)?%?$/;

/** The user dictionary with a frequency on every line (Python jieba's suggest_freq for those without). */
function userDictionaryWithFrequencies(path: string, jieba: JiebaInstance, frequencies: { freq: Map<string, number>; total: number }): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Wasm2VecError(`cannot read the user dictionary (option userDict) ${path}: ${(error as Error).message}`, { cause: error });
  }
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  const out: string[] = [];
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed.length === 0) return;
    const parts = trimmed.split(/\s+/);
    const [word, freq, tag] = parts;
    if (freq !== undefined && /^\d+$/.test(freq)) {
      out.push(parts.join(' '));
      return;
    }
    if (freq !== undefined && tag !== undefined) {
      throw new Wasm2VecError(`user dictionary ${path} line ${index + 1}: the frequency "${freq}" is not a whole number (lines are "word [frequency] [tag]")`);
    }
    // suggest_freq(word, tune=False): enough to beat the product of its pieces' probabilities.
    let probability = 1;
    for (const piece of jieba.cut(word, false)) probability *= (frequencies.freq.get(piece) ?? 1) / frequencies.total;
    const suggested = Math.max(Math.floor(probability * frequencies.total) + 1, frequencies.freq.get(word) ?? 1);
    out.push(freq === undefined ? `${word} ${suggested}` : `${word} ${suggested} ${freq}`);
  });
  return out;
}

/** The dictionary's words that SYMBOL_RUN matches ("c++", "b2b-…"): few, found by one scan of its text. */
function symbolRunWords(dict: Uint8Array): Set<string> {
  const words = new Set<string>();
  for (const match of new TextDecoder().decode(dict).matchAll(/^([A-Za-z0-9+#&._%-]*[+#&._%-][A-Za-z0-9+#&._%-]*) /gm)) words.add(match[1]);
  return words;
}

function dictionaryFrequencies(dict: Uint8Array): { freq: Map<string, number>; total: number } {
  const freq = new Map<string, number>();
  let total = 0;
  for (const line of new TextDecoder().decode(dict).split('\n')) {
    const [word, count] = line.split(' ');
    if (!word || count === undefined) continue;
    const n = Number(count);
    freq.set(word, n);
    total += n;
  }
  return { freq, total };
}

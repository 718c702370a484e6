// Where a corpus comes from, for every trainer: a file path (plain or gzip), '-' for standard input,
// a Readable, an iterable of sentences (gensim-style: strings or word lists) or an explicit raw text
// stream ({ text }). Sentences become text lines here, one '\n'-ended line each, so every vocabulary
// and tokenizer path downstream sees the same text as it would from a file.
import { nodeBuiltin } from '../runtime/node-builtins.js';
import { Wasm2VecError } from '../errors.js';
const { createReadStream, promises: fs } = nodeBuiltin('node:fs');
const { createGunzip } = nodeBuiltin('node:zlib');

/** One training sentence: a string (split into words by the tokenizer) or its words, already split. */
export type Sentence = string | readonly string[];

/** Raw text: string chunks or UTF-8 byte chunks, read as the bytes of a file (lines end with '\n'). */
export type TextChunks = Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/** A raw text stream given explicitly: chunks are glued and only '\n' ends a sentence, as in a file. */
export interface TextInput {
  text: TextChunks | NodeJS.ReadableStream;
}

/** A Node.js readable stream of corpus bytes (or strings, with setEncoding): read as raw text. */
export type CorpusStream = NodeJS.ReadableStream;

/**
 * Where a corpus comes from:
 * - a file path (plain text or gzip, detected from its first bytes), or '-' for standard input;
 * - a Readable stream: raw text, as a file;
 * - an Iterable or AsyncIterable of sentences: each string is one sentence, each string[] one
 *   sentence of words already split (gensim's corpus iterables); Uint8Array items are raw UTF-8 text;
 * - `{ text: chunks }`: raw text chunks (strings or bytes) read as a file, where only '\n' ends a sentence.
 */
export type CorpusSource = string | CorpusStream | Iterable<Sentence> | AsyncIterable<Sentence> | TextInput;

const READ_CHUNK_BYTES = 1 << 20;
/** Sentences are joined into text chunks of about this many characters. */
const SENTENCE_CHUNK_CHARS = 1 << 16;
// Characters that would split a pre-tokenized word into several (the byte tokenizer's and Unicode's).
const WORD_BREAKING = /[\s\u0085]/;

/**
 * Throws a Wasm2VecError unless `input` is one of the CorpusSource kinds (checked once, at the
 * options edge, so plain JavaScript callers get a clear message instead of a TypeError later).
 */
export function checkCorpusSource(input: unknown, option = 'input'): asserts input is CorpusSource {
  if (typeof input === 'string') {
    if (input === '') throw new Wasm2VecError(`option ${option} is an empty string: give a corpus file path or "-" for standard input`);
    return;
  }
  if (isTextInput(input)) {
    if (isStream(input.text) || isIterable(input.text)) return;
    throw new Wasm2VecError(`option ${option}.text must be a Readable or an (async) iterable of string or Uint8Array chunks, got ${describe(input.text)}`);
  }
  if (isStream(input) || isIterable(input)) return;
  throw new Wasm2VecError(
    `option ${option} must be a corpus file path, "-" (standard input), a Readable, an (async) iterable of sentences ` +
    `(strings or arrays of words) or { text: stream }, got ${describe(input)}`,
  );
}

/** Opens a corpus as a stream of decoded text chunks; invalid UTF-8 becomes U+FFFD. */
export async function* readCorpusText(source: CorpusSource, onBytes?: (bytes: number) => void): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  for await (const chunk of openCorpus(source)) {
    if (typeof chunk === 'string') {
      onBytes?.(chunk.length);
      yield chunk;
      continue;
    }
    onBytes?.(chunk.byteLength);
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield text;
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}

/** Opens a corpus as a stream of UTF-8 byte chunks (text from an iterable is encoded). */
export async function* readCorpusBytes(source: CorpusSource, onBytes?: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const chunk of openCorpus(source)) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    onBytes?.(bytes.byteLength);
    yield bytes;
  }
}

function openCorpus(source: CorpusSource): AsyncIterable<string | Uint8Array> {
  checkCorpusSource(source);
  if (typeof source === 'string') return source === '-' ? (process.stdin as AsyncIterable<Uint8Array>) : openFile(source);
  if (isTextInput(source)) return rawText(source.text);
  if (isStream(source)) return rawText(source);
  return sentenceLines(source as Iterable<unknown> | AsyncIterable<unknown>);
}

async function* rawText(chunks: TextChunks | NodeJS.ReadableStream): AsyncGenerator<string | Uint8Array> {
  let index = 0;
  for await (const chunk of chunks as AsyncIterable<unknown>) {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
      throw new Wasm2VecError(`input text chunk ${index} is ${describe(chunk)}: a Readable or { text } is raw text and yields strings or Uint8Array bytes; pass sentences as an (async) iterable, not a stream`);
    }
    index++;
    yield chunk;
  }
}

/**
 * Turns sentences into text lines: a string sentence is one line (any '\n' in it becomes a space,
 * since the string is one sentence), a word list is its words joined by spaces. Uint8Array items
 * pass through as raw bytes.
 */
async function* sentenceLines(sentences: Iterable<unknown> | AsyncIterable<unknown>): AsyncGenerator<string | Uint8Array> {
  let buffer = '';
  let index = 0;
  for await (const sentence of sentences as AsyncIterable<unknown>) {
    if (typeof sentence === 'string') {
      buffer += (sentence.includes('\n') ? sentence.replaceAll('\n', ' ') : sentence) + '\n';
    } else if (Array.isArray(sentence)) {
      buffer += wordsLine(sentence, index) + '\n';
    } else if (sentence instanceof Uint8Array) {
      if (buffer.length > 0) yield buffer;
      buffer = '';
      yield sentence;
    } else {
      throw new Wasm2VecError(`input sentence ${index} is ${describe(sentence)}: a sentence is a string or an array of words (strings)`);
    }
    index++;
    if (buffer.length >= SENTENCE_CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer.length > 0) yield buffer;
}

function wordsLine(words: readonly unknown[], sentence: number): string {
  for (let w = 0; w < words.length; w++) {
    const word = words[w];
    if (typeof word !== 'string') throw new Wasm2VecError(`input sentence ${sentence}, word ${w} is ${describe(word)}: words are strings`);
    if (word.length === 0) throw new Wasm2VecError(`input sentence ${sentence}, word ${w} is an empty string: drop empty words`);
    if (WORD_BREAKING.test(word)) {
      throw new Wasm2VecError(`input sentence ${sentence}, word ${w} ${JSON.stringify(word)} contains whitespace, which would split it: join its parts (e.g. with '_')`);
    }
  }
  return words.join(' ');
}

async function* openFile(source: string): AsyncGenerator<Uint8Array> {
  let gzip: boolean;
  try {
    const handle = await fs.open(source, 'r');
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) throw new Wasm2VecError(`corpus ${source} is a directory, not a file`);
      const magic = Buffer.alloc(2);
      const { bytesRead } = await handle.read(magic, 0, 2, 0);
      gzip = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof Wasm2VecError) throw error;
    throw new Wasm2VecError(`cannot open corpus ${source}: ${(error as Error).message}`, { cause: error });
  }
  const file = createReadStream(source, { highWaterMark: READ_CHUNK_BYTES });
  if (!gzip) {
    yield* file as AsyncIterable<Buffer>;
    return;
  }
  const gunzip = createGunzip({ chunkSize: READ_CHUNK_BYTES });
  file.on('error', (error) => gunzip.destroy(error));
  file.pipe(gunzip);
  try {
    yield* gunzip as AsyncIterable<Buffer>;
  } catch (error) {
    throw new Wasm2VecError(`corpus ${source} is not valid gzip: ${(error as Error).message}`, { cause: error });
  } finally {
    file.destroy();
  }
}

function isStream(value: unknown): value is NodeJS.ReadableStream {
  return typeof value === 'object' && value !== null && typeof (value as NodeJS.ReadableStream).pipe === 'function' &&
    typeof (value as NodeJS.ReadableStream).read === 'function' && Symbol.asyncIterator in value;
}

function isIterable(value: unknown): value is Iterable<unknown> | AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && (Symbol.iterator in value || Symbol.asyncIterator in value);
}

function isTextInput(value: unknown): value is TextInput {
  return typeof value === 'object' && value !== null && !isIterable(value) && 'text' in value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${String(value)}`;
}

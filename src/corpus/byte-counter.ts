// The byte-level vocabulary counter: the whitespace tokenizer and the word count in one pass over
// UTF-8 bytes, in WebAssembly (assembly/wordcount.ts). Used on the main thread by count-vocabulary.ts
// and on worker threads by vocabulary-shard.ts; it owns a small memory of its own.
import { Wasm2VecError } from '../errors.js';
import {
  BLOCK_BYTES, K_ARENA, K_ARENA_CAPACITY, K_ARENA_USED, K_COUNTS, K_FINAL, K_IDS, K_IDS_CAPACITY, K_IDS_FILL, K_INPUT, K_INPUT_END,
  K_LIVE, K_MAX_LIVE, K_POSITION, K_SIZE, K_SKIPPING, K_TABLE, K_TABLE_MASK, K_TOKENS, K_WORD_CAPACITY, K_WORDS, MAX_WORD_BYTES,
  SLOT_BYTES, WORD_BYTES, WORD_COUNT_DONE, WORD_COUNT_IDS_FULL, W_LENGTH, W_START,
} from '../abi/wordcount.js';
import { instantiateKernels, type KernelExports } from '../runtime/kernels.js';
import { MAX_WASM_BYTES, MAX_WASM_PAGES, MemoryLayout, WASM_PAGE_BYTES, createSharedMemory } from '../runtime/memory-layout.js';
import { END_OF_LINE } from './tokenizer.js';
import { buildVocabulary, type Vocabulary, type VocabularyTies } from './vocabulary.js';
import type { IdSpool } from './id-spool.js';

export { MAX_WORD_BYTES };

/** The kernel reads 8 bytes at a word's start, past the end of a short last word. */
const ARENA_SLACK = 8;

/** Input bytes per kernel call; a longer chunk is fed in slices. */
const INPUT_BYTES = 1 << 20;
const IDS_CAPACITY = 1 << 20;

/**
 * The whitespace tokenizer and the vocabulary count in one pass over UTF-8 bytes, in WebAssembly
 * (assembly/wordcount.ts): words are hashed straight from the input into an open-addressing table,
 * so no JS string is made per token (only one per distinct word, at the end). Splits on Unicode
 * White_Space like tokenizeWhitespace, '\n' gives END_OF_LINE, and every token is recorded as a
 * provisional id (order of first appearance) in the spool. This object owns the kernel's memory:
 * it grows the tables when the kernel asks and prunes like word2vec.c when maxVocabSize is reached.
 */
export class ByteVocabularyCounter {
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: KernelExports;
  // A region that grows is re-allocated at the end of the layout; its old space is dropped.
  private readonly layout = new MemoryLayout();
  private readonly block: number;
  private readonly input: number;
  private carry = 0; // bytes of an unfinished word at the start of the input region
  private minReduce = 1;
  private view!: { i32: Int32Array; f64: Float64Array; u8: Uint8Array };

  constructor(
    private spool: Pick<IdSpool, 'pushAll'>,
    private readonly maxVocabSize = Number.POSITIVE_INFINITY,
  ) {
    this.memory = createSharedMemory(256, MAX_WASM_PAGES);
    this.kernels = instantiateKernels(this.memory);
    this.block = this.allocate('counter block', BLOCK_BYTES);
    this.input = this.allocate('input bytes', INPUT_BYTES + MAX_WORD_BYTES + 16);
    this.set(K_INPUT, this.input);
    this.set(K_IDS, this.allocate('id buffer', IDS_CAPACITY * 4));
    this.set(K_IDS_CAPACITY, IDS_CAPACITY);
    this.set(K_MAX_LIVE, Math.min(this.maxVocabSize, 2 ** 31 - 1));
    this.growWords(1 << 12);
    this.growArena(1 << 20);
    this.growTable(1 << 16);
    // END_OF_LINE is provisional id 0, so a literal "</s>" in the text is the line-end token too.
    this.lookUp(new TextEncoder().encode(`${END_OF_LINE} `), 1);
  }

  get totalTokens(): number {
    return this.view.f64[(this.block + K_TOKENS) >> 3];
  }

  /** Adds a chunk of UTF-8 bytes; a word or a multi-byte space may continue in the next chunk. */
  add(chunk: Uint8Array): void {
    for (let offset = 0; offset < chunk.length; offset += INPUT_BYTES) {
      const slice = chunk.subarray(offset, offset + INPUT_BYTES);
      this.view.u8.set(slice, this.input + this.carry);
      this.scan(this.carry + slice.length, false);
    }
  }

  /** Ends the input: the last word counts even without a space after it. */
  end(): void {
    this.scan(this.carry, true);
    this.set(K_SKIPPING, 0);
    this.flushIds();
  }

  private scan(inputBytes: number, final: boolean): void {
    this.set(K_INPUT_END, inputBytes);
    this.set(K_FINAL, final ? 1 : 0);
    this.set(K_POSITION, 0);
    for (;;) {
      const status = this.kernels.countWords(this.block);
      if (status === WORD_COUNT_DONE) break;
      if (status === WORD_COUNT_IDS_FULL) this.flushIds();
      else this.makeRoom();
    }
    const position = this.get(K_POSITION);
    this.carry = inputBytes - position;
    this.view.u8.copyWithin(this.input, this.input + position, this.input + inputBytes);
  }

  private flushIds(): void {
    const fill = this.get(K_IDS_FILL);
    if (fill === 0) return;
    this.spool.pushAll(this.view.i32.subarray(this.get(K_IDS) >> 2, (this.get(K_IDS) >> 2) + fill));
    this.set(K_IDS_FILL, 0);
  }

  /** The kernel met a new word that does not fit: prune (maxVocabSize) or grow what is full. */
  private makeRoom(): void {
    const live = this.get(K_LIVE);
    if (live >= this.maxVocabSize) return this.prune();
    let grown = false;
    if (this.get(K_SIZE) >= this.get(K_WORD_CAPACITY)) (grown = true), this.growWords(this.get(K_WORD_CAPACITY) * 2);
    if (this.get(K_ARENA_USED) + MAX_WORD_BYTES > this.get(K_ARENA_CAPACITY)) (grown = true), this.growArena(this.get(K_ARENA_CAPACITY) * 2);
    if ((live + 1) * 2 > this.get(K_TABLE_MASK) + 1) (grown = true), this.growTable((this.get(K_TABLE_MASK) + 1) * 2);
    if (!grown) throw new Error('internal error: the word counter asked for room but nothing is full');
  }

  /** word2vec.c's ReduceVocab: drop words seen at most minReduce times, then raise the bar. */
  private prune(): void {
    const counts = this.view.f64;
    const base = this.get(K_COUNTS) >> 3;
    let live = this.get(K_LIVE);
    for (let id = 1; id < this.get(K_SIZE); id++) {
      if (counts[base + id] >= 0 && counts[base + id] <= this.minReduce) {
        counts[base + id] = -1;
        live--;
      }
    }
    this.set(K_LIVE, live);
    this.minReduce++;
    this.kernels.rehashWords(this.block);
  }

  private growWords(capacity: number): void {
    const size = this.get(K_SIZE);
    for (const [field, bytes] of [[K_WORDS, WORD_BYTES], [K_COUNTS, 8]] as const) {
      const old = this.get(field);
      const region = this.allocate(field === K_WORDS ? 'word records' : 'word counts', capacity * bytes);
      if (size > 0) this.view.u8.copyWithin(region, old, old + size * bytes);
      this.set(field, region);
    }
    this.set(K_WORD_CAPACITY, capacity);
  }

  private growArena(capacity: number): void {
    const old = this.get(K_ARENA);
    const region = this.allocate('word bytes', capacity + ARENA_SLACK);
    const used = this.get(K_ARENA_USED);
    if (used > 0) this.view.u8.copyWithin(region, old, old + used);
    this.set(K_ARENA, region);
    this.set(K_ARENA_CAPACITY, capacity);
  }

  private growTable(slots: number): void {
    this.set(K_TABLE, this.allocate('hash table', slots * SLOT_BYTES));
    this.set(K_TABLE_MASK, slots - 1);
    this.kernels.rehashWords(this.block);
  }

  private allocate(name: string, bytes: number): number {
    const offset = this.layout.take(name, bytes, 'worker');
    const end = offset + bytes;
    if (end > MAX_WASM_BYTES) throw new Wasm2VecError(`the vocabulary count needs more than wasm32's 4 GiB; set maxVocabSize to prune while counting`);
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.max(Math.ceil((end - have) / WASM_PAGE_BYTES), have / WASM_PAGE_BYTES >> 1));
    const buffer = this.memory.buffer;
    if (!this.view || this.view.u8.buffer.byteLength !== buffer.byteLength) {
      this.view = { i32: new Int32Array(buffer), f64: new Float64Array(buffer), u8: new Uint8Array(buffer) };
    }
    return offset;
  }

  private get(field: number): number {
    return this.view.i32[(this.block + field) >> 2];
  }

  private set(field: number, value: number): void {
    this.view.i32[(this.block + field) >> 2] = value;
  }

  /** This counter's words, counts and state, to be merged into another (see mergeFrom). */
  snapshot(): CounterSnapshot {
    const size = this.get(K_SIZE);
    const { i32, f64, u8 } = this.view;
    const starts = new Int32Array(size);
    const lengths = new Int32Array(size);
    for (let id = 0, record = this.get(K_WORDS); id < size; id++, record += WORD_BYTES) {
      starts[id] = i32[(record + W_START) >> 2];
      lengths[id] = i32[(record + W_LENGTH) >> 2];
    }
    const countBase = this.get(K_COUNTS) >> 3;
    return {
      arena: u8.slice(this.get(K_ARENA), this.get(K_ARENA) + this.get(K_ARENA_USED)),
      starts,
      lengths,
      counts: f64.slice(countBase, countBase + size),
      totalTokens: this.totalTokens,
    };
  }

  /**
   * Adds the counts of a counter that read the text right after this one's (split at a space), and
   * returns the map from its provisional ids to this counter's: its words are looked up (and new
   * ones added, in its order of first appearance) by running them through the kernel as text.
   */
  mergeFrom(other: CounterSnapshot): Int32Array {
    const size = other.starts.length;
    const text = new Uint8Array(other.arena.length + size);
    let at = 0;
    for (let id = 0; id < size; id++) {
      text.set(other.arena.subarray(other.starts[id], other.starts[id] + other.lengths[id]), at);
      at += other.lengths[id];
      text[at++] = 0x20;
    }
    const map = this.lookUp(text, size);
    const counts = this.view.f64;
    const countBase = this.get(K_COUNTS) >> 3;
    for (let id = 0; id < size; id++) counts[countBase + map[id]] += other.counts[id];
    counts[(this.block + K_TOKENS) >> 3] += other.totalTokens;
    return map;
  }

  /**
   * The provisional ids of the `words` space-separated words of `text`, new ones added in order,
   * without counting them: the kernel finds or adds each word as it does in the corpus (one hash
   * and one table), then the count it gave is taken back.
   */
  private lookUp(text: Uint8Array, words: number): Int32Array {
    this.flushIds();
    const tokensBefore = this.totalTokens;
    const ids = new Int32Array(words);
    let found = 0;
    const spool = this.spool;
    this.spool = { pushAll: (batch: Int32Array) => { ids.set(batch, found); found += batch.length; } };
    try {
      this.add(text);
      this.flushIds();
    } finally {
      this.spool = spool;
    }
    if (found !== words) throw new Error(`internal error: looking up ${words} words gave ${found} ids`);
    const counts = this.view.f64;
    const countBase = this.get(K_COUNTS) >> 3;
    for (const id of ids) counts[countBase + id] -= 1;
    counts[(this.block + K_TOKENS) >> 3] = tokensBefore;
    return ids;
  }

  /**
   * The vocabulary: words seen at least minCount times. A rare word is decoded only if it has a
   * byte ≥ 0x80, since only such words can decode to the same string as another (invalid UTF-8
   * becomes U+FFFD) and reach minCount together; the pure-ASCII ones, most of a large corpus's
   * distinct words, are dropped without making a string.
   */
  finish(minCount: number, ties: VocabularyTies = 'first-seen'): { vocabulary: Vocabulary; remap: Int32Array } {
    const decoder = new TextDecoder('utf-8', { fatal: false });
    const { arena, starts, lengths, counts: counted } = this.snapshot();
    const size = starts.length;
    // With no frequent word at all, every word is decoded, so buildVocabulary's error names the case.
    let anyFrequent = false;
    for (let id = 1; id < size && !anyFrequent; id++) anyFrequent = counted[id] >= minCount;
    const words: string[] = new Array(size);
    const counts: number[] = new Array(size);
    for (let id = 0; id < size; id++) {
      const start = starts[id];
      const end = start + lengths[id];
      counts[id] = counted[id];
      if (anyFrequent && id > 0 && counts[id] < minCount && isAscii(arena, start, end)) {
        words[id] = '';
        counts[id] = -1; // dropped, as a pruned word
        continue;
      }
      words[id] = decoder.decode(arena.subarray(start, end));
    }
    return buildVocabulary(words, counts, minCount, ties);
  }
}

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (bytes[k] >= 0x80) return false;
  return true;
}

export interface CounterSnapshot {
  /** The distinct words' bytes; word i is arena[starts[i], starts[i] + lengths[i]). */
  arena: Uint8Array;
  starts: Int32Array;
  lengths: Int32Array;
  counts: Float64Array;
  totalTokens: number;
}

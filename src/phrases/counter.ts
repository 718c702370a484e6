// The phrase counter: word2phrase.c's tokenizer and its unigram + bigram count in WebAssembly
// (assembly/bigrams.ts), one instance per thread, each on a memory of its own. The main thread's
// counter also merges the workers' counters (in text order), gives each pair its joined string and
// runs the joining pass. It makes room before each kernel call, so the kernels never allocate.
import { Wasm2VecError } from '../errors.js';
import {
  MAX_STRING, P_ARENA, P_ARENA_CAPACITY, P_ARENA_USED, P_CAPACITY, P_CORPUS_WORDS, P_COUNTS, P_FINAL, P_IDS, P_IDS_FILL, P_INPUT, P_INPUT_END,
  P_LAST_X, P_LI, P_LINE_START, P_MIN_COUNT, P_NPMI_THRESHOLD, P_OUT, P_OUT_FILL, P_PA, P_PAIRS, P_PAIR_MASK, P_PAIR_SIZE, P_PB, P_PENDING,
  P_PREV, P_RESUME, P_SCORING, P_SIZE, P_STRINGS, P_TABLE, P_TABLE_MASK, P_THRESHOLD, P_TOKENS, P_TRAIN_WORDS, P_WORD, P_WORD_FILL,
  PAIR_A, PAIR_B, PAIR_BYTES, PAIR_STRING, PHRASES_NEEDS_ROOM, PHRASE_BLOCK_BYTES, SCORING_DEFAULT, SCORING_NPMI, STRING_BYTES,
  STRING_SLOT_BYTES, S_LENGTH, S_START,
} from '../abi/bigrams.js';
import { instantiateKernels, type KernelExports } from '../runtime/kernels.js';
import { MAX_WASM_BYTES, MAX_WASM_PAGES, MemoryLayout, WASM_PAGE_BYTES, createSharedMemory } from '../runtime/memory-layout.js';

/** Input bytes per scan call; a longer chunk is fed in slices. */
export const SCAN_BYTES = 1 << 20;
/** Ids per applyPhrases call (its output region holds MAX_STRING bytes per id). */
const APPLY_IDS = 1 << 16;

export type PhraseScoring = 'default' | 'npmi';

interface PhraseKernels extends KernelExports {
  scanPhrases(block: number): number;
  internStrings(block: number, src: number, starts: number, lengths: number, n: number, map: number): void;
  mergePairs(block: number, triples: number, n: number, map: number): void;
  addPairCount(block: number, a: number, b: number, count: number): void;
  exportPairs(block: number, out: number): number;
  rehashPairs(block: number, old: number, oldSlots: number): void;
  rehashStrings(block: number): void;
  materializePairs(block: number, scratch: number): number;
  addSplitPairs(block: number): number;
  applyPhrases(block: number, ids: number, n: number): void;
}

/** What a worker's counter hands to the main thread. */
export interface PhraseCounterSnapshot {
  arena: Uint8Array;
  starts: Int32Array;
  lengths: Int32Array;
  counts: Float64Array;
  /** (a, b, count) triples of this counter's string ids. */
  pairs: Uint32Array;
  /** The first word whose left partner was read by an earlier range (−1 none). */
  pending: number;
  /** The left word a following range's first pair takes (−1 none seen, −2 none by rule). */
  lastX: number;
  tokens: number;
}

/** Scoring parameters of the joining pass. */
export interface ApplyParameters {
  minCount: number;
  threshold: number;
  scoring: PhraseScoring;
}

export class PhraseCounter {
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: PhraseKernels;
  private readonly layout = new MemoryLayout();
  private readonly block: number;
  private readonly input: number;
  private scratchOffset = 0;
  private scratchBytes = 0;
  private view!: { i32: Int32Array; u32: Uint32Array; f32: Float32Array; f64: Float64Array; u8: Uint8Array };

  constructor(readonly scoring: PhraseScoring = 'default', lineStart = true) {
    this.memory = createSharedMemory(256, MAX_WASM_PAGES);
    this.kernels = instantiateKernels(this.memory) as PhraseKernels;
    this.block = this.allocate('phrase counter block', PHRASE_BLOCK_BYTES);
    this.input = this.allocate('input bytes', SCAN_BYTES + 16);
    this.set(P_INPUT, this.input);
    this.set(P_WORD, this.allocate('word being read', MAX_STRING + 16));
    this.set(P_IDS, this.allocate('id buffer', (SCAN_BYTES + 2) * 4));
    this.set(P_SCORING, scoring === 'npmi' ? SCORING_NPMI : SCORING_DEFAULT);
    this.set(P_LINE_START, lineStart ? 1 : 0);
    this.set(P_LAST_X, -1);
    this.set(P_PENDING, -1);
    this.growStrings(1 << 14);
    this.growArena(1 << 20);
    this.growTable(1 << 16);
    this.growPairs(1 << 16);
    // "</s>" is string 0, the line-end id; word2phrase.c never counts it.
    const map = this.internAll(new TextEncoder().encode('</s>'), Int32Array.of(0), Int32Array.of(4));
    if (map[0] !== 0) throw new Error('internal error: "</s>" is not string 0');
  }

  /** Words counted so far (word2phrase.c's train_words, gensim's corpus_word_count). */
  get tokens(): number {
    return this.view.f64[(this.block + P_TOKENS) >> 3];
  }

  get strings(): number {
    return this.get(P_SIZE);
  }

  get pairs(): number {
    return this.get(P_PAIR_SIZE);
  }

  /** Bytes of WebAssembly memory this counter holds. */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Counts a chunk of bytes; `onIds` gets the ids of its tokens (0 = line end), in order. */
  add(chunk: Uint8Array, onIds: (ids: Int32Array) => void): void {
    for (let offset = 0; offset < chunk.length; offset += SCAN_BYTES) {
      const slice = chunk.subarray(offset, offset + SCAN_BYTES);
      this.makeRoomForScan(slice.length);
      this.view.u8.set(slice, this.input);
      this.scan(slice.length, false, onIds);
    }
  }

  /** Ends the input: a word not followed by a space or line end is dropped, as word2phrase.c does. */
  end(onIds: (ids: Int32Array) => void): void {
    this.scan(0, true, onIds);
  }

  private scan(bytes: number, final: boolean, onIds: (ids: Int32Array) => void): void {
    this.set(P_INPUT_END, bytes);
    this.set(P_FINAL, final ? 1 : 0);
    this.set(P_IDS_FILL, 0);
    this.kernels.scanPhrases(this.block);
    const fill = this.get(P_IDS_FILL);
    if (fill > 0) onIds(this.view.i32.slice(this.get(P_IDS) >> 2, (this.get(P_IDS) >> 2) + fill));
  }

  /** Room for every word and pair `bytes` of input can hold (at most one per two bytes, plus one carried over). */
  private makeRoomForScan(bytes: number): void {
    const words = (bytes >> 1) + 2;
    this.makeRoomForStrings(words, bytes + MAX_STRING);
    this.makeRoomForPairs(words);
  }

  private makeRoomForStrings(strings: number, arenaBytes: number): void {
    const size = this.get(P_SIZE) + strings;
    if (size > this.get(P_CAPACITY)) this.growStrings(Math.max(size, this.get(P_CAPACITY) * 2));
    const used = this.get(P_ARENA_USED) + arenaBytes;
    if (used > this.get(P_ARENA_CAPACITY)) this.growArena(Math.max(used, this.get(P_ARENA_CAPACITY) * 2));
    if (size * 2 > this.get(P_TABLE_MASK) + 1) this.growTable(nextPowerOfTwo(size * 2));
  }

  private makeRoomForPairs(pairs: number): void {
    const size = this.get(P_PAIR_SIZE) + pairs;
    if (size * 2 > this.get(P_PAIR_MASK) + 1) this.growPairs(nextPowerOfTwo(size * 2));
  }

  /** This counter's strings, counts, pairs and range state, for mergeFrom on the main thread. */
  snapshot(): PhraseCounterSnapshot {
    const size = this.get(P_SIZE);
    const { i32, f64, u8, u32 } = this.view;
    const starts = new Int32Array(size);
    const lengths = new Int32Array(size);
    for (let id = 0, record = this.get(P_STRINGS); id < size; id++, record += STRING_BYTES) {
      starts[id] = i32[(record + S_START) >> 2];
      lengths[id] = i32[(record + S_LENGTH) >> 2];
    }
    const out = this.scratch(this.get(P_PAIR_SIZE) * 12);
    const n = this.kernels.exportPairs(this.block, out);
    const countBase = this.get(P_COUNTS) >> 3;
    return {
      arena: u8.slice(this.get(P_ARENA), this.get(P_ARENA) + this.get(P_ARENA_USED)),
      starts,
      lengths,
      counts: f64.slice(countBase, countBase + size),
      pairs: u32.slice(out >> 2, (out >> 2) + n * 3),
      pending: this.get(P_PENDING),
      lastX: this.get(P_LAST_X),
      tokens: this.tokens,
    };
  }

  /** State of this (the first) range, as a snapshot would give it. */
  get rangeState(): { pending: number; lastX: number } {
    return { pending: this.get(P_PENDING), lastX: this.get(P_LAST_X) };
  }

  /**
   * Adds the counts of a counter that read a later range of the text, and returns the map from its
   * string ids to this counter's.
   */
  mergeFrom(other: PhraseCounterSnapshot): Int32Array {
    const map = this.internAll(other.arena, other.starts, other.lengths);
    const counts = this.view.f64;
    const countBase = this.get(P_COUNTS) >> 3;
    for (let id = 0; id < map.length; id++) counts[countBase + map[id]] += other.counts[id];
    counts[(this.block + P_TOKENS) >> 3] += other.tokens;
    const triples = other.pairs.length / 3;
    this.makeRoomForPairs(triples);
    const mapBytes = map.length * 4;
    const at = this.scratch(mapBytes + other.pairs.length * 4);
    this.view.i32.set(map, at >> 2);
    this.view.u32.set(other.pairs, (at + mapBytes) >> 2);
    this.kernels.mergePairs(this.block, at + mapBytes, triples, at);
    return map;
  }

  /** Counts `count` more of pair (a, b) of this counter's ids. */
  addPair(a: number, b: number, count = 1): void {
    this.makeRoomForPairs(1);
    this.kernels.addPairCount(this.block, a, b, count);
  }

  /** Counts `count` more of a string (word2phrase.c's first pair of the text, with its unset last_word). */
  addString(bytes: Uint8Array, count = 1): void {
    const [id] = this.internAll(bytes, Int32Array.of(0), Int32Array.of(bytes.length));
    this.view.f64[(this.get(P_COUNTS) >> 3) + id] += count;
  }

  /** The ids of strings (bytes at arena[starts[i], +lengths[i])), added with count 0 if new. */
  private internAll(arena: Uint8Array, starts: Int32Array, lengths: Int32Array): Int32Array {
    const n = starts.length;
    this.makeRoomForStrings(n, arena.length);
    const at = this.scratch(arena.length + 12 * n + 16);
    const startsAt = at + Math.ceil(arena.length / 4) * 4;
    const lengthsAt = startsAt + 4 * n;
    const mapAt = lengthsAt + 4 * n;
    this.view.u8.set(arena, at);
    this.view.i32.set(starts, startsAt >> 2);
    this.view.i32.set(lengths, lengthsAt >> 2);
    this.kernels.internStrings(this.block, at, startsAt, lengthsAt, n, mapAt);
    return this.view.i32.slice(mapAt >> 2, (mapAt >> 2) + n);
  }

  /**
   * After the count: every pair's joined string gets the pair's count (word2phrase.c and gensim
   * count unigrams and joined pairs in one table), and the pairs that were never adjacent but join
   * to a frequent string are added, so the joining pass needs one pair lookup per word.
   */
  finishCount(minCount: number): void {
    const joined = this.scratch(2 * MAX_STRING + 16);
    this.set(P_RESUME, 0);
    while (this.kernels.materializePairs(this.block, joined) === PHRASES_NEEDS_ROOM) {
      this.makeRoomForStrings(Math.max(1024, this.get(P_SIZE)), Math.max(1 << 20, this.get(P_ARENA_USED)));
    }
    this.set(P_MIN_COUNT, minCount);
    this.set(P_RESUME, 0);
    while (this.kernels.addSplitPairs(this.block) === PHRASES_NEEDS_ROOM) this.makeRoomForPairs(Math.max(1024, this.get(P_PAIR_SIZE)));
  }

  /** Sets up the joining pass (after finishCount). */
  startApply(parameters: ApplyParameters): void {
    this.set(P_MIN_COUNT, parameters.minCount);
    this.view.f32[(this.block + P_THRESHOLD) >> 2] = parameters.threshold;
    this.view.f32[(this.block + P_TRAIN_WORDS) >> 2] = this.tokens;
    this.view.f64[(this.block + P_NPMI_THRESHOLD) >> 3] = parameters.threshold;
    this.view.f64[(this.block + P_CORPUS_WORDS) >> 3] = this.tokens;
    this.set(P_SCORING, parameters.scoring === 'npmi' ? SCORING_NPMI : SCORING_DEFAULT);
    this.set(P_PREV, -1);
    this.set(P_LI, -1);
    this.view.f64[(this.block + P_PA) >> 3] = 0;
    this.view.f64[(this.block + P_PB) >> 3] = 0;
    if (!this.get(P_OUT)) this.set(P_OUT, this.allocate('joined output', APPLY_IDS * MAX_STRING + 16));
  }

  /** The joining pass over ids (in text order): yields the output bytes (valid until the next step). */
  *apply(ids: Int32Array): Generator<Uint8Array> {
    const idsAt = this.get(P_IDS);
    for (let from = 0; from < ids.length; from += APPLY_IDS) {
      const part = ids.subarray(from, from + APPLY_IDS);
      this.view.i32.set(part, idsAt >> 2);
      this.kernels.applyPhrases(this.block, idsAt, part.length);
      const out = this.get(P_OUT);
      yield this.view.u8.subarray(out, out + this.get(P_OUT_FILL));
    }
  }

  /** String `id`'s bytes. */
  stringBytes(id: number): Uint8Array {
    const record = this.get(P_STRINGS) + id * STRING_BYTES;
    const start = this.get(P_ARENA) + this.view.i32[(record + S_START) >> 2];
    return this.view.u8.subarray(start, start + this.view.i32[(record + S_LENGTH) >> 2]);
  }

  /** word2phrase.c's count of string `id` (its unigram occurrences plus those of pairs joined to it). */
  count(id: number): number {
    return this.view.f64[(this.get(P_COUNTS) >> 3) + id];
  }

  /**
   * Every pair (after finishCount): its two ids and the count of the string it joins to.
   */
  forEachPair(visit: (a: number, b: number, joinedCount: number) => void): void {
    const slots = this.get(P_PAIR_MASK) + 1;
    const base = this.get(P_PAIRS) >> 2;
    const u32 = this.view.u32;
    for (let s = 0; s < slots; s++) {
      const e = base + s * (PAIR_BYTES >> 2);
      const a = u32[e + (PAIR_A >> 2)];
      const joined = u32[e + (PAIR_STRING >> 2)];
      if (a === 0 || joined === 0) continue;
      visit(a - 1, u32[e + (PAIR_B >> 2)] - 1, this.count(joined - 1));
    }
  }

  private growStrings(capacity: number): void {
    const size = this.get(P_SIZE);
    for (const [field, bytes] of [[P_STRINGS, STRING_BYTES], [P_COUNTS, 8]] as const) {
      const old = this.get(field);
      const region = this.allocate(field === P_STRINGS ? 'string records' : 'string counts', capacity * bytes);
      if (size > 0) this.view.u8.copyWithin(region, old, old + size * bytes);
      this.set(field, region);
    }
    this.set(P_CAPACITY, capacity);
  }

  private growArena(capacity: number): void {
    const old = this.get(P_ARENA);
    const region = this.allocate('string bytes', capacity + 16);
    const used = this.get(P_ARENA_USED);
    if (used > 0) this.view.u8.copyWithin(region, old, old + used);
    this.set(P_ARENA, region);
    this.set(P_ARENA_CAPACITY, capacity);
  }

  private growTable(slots: number): void {
    const region = this.allocate('string table', slots * STRING_SLOT_BYTES);
    this.set(P_TABLE, region);
    this.set(P_TABLE_MASK, slots - 1);
    this.kernels.rehashStrings(this.block);
  }

  private growPairs(slots: number): void {
    const old = this.get(P_PAIRS);
    const oldSlots = old ? this.get(P_PAIR_MASK) + 1 : 0;
    const region = this.allocate('pair table', slots * PAIR_BYTES);
    this.view.u8.fill(0, region, region + slots * PAIR_BYTES);
    this.set(P_PAIRS, region);
    this.set(P_PAIR_MASK, slots - 1);
    if (oldSlots > 0) this.kernels.rehashPairs(this.block, old, oldSlots);
  }

  /** A reusable region of at least `bytes`. */
  private scratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      this.scratchBytes = Math.max(bytes, this.scratchBytes * 2, 4096);
      this.scratchOffset = this.allocate('merge scratch', this.scratchBytes);
    }
    return this.scratchOffset;
  }

  private allocate(name: string, bytes: number): number {
    const offset = this.layout.take(name, bytes, 'worker');
    const end = offset + bytes;
    if (end > MAX_WASM_BYTES) {
      throw new Wasm2VecError(`the phrase count needs more than wasm32's 4 GiB (${this.get(P_SIZE)} words and joined pairs, ${this.get(P_PAIR_SIZE)} distinct pairs so far); learn the phrases on a part of the corpus (learnPhrases) and apply them to the whole`);
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.max(Math.ceil((end - have) / WASM_PAGE_BYTES), Math.min(have / WASM_PAGE_BYTES >> 1, MAX_WASM_PAGES - have / WASM_PAGE_BYTES)));
    const buffer = this.memory.buffer;
    if (!this.view || this.view.u8.buffer.byteLength !== buffer.byteLength) {
      this.view = { i32: new Int32Array(buffer), u32: new Uint32Array(buffer), f32: new Float32Array(buffer), f64: new Float64Array(buffer), u8: new Uint8Array(buffer) };
    }
    return offset;
  }

  private get(field: number): number {
    return this.view.i32[(this.block + field) >> 2];
  }

  private set(field: number, value: number): void {
    this.view.i32[(this.block + field) >> 2] = value;
  }
}

function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(2, n)));
}

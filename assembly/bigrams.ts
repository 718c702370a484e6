// Phrase detection (word2vec.c's word2phrase, and gensim's npmi scorer): word2phrase's tokenizer,
// the unigram and bigram count in one scan, the merge of counters that read consecutive ranges, and
// the joining pass over the id stream. Strings (words and joined pairs share one namespace, as in
// word2phrase.c and gensim) live in an open-addressing table; pairs of word ids in a second one,
// keyed by the two ids. Block offsets come from src/abi/bigrams.ts; src/phrases/counter.ts owns the
// memory and makes room before each call (or when a resumable kernel returns PHRASES_NEEDS_ROOM).
import {
  P_INPUT, P_INPUT_END, P_FINAL, P_WORD, P_WORD_FILL, P_LINE_START, P_LAST_X, P_PENDING, P_TABLE, P_TABLE_MASK, P_STRINGS, P_COUNTS, P_SIZE,
  P_ARENA, P_ARENA_USED, P_PAIRS, P_PAIR_MASK, P_PAIR_SIZE, P_IDS, P_IDS_FILL, P_TOKENS, P_RESUME, P_CAPACITY, P_ARENA_CAPACITY, P_MIN_COUNT,
  P_THRESHOLD, P_TRAIN_WORDS, P_SCORING, P_PREV, P_LI, P_PA, P_PB, P_OUT, P_OUT_FILL, P_CORPUS_WORDS, P_NPMI_THRESHOLD, P_SLOT,
  S_START, S_LENGTH, S_HASH, STRING_BYTES, STRING_SLOT_BYTES, PAIR_A, PAIR_B, PAIR_COUNT, PAIR_STRING, PAIR_BYTES,
  MAX_STRING as ABI_MAX_STRING, SCORING_NPMI, PHRASES_DONE, PHRASES_NEEDS_ROOM,
} from '../src/abi/bigrams';

const MAX_STRING: i32 = ABI_MAX_STRING;
const FNV_OFFSET: u32 = 0x811c9dc5;
const FNV_PRIME: u32 = 0x01000193;
const LINE_END_ID: i32 = 0;
const UNDERSCORE: u8 = 0x5f;

@inline
function hashBytes(start: usize, length: i32): u32 {
  let hash = FNV_OFFSET;
  for (let k = 0; k < length; k++) hash = (hash ^ <u32>load<u8>(start + <usize>k)) * FNV_PRIME;
  return hash;
}

@inline
function sameBytes(a: usize, b: usize, length: i32): bool {
  for (let k = 0; k < length; k++) if (load<u8>(a + <usize>k) != load<u8>(b + <usize>k)) return false;
  return true;
}

/** The string id of the `length` bytes at `start`, or −1; `slotOut` gets the slot its probe ended at. */
function findString(block: usize, start: usize, length: i32, hash: u32): i32 {
  const table = <usize>load<u32>(block + P_TABLE);
  const mask = load<u32>(block + P_TABLE_MASK);
  const strings = <usize>load<u32>(block + P_STRINGS);
  const arena = <usize>load<u32>(block + P_ARENA);
  let slot = hash & mask;
  for (;;) {
    const entry = table + <usize>slot * STRING_SLOT_BYTES;
    const id = load<i32>(entry, 4) - 1;
    if (id < 0) {
      store<u32>(block + P_SLOT, slot); // the empty slot, for internString
      return -1;
    }
    if (load<u32>(entry) == hash) {
      const record = strings + <usize>id * STRING_BYTES;
      if (load<i32>(record + S_LENGTH) == length && sameBytes(arena + <usize>load<i32>(record + S_START), start, length)) return id;
    }
    slot = (slot + 1) & mask;
  }
  return -1; // not reached: the table always has an empty slot
}

/** Whether internString has room for one more string of `length` bytes. */
@inline
function hasRoom(block: usize, length: i32): bool {
  const size = load<i32>(block + P_SIZE);
  return size < load<i32>(block + P_CAPACITY) && load<i32>(block + P_ARENA_USED) + length <= load<i32>(block + P_ARENA_CAPACITY) &&
    <u32>(size + 1) * 2 <= load<u32>(block + P_TABLE_MASK) + 1;
}

/** The id of the string, added with count 0 if new (the caller has checked hasRoom). */
function internString(block: usize, start: usize, length: i32): i32 {
  const hash = hashBytes(start, length);
  const found = findString(block, start, length, hash);
  if (found >= 0) return found;
  const slot = load<u32>(block + P_SLOT);
  const size = load<i32>(block + P_SIZE);
  const used = load<i32>(block + P_ARENA_USED);
  memory.copy(<usize>load<u32>(block + P_ARENA) + <usize>used, start, <usize>length);
  const record = <usize>load<u32>(block + P_STRINGS) + <usize>size * STRING_BYTES;
  store<i32>(record + S_START, used);
  store<i32>(record + S_LENGTH, length);
  store<u32>(record + S_HASH, hash);
  store<f64>(<usize>load<u32>(block + P_COUNTS) + (<usize>size << 3), 0);
  const entry = <usize>load<u32>(block + P_TABLE) + <usize>slot * STRING_SLOT_BYTES;
  store<u32>(entry, hash);
  store<i32>(entry, size + 1, 4);
  store<i32>(block + P_SIZE, size + 1);
  store<i32>(block + P_ARENA_USED, used + length);
  return size;
}

@inline
function pairSlotOf(a: u32, b: u32, mask: u32): u32 {
  let h = (a * 0x9e3779b1) ^ (b * 0x85ebca77);
  h ^= h >> 15;
  h *= 0x2c1b3c6d;
  h ^= h >> 13;
  return h & mask;
}

/** The pair slot of (a, b): found, or the empty slot where it would go (PAIR_A == 0 there). */
function pairSlot(block: usize, a: i32, b: i32): usize {
  const pairs = <usize>load<u32>(block + P_PAIRS);
  const mask = load<u32>(block + P_PAIR_MASK);
  const ka = <u32>a + 1;
  const kb = <u32>b + 1;
  let slot = pairSlotOf(ka, kb, mask);
  for (;;) {
    const entry = pairs + <usize>slot * PAIR_BYTES;
    const sa = load<u32>(entry + PAIR_A);
    if (sa == 0 || (sa == ka && load<u32>(entry + PAIR_B) == kb)) return entry;
    slot = (slot + 1) & mask;
  }
  return 0; // not reached: the table always has an empty slot
}

/** Adds `count` to pair (a, b), creating it (the caller has made room). */
@inline
function addPair(block: usize, a: i32, b: i32, count: u32): void {
  const entry = pairSlot(block, a, b);
  if (load<u32>(entry + PAIR_A) == 0) {
    store<u32>(entry + PAIR_A, <u32>a + 1);
    store<u32>(entry + PAIR_B, <u32>b + 1);
    store<u32>(entry + PAIR_COUNT, 0);
    store<u32>(entry + PAIR_STRING, 0);
    store<i32>(block + P_PAIR_SIZE, load<i32>(block + P_PAIR_SIZE) + 1);
  }
  store<u32>(entry + PAIR_COUNT, load<u32>(entry + PAIR_COUNT) + count);
}

/** The word in P_WORD is complete: count it and its pair, record its id. */
function endWord(block: usize, fill: i32): void {
  const word = <usize>load<u32>(block + P_WORD);
  // C strings end at a NUL byte: so does the word word2phrase.c hashes, compares and prints.
  let length = 0;
  while (length < fill && load<u8>(word + <usize>length) != 0) length++;
  const ids = <usize>load<u32>(block + P_IDS);
  const idFill = load<i32>(block + P_IDS_FILL);
  store<i32>(block + P_IDS_FILL, idFill + 1);
  // A literal "</s>" is a line end, as in word2phrase.c.
  if (length == 4 && load<u32>(word) == 0x3e732f3c) {
    store<i32>(ids + (<usize>idFill << 2), LINE_END_ID);
    endLine(block);
    return;
  }
  const id = internString(block, word, length);
  store<i32>(ids + (<usize>idFill << 2), id);
  const count = <usize>load<u32>(block + P_COUNTS) + (<usize>id << 3);
  store<f64>(count, load<f64>(count) + 1);
  store<f64>(block + P_TOKENS, load<f64>(block + P_TOKENS) + 1);
  // word2phrase.c pairs every word with the word before it, across line ends too (its `start` flag
  // is cleared before it is tested); gensim pairs words within a sentence.
  if (load<i32>(block + P_LINE_START) != 0) {
    store<i32>(block + P_LINE_START, 0);
    if (load<i32>(block + P_SCORING) == SCORING_NPMI) {
      store<i32>(block + P_LAST_X, id);
      return;
    }
  }
  const x = load<i32>(block + P_LAST_X);
  if (x >= 0) addPair(block, x, id, 1);
  else if (load<i32>(block + P_PENDING) < 0) store<i32>(block + P_PENDING, id);
  store<i32>(block + P_LAST_X, id);
}

@inline
function endLine(block: usize): void {
  store<i32>(block + P_LINE_START, 1);
  if (load<i32>(block + P_SCORING) == SCORING_NPMI) store<i32>(block + P_LAST_X, -2); // no pair across sentences
}

/**
 * Scans P_INPUT as word2phrase.c's ReadWord does: words end at ' ', '\t' or '\n'; '\r' is skipped
 * anywhere; '\n' (or a literal "</s>") is a line-end token (id 0); a word longer than MAX_STRING − 1
 * bytes keeps its first MAX_STRING − 2 bytes and its last byte. A word still open at the end of a
 * P_FINAL input is dropped (word2phrase.c stops at end of file before counting it). The caller
 * guarantees room for every word of the input (strings, arena, both tables, ids).
 */
export function scanPhrases(block: usize): i32 {
  const input = <usize>load<u32>(block + P_INPUT);
  const end = input + <usize>load<i32>(block + P_INPUT_END);
  const word = <usize>load<u32>(block + P_WORD);
  let fill = load<i32>(block + P_WORD_FILL);
  for (let i = input; i < end; i++) {
    const c = load<u8>(i);
    if (c == 0x0d) continue;
    if (c == 0x20 || c == 0x09 || c == 0x0a) {
      if (fill > 0) {
        endWord(block, fill);
        fill = 0;
      }
      if (c == 0x0a) {
        const ids = <usize>load<u32>(block + P_IDS);
        const idFill = load<i32>(block + P_IDS_FILL);
        store<i32>(ids + (<usize>idFill << 2), LINE_END_ID);
        store<i32>(block + P_IDS_FILL, idFill + 1);
        endLine(block);
      }
      continue;
    }
    store<u8>(word + <usize>fill, c);
    fill++;
    if (fill >= MAX_STRING - 1) fill--;
  }
  if (load<i32>(block + P_FINAL) != 0) fill = 0;
  store<i32>(block + P_WORD_FILL, fill);
  return PHRASES_DONE;
}

/**
 * Interns `n` strings (bytes at src + starts[i], lengths[i]) and writes their ids to `map` (the
 * caller has made room for all of them). Used to merge another counter's strings into this one.
 */
export function internStrings(block: usize, src: usize, starts: usize, lengths: usize, n: i32, map: usize): void {
  for (let i = 0; i < n; i++) {
    const start = src + <usize>load<i32>(starts + (<usize>i << 2));
    store<i32>(map + (<usize>i << 2), internString(block, start, load<i32>(lengths + (<usize>i << 2))));
  }
}

/** Adds `n` pairs (u32 a, u32 b, u32 count triples of another counter's ids) through `map` (room made). */
export function mergePairs(block: usize, triples: usize, n: i32, map: usize): void {
  for (let i = 0; i < n; i++) {
    const t = triples + <usize>i * 12;
    const a = load<i32>(map + (<usize>load<u32>(t) << 2));
    const b = load<i32>(map + (<usize>load<u32>(t, 4) << 2));
    addPair(block, a, b, load<u32>(t, 8));
  }
}

/** Adds `count` to pair (a, b) of this counter's ids (room made). */
export function addPairCount(block: usize, a: i32, b: i32, count: u32): void {
  addPair(block, a, b, count);
}

/** Copies the occupied pair slots as (a, b, count) triples to `out`; returns how many. */
export function exportPairs(block: usize, out: usize): i32 {
  const pairs = <usize>load<u32>(block + P_PAIRS);
  const slots = <usize>load<u32>(block + P_PAIR_MASK) + 1;
  let n = 0;
  for (let s: usize = 0; s < slots; s++) {
    const entry = pairs + s * PAIR_BYTES;
    const a = load<u32>(entry + PAIR_A);
    if (a == 0) continue;
    const t = out + <usize>n * 12;
    store<u32>(t, a - 1);
    store<u32>(t, load<u32>(entry + PAIR_B) - 1, 4);
    store<u32>(t, load<u32>(entry + PAIR_COUNT), 8);
    n++;
  }
  return n;
}

/** Re-inserts the pair slots at `old` (`oldSlots` of them) into the current (larger, empty) pair table. */
export function rehashPairs(block: usize, old: usize, oldSlots: i32): void {
  for (let s = 0; s < oldSlots; s++) {
    const from = old + <usize>s * PAIR_BYTES;
    const a = load<u32>(from + PAIR_A);
    if (a == 0) continue;
    const to = pairSlot(block, <i32>a - 1, <i32>load<u32>(from + PAIR_B) - 1);
    memory.copy(to, from, PAIR_BYTES);
  }
}

/** Rebuilds the string table (after it grew) from the string records. */
export function rehashStrings(block: usize): void {
  const table = <usize>load<u32>(block + P_TABLE);
  const mask = load<u32>(block + P_TABLE_MASK);
  const strings = <usize>load<u32>(block + P_STRINGS);
  const size = load<i32>(block + P_SIZE);
  memory.fill(table, 0, (<usize>mask + 1) * STRING_SLOT_BYTES);
  for (let id = 0; id < size; id++) {
    const hash = load<u32>(strings + <usize>id * STRING_BYTES + S_HASH);
    let slot = hash & mask;
    while (load<i32>(table + <usize>slot * STRING_SLOT_BYTES, 4) != 0) slot = (slot + 1) & mask;
    store<u32>(table + <usize>slot * STRING_SLOT_BYTES, hash);
    store<i32>(table + <usize>slot * STRING_SLOT_BYTES, id + 1, 4);
  }
}

/** Writes string `id`'s bytes to `to`; returns how many. */
@inline
function copyString(block: usize, id: i32, to: usize): i32 {
  const record = <usize>load<u32>(block + P_STRINGS) + <usize>id * STRING_BYTES;
  const length = load<i32>(record + S_LENGTH);
  memory.copy(to, <usize>load<u32>(block + P_ARENA) + <usize>load<i32>(record + S_START), <usize>length);
  return length;
}

/**
 * Gives every pair its joined string as word2phrase.c forms it ("a_b", cut to MAX_STRING − 1
 * bytes), interned in the string table, and adds the pair's count to that string's: afterwards a
 * string's count is word2phrase.c's count of it (its unigram occurrences plus those of every pair
 * that joins to it). Resumable from P_RESUME (a pair slot): returns PHRASES_NEEDS_ROOM when the
 * string table is full.
 */
export function materializePairs(block: usize, scratch: usize): i32 {
  const pairs = <usize>load<u32>(block + P_PAIRS);
  const slots = load<u32>(block + P_PAIR_MASK) + 1;
  const counts = <usize>load<u32>(block + P_COUNTS);
  for (let s = load<u32>(block + P_RESUME); s < slots; s++) {
    const entry = pairs + <usize>s * PAIR_BYTES;
    const a = load<u32>(entry + PAIR_A);
    if (a == 0 || load<u32>(entry + PAIR_STRING) != 0) continue;
    let length = copyString(block, <i32>a - 1, scratch);
    store<u8>(scratch + <usize>length, UNDERSCORE);
    length++;
    length += copyString(block, <i32>load<u32>(entry + PAIR_B) - 1, scratch + <usize>length);
    if (length > MAX_STRING - 1) length = MAX_STRING - 1;
    if (!hasRoom(block, length)) {
      store<u32>(block + P_RESUME, s);
      return PHRASES_NEEDS_ROOM;
    }
    const id = internString(block, scratch, length);
    store<u32>(entry + PAIR_STRING, <u32>id + 1);
    const count = counts + (<usize>id << 3);
    store<f64>(count, load<f64>(count) + <f64>load<u32>(entry + PAIR_COUNT));
  }
  store<u32>(block + P_RESUME, slots);
  return PHRASES_DONE;
}

/**
 * Adds the pairs (x, y) that were never adjacent but whose joined string "x_y" is a string of count
 * ≥ P_MIN_COUNT (word2phrase.c looks up the joined string, whatever formed it): for every such
 * string with a '_', each split into two known strings. Resumable from P_RESUME (a string id):
 * returns PHRASES_NEEDS_ROOM when the pair table is full.
 */
export function addSplitPairs(block: usize): i32 {
  const strings = <usize>load<u32>(block + P_STRINGS);
  const counts = <usize>load<u32>(block + P_COUNTS);
  const arena = <usize>load<u32>(block + P_ARENA);
  const size = load<i32>(block + P_SIZE);
  const minCount = <f64>load<i32>(block + P_MIN_COUNT);
  const mask = load<u32>(block + P_PAIR_MASK);
  for (let id = load<i32>(block + P_RESUME); id < size; id++) {
    if (load<f64>(counts + (<usize>id << 3)) < minCount) continue;
    const record = strings + <usize>id * STRING_BYTES;
    const start = arena + <usize>load<i32>(record + S_START);
    const length = load<i32>(record + S_LENGTH);
    if (<u32>(load<i32>(block + P_PAIR_SIZE) + length) * 2 > mask + 1) {
      store<i32>(block + P_RESUME, id);
      return PHRASES_NEEDS_ROOM;
    }
    for (let k = 0; k < length; k++) {
      if (load<u8>(start + <usize>k) != UNDERSCORE) continue;
      const x = findString(block, start, k, hashBytes(start, k));
      if (x < 0) continue;
      const yStart = start + <usize>k + 1;
      const y = findString(block, yStart, length - k - 1, hashBytes(yStart, length - k - 1));
      if (y < 0) continue;
      const entry = pairSlot(block, x, y);
      if (load<u32>(entry + PAIR_A) != 0) continue;
      store<u32>(entry + PAIR_A, <u32>x + 1);
      store<u32>(entry + PAIR_B, <u32>y + 1);
      store<u32>(entry + PAIR_COUNT, 0);
      store<u32>(entry + PAIR_STRING, <u32>id + 1);
      store<i32>(block + P_PAIR_SIZE, load<i32>(block + P_PAIR_SIZE) + 1);
    }
  }
  store<i32>(block + P_RESUME, size);
  return PHRASES_DONE;
}

/** word2phrase.c's count of the string that pair (a, b) joins to, or −1 if it is below min-count. */
@inline
function pairCount(block: usize, a: i32, b: i32, minCount: f64): f64 {
  if (a < 0) return -1;
  const entry = pairSlot(block, a, b);
  const s = load<u32>(entry + PAIR_STRING);
  if (load<u32>(entry + PAIR_A) == 0 || s == 0) return -1;
  const count = load<f64>(<usize>load<u32>(block + P_COUNTS) + (<usize>(s - 1) << 3));
  return count >= minCount ? count : -1;
}

/**
 * The joining pass over `n` ids (0 = line end): word2phrase.c's TrainModel (a word is joined to
 * the previous one, "_word", when their score beats the threshold; a joined word does not start
 * another pair), or gensim's analyze_sentence with the npmi scorer. Writes " word", "_word" and
 * "\n" to P_OUT (room for n × MAX_STRING bytes); state carries over between calls.
 */
export function applyPhrases(block: usize, ids: usize, n: i32): void {
  const counts = <usize>load<u32>(block + P_COUNTS);
  const out = <usize>load<u32>(block + P_OUT);
  const minCount = <f64>load<i32>(block + P_MIN_COUNT);
  const threshold = load<f32>(block + P_THRESHOLD);
  const trainWords = load<f32>(block + P_TRAIN_WORDS);
  const npmi = load<i32>(block + P_SCORING) == SCORING_NPMI;
  const corpusWords = load<f64>(block + P_CORPUS_WORDS);
  const npmiThreshold = load<f64>(block + P_NPMI_THRESHOLD);
  let prev = load<i32>(block + P_PREV);
  let li = load<i32>(block + P_LI);
  let pa = load<f64>(block + P_PA);
  let pb = load<f64>(block + P_PB);
  let at = out;
  for (let t = 0; t < n; t++) {
    const id = load<i32>(ids + (<usize>t << 2));
    if (id == LINE_END_ID) {
      store<u8>(at++, 0x0a);
      prev = LINE_END_ID; // word2phrase.c's last_word becomes "</s>"; li, pa and pb carry over
      if (npmi) li = -1; // gensim: a sentence starts no phrase with the last one
      continue;
    }
    const count = load<f64>(counts + (<usize>id << 3));
    let join = false;
    if (npmi) {
      // gensim: both words seen, the joined string seen at least min_count times, npmi > threshold.
      if (li >= 0 && pa > 0) {
        const ab = pairCount(block, li, id, minCount);
        if (ab >= minCount) {
          const pab = ab / corpusWords;
          const score = Math.log(pab / ((pa / corpusWords) * (count / corpusWords))) / -Math.log(pab);
          join = score > npmiThreshold;
        }
      }
      pb = count;
      li = id;
    } else {
      let oov = false;
      const found = count >= minCount;
      if (found) pb = count; else oov = true;
      if (li == -1) oov = true;
      li = found ? id : -1;
      const pab = pairCount(block, prev, id, minCount);
      if (pab < 0) oov = true;
      if (pa < minCount || pb < minCount) oov = true;
      // An unscored pair scores 0 (so a negative threshold joins it, as in word2phrase.c).
      const score: f32 = oov ? 0 : <f32>(<i64>pab - <i64>minCount) / <f32>pa / <f32>pb * trainWords;
      join = score > threshold;
    }
    store<u8>(at++, join ? UNDERSCORE : 0x20);
    at += <usize>copyString(block, id, at);
    if (join) {
      pb = 0;
      if (npmi) li = -1;
    }
    pa = pb;
    prev = id;
  }
  store<i32>(block + P_OUT_FILL, <i32>(at - out));
  store<i32>(block + P_PREV, prev);
  store<i32>(block + P_LI, li);
  store<f64>(block + P_PA, pa);
  store<f64>(block + P_PB, pb);
}

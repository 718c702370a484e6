// The vocabulary pass: whitespace tokenization of UTF-8 bytes and word counting in one scan. Words
// are hashed straight from the input into an open-addressing table, and every token's provisional
// id (the order of first appearance) is written to an id buffer. Block offsets come from
// src/abi/wordcount.ts; src/corpus/byte-counter.ts owns the memory: when a table, array or buffer is full the kernel
// returns, the caller makes room and calls again, and the scan resumes where it stopped.
import {
  K_INPUT, K_INPUT_END, K_FINAL, K_POSITION, K_SKIPPING, K_TABLE, K_TABLE_MASK, K_WORDS, K_COUNTS, K_WORD_CAPACITY, K_SIZE, K_LIVE, K_MAX_LIVE, K_ARENA, K_ARENA_CAPACITY, K_ARENA_USED, K_IDS, K_IDS_CAPACITY, K_IDS_FILL, K_TOKENS, S_KEY, S_ID, S_PREFIX, SLOT_BYTES, W_START, W_LENGTH, W_KEY, WORD_BYTES,
  WORD_COUNT_DONE, WORD_COUNT_IDS_FULL, WORD_COUNT_NEEDS_ROOM, MAX_WORD_BYTES as ABI_MAX_WORD_BYTES,
} from '../src/abi/wordcount';

// Counter block.

// A table slot holds what most lookups need, so a frequent word costs one cache line: its key
// (28 hash bits and the length up to 15, so equal keys mean equal lengths below 15), its id + 1
// (0 = empty slot) and its first 8 bytes; only longer words compare the rest in the arena.
// A word record.


/** Words longer than this many bytes are truncated (word2vec.c truncates at 100). */
const MAX_WORD_BYTES: usize = <usize>ABI_MAX_WORD_BYTES;
const FNV_OFFSET: u32 = 0x811c9dc5;
const FNV_PRIME: u32 = 0x01000193;
const END_OF_LINE_ID = 0;

/**
 * Length of the Unicode space (U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
 * U+205F, U+3000) that starts with lead byte 0xc2, 0xe1, 0xe2 or 0xe3 at `at`; 0 if there is none,
 * −1 if the input ends inside the sequence.
 */
@inline
function multiByteSpace(at: usize, end: usize): i32 {
  const lead = load<u8>(at);
  if (at + 1 >= end) return -1;
  const b1 = load<u8>(at, 1);
  if (lead == 0xc2) return b1 == 0x85 || b1 == 0xa0 ? 2 : 0;
  if (lead == 0xe1 && b1 != 0x9a) return 0;
  if (lead == 0xe2 && b1 != 0x80 && b1 != 0x81) return 0;
  if (lead == 0xe3 && b1 != 0x80) return 0;
  if (at + 2 >= end) return -1;
  const b2 = load<u8>(at, 2);
  if (lead != 0xe2) return b2 == 0x80 ? 3 : 0;
  if (b1 == 0x80) return (b2 >= 0x80 && b2 <= 0x8a) || b2 == 0xa8 || b2 == 0xa9 || b2 == 0xaf ? 3 : 0;
  return b2 == 0x9f ? 3 : 0;
}

/** The word's first 8 bytes, zero-padded (reads up to 8 bytes past a short word; callers leave slack). */
@inline
function prefixOf(start: usize, length: i32): u64 {
  const bytes = load<u64>(start);
  return length >= 8 ? bytes : bytes & ((<u64>1 << (<u64>length << 3)) - 1);
}

@inline
function keyOf(hash: u32, length: i32): u32 {
  return (hash & 0x0fffffff) | (<u32>min(length, 15) << 28);
}

@inline
function sameBytes(a: usize, b: usize, length: usize): bool {
  let k: usize = 0;
  for (; k + 8 <= length; k += 8) if (load<u64>(a + k) != load<u64>(b + k)) return false;
  for (; k < length; k++) if (load<u8>(a + k) != load<u8>(b + k)) return false;
  return true;
}

/** Whether word `id` (whose key and first 8 bytes match) is the `length` bytes at `start`. */
@inline
function sameWord(words: usize, arena: usize, id: i32, start: usize, length: i32): bool {
  const record = words + <usize>id * WORD_BYTES;
  return load<i32>(record + W_LENGTH) == length && sameBytes(arena + <usize>load<i32>(record + W_START) + 8, start + 8, length - 8);
}

/**
 * Adds a word the table does not hold, in `slot` (the empty slot its probe ended at). Returns its
 * provisional id, or −1 if the word arrays, the arena or the table are full, or maxVocabSize is
 * reached: the caller makes room and the scan comes back to this word.
 */
function insertWord(block: usize, start: usize, length: i32, key: u32, prefix: u64, slot: u32): i32 {
  const size = load<i32>(block + K_SIZE);
  const live = load<i32>(block + K_LIVE);
  const used = load<i32>(block + K_ARENA_USED);
  if (
    size >= load<i32>(block + K_WORD_CAPACITY) || live >= load<i32>(block + K_MAX_LIVE) ||
    used + length > load<i32>(block + K_ARENA_CAPACITY) || <u32>(live + 1) * 2 > load<u32>(block + K_TABLE_MASK) + 1
  ) return -1;
  memory.copy(<usize>load<u32>(block + K_ARENA) + <usize>used, start, <usize>length);
  const record = <usize>load<u32>(block + K_WORDS) + <usize>size * WORD_BYTES;
  store<i32>(record + W_START, used);
  store<i32>(record + W_LENGTH, length);
  store<u32>(record + W_KEY, key);
  store<f64>(<usize>load<u32>(block + K_COUNTS) + (<usize>size << 3), 0);
  const entry = <usize>load<u32>(block + K_TABLE) + <usize>slot * SLOT_BYTES;
  store<u32>(entry + S_KEY, key);
  store<i32>(entry + S_ID, size + 1);
  store<u64>(entry + S_PREFIX, prefix);
  store<i32>(block + K_SIZE, size + 1);
  store<i32>(block + K_LIVE, live + 1);
  store<i32>(block + K_ARENA_USED, used + length);
  return size;
}

/** Appends a token's id to the id buffer and counts it. */
@inline
function record(ids: usize, fill: i32, counts: usize, id: i32): void {
  store<i32>(ids + (<usize>fill << 2), id);
  const count = counts + (<usize>id << 3);
  store<f64>(count, load<f64>(count) + 1);
}

/**
 * Bytes of the space at `at`: 1 for ASCII white space (\t \n \v \f \r and ' '), 2 or 3 for a
 * Unicode space, 0 for any other byte, −1 for a sequence cut by the end of the input.
 */
@inline
function spaceAt(at: usize, end: usize): i32 {
  const b = load<u8>(at);
  // Bits 9–13 and 32 of the mask: \t \n \v \f \r and ' '.
  if (b <= 0x20) return <i32>((<u64>0x100003e00 >> <u64>b) & 1);
  if (b < 0xc2 || b > 0xe3) return 0;
  if (b == 0xc2 || b >= 0xe1) return multiByteSpace(at, end);
  return 0;
}

/**
 * Scans the input from K_POSITION. Splits on Unicode White_Space; '\n' also records the
 * end-of-line token (id 0). Without K_FINAL it stops before an unfinished last word (or a cut
 * multi-byte sequence) and leaves K_POSITION there, so the caller carries those bytes over; a
 * word that grows past MAX_WORD_BYTES is counted once, truncated, and the rest of it skipped.
 * State lives in locals and goes back to the block when the call returns.
 */
export function countWords(block: usize): i32 {
  const input = <usize>load<u32>(block + K_INPUT);
  const end = input + <usize>load<i32>(block + K_INPUT_END);
  const final = load<i32>(block + K_FINAL) != 0;
  const table = <usize>load<u32>(block + K_TABLE);
  const mask = load<u32>(block + K_TABLE_MASK);
  const words = <usize>load<u32>(block + K_WORDS);
  const counts = <usize>load<u32>(block + K_COUNTS);
  const arena = <usize>load<u32>(block + K_ARENA);
  const ids = <usize>load<u32>(block + K_IDS);
  const capacity = load<i32>(block + K_IDS_CAPACITY);
  let fill = load<i32>(block + K_IDS_FILL);
  let skipping = load<i32>(block + K_SKIPPING) != 0;
  let i = input + <usize>load<i32>(block + K_POSITION);
  let resume = end;
  let status = WORD_COUNT_DONE;

  for (;;) {
    // Spaces; a line end is a token.
    let cut = false;
    while (i < end) {
      const space = spaceAt(i, end);
      if (space == 0) break;
      if (space < 0) {
        cut = true;
        break;
      }
      // A space ends whatever word the previous input left unfinished.
      skipping = false;
      if (load<u8>(i) == 0x0a) {
        if (fill >= capacity) {
          status = WORD_COUNT_IDS_FULL;
          break;
        }
        record(ids, fill++, counts, END_OF_LINE_ID);
      }
      i += <usize>space;
    }
    if (status != WORD_COUNT_DONE || (cut && !final)) {
      resume = i; // a cut sequence is carried over to the next input
      break;
    }
    if (i >= end) {
      resume = end;
      break;
    }

    // A word, hashed (its first MAX_WORD_BYTES bytes) as it is scanned.
    const start = i;
    let hash = FNV_OFFSET;
    let unfinished = false;
    while (i < end) {
      const space = spaceAt(i, end);
      if (space > 0) break;
      if (space < 0 && !final) {
        unfinished = true;
        break;
      }
      if (i - start < MAX_WORD_BYTES) hash = (hash ^ <u32>load<u8>(i)) * FNV_PRIME;
      i++;
    }
    if (i >= end && !final) unfinished = true;
    if (unfinished) {
      // Only the bytes before i are known to be the word's: a cut sequence after them may be a space.
      if (i - start <= MAX_WORD_BYTES) {
        resume = start; // carried over, to finish with the next input
        break;
      }
      // A huge token: count its first MAX_WORD_BYTES once (the hash covers them), then drop
      // bytes until it ends.
    } else if (skipping && start == input) {
      // The tail of a huge word whose first MAX_WORD_BYTES bytes were counted.
      skipping = false;
      continue;
    }
    if (unfinished && skipping) {
      resume = end;
      break;
    }
    skipping = false;

    if (fill >= capacity) {
      status = WORD_COUNT_IDS_FULL;
      resume = start;
      break;
    }
    const length = <i32>min(i - start, MAX_WORD_BYTES);
    const key = keyOf(hash, length);
    const prefix = prefixOf(start, length);
    let slot = key & mask;
    let id = -1;
    for (;;) {
      const entry = table + <usize>slot * SLOT_BYTES;
      const candidate = load<i32>(entry + S_ID) - 1;
      if (candidate < 0) break;
      if (load<u32>(entry + S_KEY) == key && load<u64>(entry + S_PREFIX) == prefix && (length <= 8 || sameWord(words, arena, candidate, start, length))) {
        id = candidate;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (id < 0) {
      id = insertWord(block, start, length, key, prefix, slot);
      if (id < 0) {
        status = WORD_COUNT_NEEDS_ROOM;
        resume = start;
        break;
      }
    }
    record(ids, fill++, counts, id);
    if (unfinished) {
      skipping = true;
      resume = end;
      break;
    }
  }

  const recorded = fill - load<i32>(block + K_IDS_FILL);
  store<f64>(block + K_TOKENS, load<f64>(block + K_TOKENS) + <f64>recorded);
  store<i32>(block + K_IDS_FILL, fill);
  store<i32>(block + K_SKIPPING, skipping ? 1 : 0);
  store<i32>(block + K_POSITION, <i32>(resume - input));
  return status;
}

/** Rebuilds the hash table (after it grew or words were pruned) from the words not pruned. */
export function rehashWords(block: usize): void {
  const table = <usize>load<u32>(block + K_TABLE);
  const mask = load<u32>(block + K_TABLE_MASK);
  const words = <usize>load<u32>(block + K_WORDS);
  const counts = <usize>load<u32>(block + K_COUNTS);
  const arena = <usize>load<u32>(block + K_ARENA);
  const size = load<i32>(block + K_SIZE);
  memory.fill(table, 0, (<usize>mask + 1) * SLOT_BYTES);
  for (let id = 0; id < size; id++) {
    if (load<f64>(counts + (<usize>id << 3)) < 0) continue;
    const record = words + <usize>id * WORD_BYTES;
    const key = load<u32>(record + W_KEY);
    let slot = key & mask;
    while (load<i32>(table + <usize>slot * SLOT_BYTES + S_ID) != 0) slot = (slot + 1) & mask;
    const entry = table + <usize>slot * SLOT_BYTES;
    store<u32>(entry + S_KEY, key);
    store<i32>(entry + S_ID, id + 1);
    store<u64>(entry + S_PREFIX, prefixOf(arena + <usize>load<i32>(record + W_START), load<i32>(record + W_LENGTH)));
  }
}

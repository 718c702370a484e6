// The vocabulary counter's ABI (assembly/wordcount.ts ↔ src/corpus/byte-counter.ts): byte offsets
// of the counter block, the hash-table slot and the word record, and the kernel's return codes. The
// one source of truth: both compilers import this file (test/runtime/abi.test.ts). Plain
// `export const` integers only.

export const K_INPUT = 0; //          ptr: input bytes
export const K_INPUT_END = 4; //      i32: bytes at K_INPUT
export const K_FINAL = 8; //          i32: 1 if no input follows (the last word needs no space after it)
export const K_POSITION = 12; //      i32: where the scan resumes (in/out); a word start or a space
export const K_SKIPPING = 16; //      i32: 1 while dropping the rest of a word longer than MAX_WORD_BYTES
export const K_TABLE = 20; //         ptr: SLOT_BYTES per slot (below)
export const K_TABLE_MASK = 24; //    i32: slots − 1 (a power of two minus one)
export const K_WORDS = 28; //         ptr: WORD_BYTES per word (below)
export const K_COUNTS = 32; //        ptr: f64 per word; −1 marks a word pruned by maxVocabSize
export const K_WORD_CAPACITY = 36; // i32: words the two arrays hold
export const K_SIZE = 40; //          i32: provisional ids handed out (in/out)
export const K_LIVE = 44; //          i32: words not pruned (in/out)
export const K_MAX_LIVE = 48; //      i32: live words allowed before the caller must prune
export const K_ARENA = 52; //         ptr: the words' bytes (8 bytes of slack after the last)
export const K_ARENA_CAPACITY = 56; // i32
export const K_ARENA_USED = 60; //    i32 (in/out)
export const K_IDS = 64; //           ptr: i32 provisional id per token
export const K_IDS_CAPACITY = 68; //  i32
export const K_IDS_FILL = 72; //      i32 (in/out)
export const K_TOKENS = 80; //        f64: tokens counted (in/out)
export const S_KEY = 0; //    u32
export const S_ID = 4; //     i32: provisional id + 1
export const S_PREFIX = 8; // u64: the first 8 bytes, zero-padded
export const SLOT_BYTES = 16;
export const W_START = 0; //  i32: offset of its bytes in the arena
export const W_LENGTH = 4; // i32
export const W_KEY = 8; //    u32
export const WORD_BYTES = 16;

/** Bytes of the counter block. */
export const BLOCK_BYTES = 88;
/** Words longer than this many bytes are truncated (word2vec.c truncates at 100). */
export const MAX_WORD_BYTES = 4096;

// What countWords returns.
export const WORD_COUNT_DONE = 0; //      the input is scanned up to K_POSITION (an unfinished word or cut sequence)
export const WORD_COUNT_IDS_FULL = 1; //  the id buffer is full
export const WORD_COUNT_NEEDS_ROOM = 2; // a new word does not fit: grow the arrays, arena or table, or prune

// The phrase counter's ABI (assembly/bigrams.ts ↔ src/phrases/counter.ts): byte offsets of the
// counter block, the string record and the pair slot, and the kernels' return codes. Both
// compilers import this file. Plain `export const` integers only.

export const P_INPUT = 0; //         ptr: input bytes
export const P_INPUT_END = 4; //     i32: bytes at P_INPUT
export const P_FINAL = 8; //         i32: 1 if no input follows (an unfinished last word is dropped, as word2phrase.c does)
export const P_WORD = 12; //         ptr: the word being read (MAX_STRING bytes)
export const P_WORD_FILL = 16; //    i32: word2phrase.c's `a` for the word being read (in/out)
export const P_LINE_START = 20; //   i32: 1 at a line start (in/out)
export const P_LAST_X = 24; //       i32: the previous word's id, the next pair's left word; −1 unknown (before the range), −2 none (npmi, after a line end) (in/out)
export const P_PENDING = 28; //      i32: the range's first word, whose left word an earlier range read; −1 none (out)
export const P_TABLE = 32; //        ptr: STRING_SLOT_BYTES per slot
export const P_TABLE_MASK = 36; //   i32: slots − 1
export const P_STRINGS = 40; //      ptr: STRING_BYTES per string
export const P_COUNTS = 44; //       ptr: f64 per string
export const P_SIZE = 48; //         i32: strings (in/out)
export const P_ARENA = 52; //        ptr: the strings' bytes
export const P_ARENA_USED = 56; //   i32 (in/out)
export const P_PAIRS = 60; //        ptr: PAIR_BYTES per slot
export const P_PAIR_MASK = 64; //    i32: pair slots − 1
export const P_PAIR_SIZE = 68; //    i32: occupied pair slots (in/out)
export const P_IDS = 72; //          ptr: i32 id per token (0 = line end)
export const P_IDS_FILL = 76; //     i32 (in/out)
export const P_TOKENS = 80; //       f64: words counted, word2phrase.c's train_words (in/out)
export const P_RESUME = 88; //       i32: where a resumable kernel continues (in/out)
export const P_CAPACITY = 92; //     i32: strings the record and count arrays hold
export const P_ARENA_CAPACITY = 96; // i32
export const P_MIN_COUNT = 100; //   i32
export const P_THRESHOLD = 104; //   f32
export const P_TRAIN_WORDS = 108; // f32 (word2phrase.c's (real)train_words)
export const P_SCORING = 112; //     i32: SCORING_DEFAULT or SCORING_NPMI
export const P_PREV = 116; //        i32: apply state: previous token's string id; −1 = the empty word (file start) (in/out)
export const P_LI = 120; //          i32: apply state: word2phrase.c's li (in/out)
export const P_PA = 128; //          f64: apply state: pa (in/out)
export const P_PB = 136; //          f64: apply state: pb (in/out)
export const P_OUT = 144; //         ptr: output bytes of applyPhrases
export const P_OUT_FILL = 148; //    i32 (out)
export const P_CORPUS_WORDS = 152; // f64: for npmi, the corpus word count (gensim's corpus_word_count)
export const P_NPMI_THRESHOLD = 160; // f64: for npmi (gensim compares in double precision)
export const P_SLOT = 168; //        u32: scratch: the empty slot a failed string lookup ended at

export const S_START = 0; //  i32: offset in the arena
export const S_LENGTH = 4; // i32
export const S_HASH = 8; //   u32
export const STRING_BYTES = 12;
export const STRING_SLOT_BYTES = 8; // u32 hash, i32 id + 1 (0 = empty)
export const PAIR_A = 0; //     u32: first id + 1 (0 = empty slot)
export const PAIR_B = 4; //     u32: second id + 1
export const PAIR_COUNT = 8; // u32: times the pair was counted
export const PAIR_STRING = 12; // u32: id + 1 of the pair's joined string (after materializePairs)
export const PAIR_BYTES = 16;

/** Bytes of the counter block. */
export const PHRASE_BLOCK_BYTES = 176;
/** word2phrase.c's MAX_STRING: words and joined pairs are at most MAX_STRING − 1 bytes. */
export const MAX_STRING = 180;

export const SCORING_DEFAULT = 0;
export const SCORING_NPMI = 1;

// What the resumable kernels return.
export const PHRASES_DONE = 0;
export const PHRASES_NEEDS_ROOM = 1;

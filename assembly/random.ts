// word2vec.c's linear congruential generator. Its low bits have short periods, so callers
// draw from the high bits, as word2vec.c does with `>> 16`.
@inline
export function nextRandom(state: u64): u64 {
  return state * 25214903917 + 11;
}

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

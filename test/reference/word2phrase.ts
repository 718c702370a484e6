// A scalar reference of word2vec.c's word2phrase.c (LearnVocabFromTrainFile + TrainModel), ported
// line by line over bytes: ReadWord's end-of-file behaviour, C strings ending at a NUL byte, one
// table for words and joined pairs, its `start` flag (cleared before it is tested, so pairs cross
// line ends), float (f32) arithmetic in the score. The unset last_word of the first pair is taken
// as the empty string. No pruning (ReduceVocab needs 350 M entries).
const MAX_STRING = 180;
const f32 = Math.fround;

/** C string: the bytes up to the first NUL, as a latin1 key. */
function cString(bytes: number[]): string {
  const end = bytes.indexOf(0);
  return String.fromCharCode(...(end < 0 ? bytes : bytes.slice(0, end)));
}

class Reader {
  private at = 0;
  eof = false;
  constructor(private readonly text: Uint8Array) {}

  private getc(): number {
    if (this.at >= this.text.length) {
      this.eof = true;
      return -1;
    }
    return this.text[this.at++];
  }

  /** ReadWord: the word, or "</s>" for a line end. */
  readWord(): string {
    const word: number[] = [];
    let a = 0;
    while (!this.eof) {
      const ch = this.getc();
      if (ch === 13) continue;
      if (ch === 32 || ch === 9 || ch === 10) {
        if (a > 0) {
          if (ch === 10) this.at--; // ungetc
          break;
        }
        if (ch === 10) return '</s>';
        continue;
      }
      word[a] = ch & 0xff; // EOF stores (char)-1
      a++;
      if (a >= MAX_STRING - 1) a--;
    }
    return cString(word.slice(0, a));
  }
}

function bigram(a: string, b: string): string {
  return `${a}_${b}`.slice(0, MAX_STRING - 1);
}

export function word2phraseReference(text: Uint8Array, threshold: number, minCount: number): Uint8Array {
  const vocab = new Map<string, number>();
  let trainWords = 0;
  let lastWord = '';
  let reader = new Reader(text);
  for (;;) {
    const word = reader.readWord();
    if (reader.eof) break;
    if (word === '</s>') continue;
    trainWords++;
    vocab.set(word, (vocab.get(word) ?? 0) + 1);
    const b = bigram(lastWord, word);
    lastWord = word;
    vocab.set(b, (vocab.get(b) ?? 0) + 1);
  }
  const search = (w: string) => {
    const c = vocab.get(w);
    return c !== undefined && c >= minCount ? c : -1;
  };
  const out: string[] = [];
  reader = new Reader(text);
  let word = '';
  let pa = 0;
  let pb = 0;
  let pab = 0;
  let li = -1;
  for (;;) {
    lastWord = word;
    word = reader.readWord();
    if (reader.eof) break;
    if (word === '</s>') {
      out.push('\n');
      continue;
    }
    let oov = false;
    let i = search(word);
    if (i === -1) oov = true;
    else pb = i;
    if (li === -1) oov = true;
    li = i;
    i = search(bigram(lastWord, word));
    if (i === -1) oov = true;
    else pab = i;
    if (pa < minCount) oov = true;
    if (pb < minCount) oov = true;
    const score = oov ? 0 : f32(f32(f32(f32(pab - minCount) / f32(pa)) / f32(pb)) * f32(trainWords));
    if (score > f32(threshold)) {
      out.push('_' + word);
      pb = 0;
    } else out.push(' ' + word);
    pa = pb;
  }
  return Uint8Array.from(out.join(''), (c) => c.charCodeAt(0));
}

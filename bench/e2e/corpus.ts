import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync, writeSync } from 'node:fs';

export interface CorpusStats {
  /** The file the tools read; with --repeat, a temporary file holding `repeat` copies of `source`. */
  path: string;
  source: string;
  repeat: number;
  bytes: number;
  /** Whitespace-separated tokens: the "corpus words" of every words/s figure. */
  words: number;
  lines: number;
  maxWordsPerLine: number;
  md5: string;
}

/** ASCII whitespace, as word2vec.c, fastText and gensim split (they differ only on exotic Unicode spaces). */
function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x09 || b === 0x0d || b === 0x0b || b === 0x0c;
}

export async function corpusStats(path: string, source = path, repeat = 1): Promise<CorpusStats> {
  const hash = createHash('md5');
  let words = 0;
  let lines = 0;
  let lineWords = 0;
  let maxWordsPerLine = 0;
  let inWord = false;
  let lastByte = 0x0a;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (isSpace(b)) {
        inWord = false;
        if (b === 0x0a) {
          lines++;
          if (lineWords > maxWordsPerLine) maxWordsPerLine = lineWords;
          lineWords = 0;
        }
      } else if (!inWord) {
        inWord = true;
        words++;
        lineWords++;
      }
    }
    if (chunk.length > 0) lastByte = chunk[chunk.length - 1];
  }
  if (lastByte !== 0x0a) lines++;
  if (lineWords > maxWordsPerLine) maxWordsPerLine = lineWords;
  return { path, source, repeat, bytes: statSync(path).size, words, lines, maxWordsPerLine, md5: hash.digest('hex') };
}

/**
 * Copies `source` to `dest` with a line break in place of the space after every `maxWords`-th word
 * of a line: gensim's corpus_file mode reads only the first 10 000 words of a line.
 */
export async function wrapLines(source: string, dest: string, maxWords = 10_000): Promise<void> {
  const fd = openSync(dest, 'w');
  try {
    let lineWords = 0;
    let inWord = false;
    for await (const chunk of createReadStream(source, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      const out = Buffer.from(chunk);
      for (let i = 0; i < out.length; i++) {
        const b = out[i];
        if (isSpace(b)) {
          if (b === 0x0a) lineWords = 0;
          else if (inWord && lineWords >= maxWords) {
            out[i] = 0x0a;
            lineWords = 0;
          }
          inWord = false;
        } else if (!inWord) {
          inWord = true;
          lineWords++;
        }
      }
      writeSync(fd, out);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `times` copies of `source` into `dest` (text8_head × 8 is text8-sized), with a space between
 * copies when the file neither starts nor ends with whitespace, so that no two words merge.
 */
export async function repeatCorpus(source: string, dest: string, times: number): Promise<void> {
  const size = statSync(source).size;
  const edge = (at: number) => {
    const fd = openSync(source, 'r');
    try {
      const b = Buffer.alloc(1);
      return readSync(fd, b, 0, 1, at) === 1 ? b[0] : 0x20;
    } finally {
      closeSync(fd);
    }
  };
  const needsSpace = size > 0 && !isSpace(edge(0)) && !isSpace(edge(size - 1));
  const fd = openSync(dest, 'w');
  try {
    for (let i = 0; i < times; i++) {
      if (i > 0 && needsSpace) writeSync(fd, ' ');
      for await (const chunk of createReadStream(source, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
}

// Writes a corpus as the tokenizer sees it: one output line per input line, words separated by
// single spaces, so a segmented (and script-converted) text can be inspected and reused by other
// tools (word2vec.c, fastText, gensim) or trained again with the fast whitespace tokenizer.
import { AbortError } from '../errors.js';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { readCorpusText, type CorpusSource } from './source.js';
import { END_OF_LINE, resolveTextOptions, tokenize, type TokenizeOptions } from './tokenizer.js';

export interface SegmentOptions extends TokenizeOptions {
  signal?: AbortSignal;
}

export interface SegmentReport {
  lines: number;
  tokens: number;
  bytes: number;
}

/** Segments `input` into `output` (written atomically: a failure or an abort leaves no partial file). */
export async function segmentCorpus(input: CorpusSource, output: string, options: SegmentOptions = {}): Promise<SegmentReport> {
  const { signal, ...textOptions } = options;
  resolveTextOptions(textOptions);
  let lines = 0;
  let tokens = 0;
  let bytes = 0;
  await writeFileAtomic(output, async (out) => {
    let lineStart = true;
    for await (const batch of tokenize(readCorpusText(input), textOptions)) {
      if (signal?.aborted) throw new AbortError();
      let text = '';
      for (const word of batch) {
        if (word === END_OF_LINE) {
          text += '\n';
          lines++;
          lineStart = true;
        } else {
          text += lineStart ? word : ` ${word}`;
          lineStart = false;
          tokens++;
        }
      }
      await out.write(text);
    }
    bytes = out.bytesWritten;
  });
  return { lines, tokens, bytes };
}

// Joins learned phrases into a token stream as it is read (train's `phrases` option, applied in
// the vocabulary pass): each pass of the table is a left-to-right state machine holding at most one
// token, as word2phrase.c joins (a joined word does not start another pair; nothing joins across a
// line end), and the passes are chained, so memory stays constant however long a line is.
import { END_OF_LINE } from './tokenizer.js';

/** The learned pairs of each pass (src/phrases/phrases.ts's Phrases is one; plain objects survive postMessage). */
export interface PhraseTable {
  readonly passes: readonly { readonly pairs: ReadonlyMap<string, ReadonlyMap<string, number>> }[];
  readonly delimiter: string;
}

class PassJoiner {
  private held: string | undefined; // the last token, which the next one may join
  constructor(private readonly pairs: ReadonlyMap<string, ReadonlyMap<string, number>>, private readonly delimiter: string) {}

  push(token: string, out: string[]): void {
    if (token === END_OF_LINE) {
      this.flush(out);
      out.push(token);
      return;
    }
    if (this.held !== undefined && this.pairs.get(this.held)?.has(token)) {
      out.push(this.held + this.delimiter + token);
      this.held = undefined;
      return;
    }
    this.flush(out);
    this.held = token;
  }

  flush(out: string[]): void {
    if (this.held !== undefined) out.push(this.held);
    this.held = undefined;
  }
}

/** A streaming joiner: push batches of tokens (END_OF_LINE ends a sentence), then end(). */
export class PhraseJoiner {
  private readonly passes: PassJoiner[];

  constructor(table: PhraseTable) {
    this.passes = table.passes.map((pass) => new PassJoiner(pass.pairs, table.delimiter));
  }

  push(tokens: readonly string[]): string[] {
    let current = tokens as string[];
    for (const pass of this.passes) {
      const out: string[] = [];
      for (const token of current) pass.push(token, out);
      current = out;
    }
    return current;
  }

  end(): string[] {
    let current: string[] = [];
    for (const pass of this.passes) {
      const out: string[] = [];
      for (const token of current) pass.push(token, out);
      pass.flush(out);
      current = out;
    }
    return current;
  }
}

/** The batches with the table's phrases joined (a batch may come out shorter; empty ones are skipped). */
export async function* joinPhraseBatches(batches: AsyncIterable<string[]>, table: PhraseTable): AsyncGenerator<string[]> {
  const joiner = new PhraseJoiner(table);
  for await (const batch of batches) {
    const out = joiner.push(batch);
    if (out.length > 0) yield out;
  }
  const rest = joiner.end();
  if (rest.length > 0) yield rest;
}

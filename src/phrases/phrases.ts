// A learned set of phrases: for each pass, the word pairs whose score beat that pass's threshold.
// Applying it to a token array joins pairs left to right as word2phrase.c does (a joined word does
// not start another pair; each pass joins at most pairs, so N passes build phrases of up to 2^N
// words). Saved as a small text file: a header line per pass, then "a<TAB>b<TAB>score" lines.
import { nodeBuiltin } from '../runtime/node-builtins.js';
import { Wasm2VecError } from '../errors.js';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import type { PhraseScoring } from './counter.js';
import { PhraseJoiner, type PhraseTable } from '../corpus/phrase-joiner.js';
const { readFile } = nodeBuiltin('node:fs/promises');

const MAGIC = '# wasm2vec phrases 1';

export interface PhrasePass {
  scoring: PhraseScoring;
  threshold: number;
  minCount: number;
  /** left word → right word → score. */
  pairs: Map<string, Map<string, number>>;
}

export class Phrases implements PhraseTable {
  constructor(readonly passes: readonly PhrasePass[], readonly delimiter = '_') {}

  /** Pairs joined over all passes. */
  get size(): number {
    let n = 0;
    for (const pass of this.passes) for (const right of pass.pairs.values()) n += right.size;
    return n;
  }

  /** Whether pass `pass` (0-based) joins `a` and `b`, and with what score. */
  score(a: string, b: string, pass = 0): number | undefined {
    return this.passes[pass]?.pairs.get(a)?.get(b);
  }

  /** The tokens of one sentence with the learned pairs joined (pass after pass). */
  apply(tokens: readonly string[]): string[] {
    const joiner = new PhraseJoiner(this);
    return [...joiner.push(tokens), ...joiner.end()];
  }

  /** Every joined pair: [pass (0-based), a, b, score], by pass, then score descending. */
  *entries(): Generator<[number, string, string, number]> {
    for (let k = 0; k < this.passes.length; k++) {
      const list: [number, string, string, number][] = [];
      for (const [a, right] of this.passes[k].pairs) for (const [b, score] of right) list.push([k, a, b, score]);
      list.sort((x, y) => y[3] - x[3] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0));
      yield* list;
    }
  }

  toString(): string {
    const lines = [MAGIC];
    let pass = -1;
    for (const [k, a, b, score] of this.entries()) {
      while (pass < k) {
        pass++;
        const p = this.passes[pass];
        lines.push(`# pass ${pass + 1} scoring ${p.scoring} threshold ${p.threshold} min-count ${p.minCount}`);
      }
      lines.push(`${a}\t${b}\t${score}`);
    }
    while (pass < this.passes.length - 1) {
      pass++;
      const p = this.passes[pass];
      lines.push(`# pass ${pass + 1} scoring ${p.scoring} threshold ${p.threshold} min-count ${p.minCount}`);
    }
    return lines.join('\n') + '\n';
  }

  /** Writes the phrases (atomically). */
  async save(path: string): Promise<void> {
    await writeFileAtomic(path, async (out) => out.write(this.toString()));
  }

  static async load(path: string): Promise<Phrases> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new Wasm2VecError(`cannot read phrases file ${path}: ${(error as Error).message}`);
    }
    return Phrases.parse(text, path);
  }

  static parse(text: string, name = 'phrases'): Phrases {
    const lines = text.split('\n');
    if (lines[0] !== MAGIC) throw new Wasm2VecError(`${name}: line 1 is not "${MAGIC}"; is this a file written by Phrases.save or \`wasm2vec phrases --save-phrases\`?`);
    const passes: PhrasePass[] = [];
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      if (line === '' && i === lines.length - 1) break;
      const header = /^# pass (\d+) scoring (default|npmi) threshold (\S+) min-count (\d+)$/.exec(line);
      if (header) {
        if (Number(header[1]) !== passes.length + 1) throw new Wasm2VecError(`${name}: line ${i + 1}: pass ${header[1]} follows pass ${passes.length}`);
        passes.push({ scoring: header[2] as PhraseScoring, threshold: Number(header[3]), minCount: Number(header[4]), pairs: new Map() });
        continue;
      }
      const fields = line.split('\t');
      const score = Number(fields[2]);
      if (passes.length === 0 || fields.length !== 3 || fields[2] === '' || Number.isNaN(score)) {
        throw new Wasm2VecError(`${name}: line ${i + 1} is not "left<TAB>right<TAB>score" after a "# pass" line: ${JSON.stringify(line.slice(0, 80))}`);
      }
      const pairs = passes[passes.length - 1].pairs;
      let right = pairs.get(fields[0]);
      if (!right) pairs.set(fields[0], (right = new Map()));
      right.set(fields[1], score);
    }
    if (passes.length === 0) throw new Wasm2VecError(`${name}: no "# pass" line`);
    return new Phrases(passes);
  }
}

// Phrases (word2phrase and gensim's npmi): the output is compared byte for byte with word2phrase.c's
// and gensim's on the fixtures in test/phrases/fixtures/ (README.md there says how they were made).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { learnPhrases, phraseCorpus } from '../../src/phrases/learn.js';
import { Phrases } from '../../src/phrases/phrases.js';
import { cli, tempDir } from '../helpers.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
const CORPUS = fixture('phrases-corpus.txt');
const PLAIN = fixture('phrases-corpus-plain.txt');

async function phrased(options: Parameters<typeof phraseCorpus>[0] extends infer O ? Omit<O & object, 'output'> : never): Promise<{ text: Buffer; phrases: Phrases }> {
  const dir = tempDir();
  try {
    const output = join(dir.path, 'out.txt');
    const report = await phraseCorpus({ ...options, output });
    const text = readFileSync(output);
    expect(readdirSync(dir.path)).toEqual(['out.txt']); // no pass file left behind
    return { text, phrases: report.phrases };
  } finally {
    dir.remove();
  }
}

describe('phrases: word2phrase.c', () => {
  it('writes what word2phrase writes (threshold 100, min-count 5), on one thread and split across three', async () => {
    const expected = readFileSync(fixture('phrases-corpus.word2phrase-t100-m5.txt'));
    for (const threads of [1, 3]) {
      const { text, phrases } = await phrased({ input: CORPUS, threshold: 100, minCount: 5, threads, parallelMinBytes: 1 });
      expect(text.equals(expected)).toBe(true);
      const entries = [...phrases.entries()];
      expect(entries.length).toBeGreaterThan(10);
      for (const [, , , score] of entries) expect(score).toBeGreaterThan(100);
    }
  });

  it('with two passes (thresholds 50 then 20, min-count 3) writes what word2phrase run twice writes', async () => {
    const expected = readFileSync(fixture('phrases-corpus.word2phrase-t50-t20-m3.txt'));
    for (const threads of [1, 2]) {
      const { text, phrases } = await phrased({ input: CORPUS, threshold: [50, 20], minCount: 3, passes: 2, threads, parallelMinBytes: 1 });
      expect(text.equals(expected)).toBe(true);
      expect(phrases.passes).toHaveLength(2);
      // learnPhrases learns pass 2 from pass 1's joined text too.
      const learned = await learnPhrases({ input: CORPUS, threshold: [50, 20], minCount: 3, passes: 2, threads });
      expect(learned.toString()).toBe(phrases.toString());
      expect([...learned.entries()].some(([pass, a, b]) => pass === 1 && (a.includes('_') || b.includes('_')))).toBe(true);
      // "new_york" of pass 1 joins "times" in pass 2 only if the text says so: check against the fixture.
      expect(text.includes(Buffer.from(' new_york_times'))).toBe(expected.includes(Buffer.from(' new_york_times')));
    }
  });

  it('Phrases.apply on each line\'s tokens gives the joined text, and survives a save and load', async () => {
    const expected = readFileSync(fixture('phrases-corpus-plain.word2phrase-t30-m5.txt'), 'utf8').split('\n');
    const phrases = await learnPhrases({ input: PLAIN, threshold: 30, minCount: 5, threads: 1 });
    expect(phrases.size).toBe(4); // united_states, prime_minister, los_angeles, san_francisco
    expect(phrases.score('united', 'states')).toBeGreaterThan(30);
    const lines = readFileSync(PLAIN, 'utf8').split('\n').slice(0, -1);
    const dir = tempDir();
    try {
      const path = join(dir.path, 'phrases.txt');
      await phrases.save(path);
      const loaded = await Phrases.load(path);
      expect(loaded.size).toBe(phrases.size);
      for (const model of [phrases, loaded]) {
        lines.forEach((line, i) => {
          const tokens = line.split(' ').filter((t) => t !== '');
          expect([' ', ...model.apply(tokens)].join(' ').replace(/^ {2}/, ' ').trimEnd(), `line ${i + 1}`).toBe(expected[i].replace(/^ $/, ''));
        });
      }
    } finally {
      dir.remove();
    }
  });
});

describe('phrases: gensim npmi', () => {
  it('joins what gensim 4.2 Phrases(scoring="npmi", threshold=0.1, min_count=5) joins, with its scores', async () => {
    const { text, phrases } = await phrased({ input: PLAIN, scoring: 'npmi', threshold: 0.1, minCount: 5, threads: 1 });
    const gensimLines = readFileSync(fixture('phrases-npmi-gensim.txt'), 'utf8');
    expect(text.toString('utf8').replace(/^ /gm, '')).toBe(gensimLines);
    // gensim's export_phrases splits "new_york_times" at its first and last '_' (not how it joins);
    // every other phrase it exports is a pair we join, with the same score (libm last-bit differences).
    const ours = new Map([...phrases.entries()].map(([, a, b, score]) => [`${a}_${b}`, score]));
    const theirs = readFileSync(fixture('phrases-npmi-gensim.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
    expect(theirs.length).toBeGreaterThan(20);
    for (const [phrase, score] of theirs) {
      expect(ours.get(phrase), phrase).toBeCloseTo(Number(score), 12);
    }
    expect([...ours.keys()].filter((p) => !theirs.some(([q]) => q === p))).toEqual(['new_york_times']);
  });
});

describe('phrases: options and files', () => {
  it('rejects unknown keys, bad thresholds and a threshold list of the wrong length', async () => {
    await expect(learnPhrases({ input: PLAIN, min_count: 5 } as never)).rejects.toThrow(/unknown option "min_count" \(did you mean "minCount"\?\)/);
    await expect(learnPhrases({ input: PLAIN, scoring: 'npmi', threshold: 2 })).rejects.toThrow(/option threshold\[0\] must be a number from -1 to 1, got 2/);
    await expect(learnPhrases({ input: PLAIN, passes: 2, threshold: [1, 2, 3] })).rejects.toThrow(/threshold has 3 values for 2 passes/);
    await expect(learnPhrases({ input: PLAIN, threshold: -1 })).rejects.toThrow(/option threshold\[0\] must be a number from 0 to/);
    await expect(learnPhrases({ input: PLAIN, minCount: 0 })).rejects.toThrow(/option minCount must be an integer from 1/);
    await expect(learnPhrases({ input: PLAIN, scoring: 'pmi' as never })).rejects.toThrow(/option scoring must be "default", "npmi"/);
  });

  it('refuses a phrases file that is not one, naming the line', () => {
    expect(() => Phrases.parse('hello\n', 'p.txt')).toThrow(/p.txt: line 1 is not "# wasm2vec phrases 1"/);
    expect(() => Phrases.parse('# wasm2vec phrases 1\n# pass 1 scoring default threshold 100 min-count 5\nnew york\n', 'p.txt')).toThrow(/p.txt: line 3 is not "left<TAB>right<TAB>score"/);
  });
});

describe('wasm2vec phrases (CLI)', () => {
  it('takes word2phrase\'s options and writes its output; a missing input is one error line', async () => {
    const dir = tempDir();
    try {
      const output = join(dir.path, 'out.txt');
      const run = await cli(['phrases', '-train', CORPUS, '-output', output, '-threshold', '100', '-min-count', '5', '-debug', '2']);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/pass 1: 24,795 words/);
      expect(readFileSync(output).equals(readFileSync(fixture('phrases-corpus.word2phrase-t100-m5.txt')))).toBe(true);
      const missing = await cli(['phrases', '--input', join(dir.path, 'absent.txt'), '--output', join(dir.path, 'x.txt')]);
      expect(missing.code).toBe(1);
      expect(missing.stderr.trim().split('\n')).toHaveLength(1);
      expect(missing.stderr).toMatch(/absent\.txt/);
      expect(readdirSync(dir.path)).toEqual(['out.txt']);
    } finally {
      dir.remove();
    }
  });

  it('--save-phrases writes the joined pairs; train --phrases and glove --phrases join them', async () => {
    const dir = tempDir();
    try {
      const phrases = join(dir.path, 'phrases.txt');
      const run = await cli(['phrases', '--input', PLAIN, '--output', join(dir.path, 'out.txt'), '--threshold', '30', '--save-phrases', phrases, '--quiet']);
      expect(run.code).toBe(0);
      expect((await Phrases.load(phrases)).score('united', 'states')).toBeGreaterThan(30);
      for (const command of ['train', 'glove']) {
        const vectors = join(dir.path, `${command}.txt`);
        const trained = await cli([command, '--input', PLAIN, '--output', vectors, '--phrases', phrases, '--dim', '4', '--epochs', '1', '--threads', '1', '--quiet']);
        expect(trained.code, trained.stderr).toBe(0);
        expect(readFileSync(vectors, 'utf8')).toMatch(/^united_states /m);
      }
    } finally {
      dir.remove();
    }
  });
});

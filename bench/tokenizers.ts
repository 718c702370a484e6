/**
 * Throughput of each tokenizer, in MB of UTF-8 text per second, on one thread.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/tokenizers.js [corpus] [--megabytes N]
 *
 * The corpus (plain or gzip; default the bundled data/text8-sample.txt.gz) is decoded into memory
 * first and fed in 1 MiB chunks, so only tokenization is timed, not reading or gunzip. A synthetic
 * Chinese text (no spaces, punctuation every sentence) is measured as well. Each figure is the best
 * of REPEATS runs (the machine is shared).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tokenize, type TokenizeOptions } from '../src/corpus/tokenizer.js';
import { repoRoot } from './lib/paths.js';

const REPEATS = 3;
const CHUNK_CHARS = 1 << 20;

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function loadCorpus(path: string, megabytes: number): string {
  let bytes: Buffer = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return bytes.subarray(0, megabytes * 1e6).toString('utf8');
}

function chineseText(megabytes: number): string {
  const words = ['我们', '学生', '老师', '今天', '学习', '数学', '历史', '北京', '城市', '发展', '经济', '政府', '工作', '问题', '时间', '一个', '简单', '文本', '处理', '示例'];
  const glue = ['的', '和', '在', '是', '了'];
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((seed / 2 ** 31) * n);
  };
  const parts: string[] = [];
  let bytes = 0;
  while (bytes < megabytes * 1e6) {
    let sentence = '';
    for (let w = 0; w < 8; w++) sentence += words[rand(words.length)] + glue[rand(glue.length)];
    sentence += rand(4) === 0 ? '。\n' : '，';
    parts.push(sentence);
    bytes += Buffer.byteLength(sentence);
  }
  return parts.join('');
}

async function* chunks(text: string): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += CHUNK_CHARS) yield text.slice(i, i + CHUNK_CHARS);
}

async function measure(text: string, options: TokenizeOptions): Promise<{ seconds: number; tokens: number }> {
  let best = Infinity;
  let tokens = 0;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    let n = 0;
    for await (const batch of tokenize(chunks(text), options)) n += batch.length;
    best = Math.min(best, (performance.now() - t0) / 1000);
    tokens = n;
  }
  return { seconds: best, tokens };
}

const VARIANTS: [string, TokenizeOptions][] = [
  ['whitespace', {}],
  ['whitespace + lowercase + NFKC', { lowercase: true, normalize: 'NFKC' }],
  ['unicode', { tokenizer: 'unicode' }],
  ['unicode + lowercase + NFKC', { tokenizer: 'unicode', lowercase: true, normalize: 'NFKC' }],
  ['function (split on /\\s+/)', { tokenizer: (t) => t.split(/\s+/) }],
];

async function main(): Promise<void> {
  const path = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : join(repoRoot, 'data', 'text8-sample.txt.gz');
  const megabytes = Number(argument('--megabytes') ?? 20);
  const corpora: [string, string][] = [
    [path, loadCorpus(path, megabytes)],
    ['synthetic Chinese (no spaces)', chineseText(Math.min(megabytes, 5))],
  ];
  console.log(`| corpus | tokenizer | MB | tokens | MB/s |`);
  console.log(`|---|---|---:|---:|---:|`);
  for (const [name, text] of corpora) {
    const mb = Buffer.byteLength(text) / 1e6;
    for (const [label, options] of VARIANTS) {
      const { seconds, tokens } = await measure(text, options);
      console.log(`| ${name} | ${label} | ${mb.toFixed(1)} | ${tokens} | ${(mb / seconds).toFixed(1)} |`);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

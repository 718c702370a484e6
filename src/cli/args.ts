import { parseArgs, type ParseArgsConfig } from 'node:util';
import { availableParallelism } from 'node:os';
import { Wasm2VecError } from '../errors.js';
import { maxThreads } from '../validate.js';

/**
 * Rewrites a reference tool's single-dash long options (`-size 100`) to this CLI's (`--dim 100`).
 * Generic parsers read `-size` as the short flags -s -i -z -e, so this runs before parseArgs.
 */
export function normalizeSingleDashOptions(argv: string[], aliases: Record<string, string>): string[] {
  return argv.map((arg) => {
    const match = /^-([a-z][a-z0-9-]+)$/i.exec(arg);
    if (!match) return arg;
    const long = aliases[match[1]];
    if (long === undefined) throw new Wasm2VecError(`unknown option ${arg}`);
    return `--${long}`;
  });
}

type ParsedValues<T extends NonNullable<ParseArgsConfig['options']>> = {
  [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : string;
};

/** parseArgs with errors turned into Wasm2VecError (clear message, exit code 1). */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T, allowPositionals = false): { values: ParsedValues<T>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals, strict: true });
    return { values: values as ParsedValues<T>, positionals };
  } catch (error) {
    throw new Wasm2VecError((error as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
}

/**
 * `--dim -5`: parseArgs refuses a value that starts with a dash ("argument is ambiguous"), so a
 * negative number after an option that takes a value is joined to it (`--dim=-5`) and then reaches
 * the option's own range check, which names the option and the value.
 */
function joinNegativeValues(argv: string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    const name =
      arg.startsWith('--') && !arg.includes('=')
        ? arg.slice(2)
        : /^-[a-zA-Z]$/.test(arg)
          ? Object.keys(options).find((key) => options[key].short === arg[1])
          : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d|inf|nan)/i.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

export function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Wasm2VecError(`option --${name} must be a number, got "${value}"`);
  return n;
}

/**
 * --threads: a number; above what the trainers start on this machine (maxThreads: twice the cores,
 * at least 4) it is clamped there, and the user is told so on stderr rather than left to wonder.
 */
export function threadsOption(value: string | undefined): number | undefined {
  const n = numberOption('threads', value);
  const cores = availableParallelism();
  if (n !== undefined && Number.isInteger(n) && n > maxThreads(cores) && n <= 1_024) {
    process.stderr.write(`wasm2vec: note: --threads ${n} is more than this machine's ${cores} cores can use; running ${maxThreads(cores)} threads\n`);
  }
  return n;
}

export function flagOption(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new Wasm2VecError(`option --${name} must be 0 or 1, got "${value}"`);
}

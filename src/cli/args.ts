import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Wasm2VecError } from '../errors.js';

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
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals, strict: true });
    return { values: values as ParsedValues<T>, positionals };
  } catch (error) {
    throw new Wasm2VecError((error as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
}

export function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Wasm2VecError(`option --${name} must be a number, got "${value}"`);
  return n;
}

export function flagOption(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new Wasm2VecError(`option --${name} must be 0 or 1, got "${value}"`);
}

// Where a command reads and writes: the process's streams by default; tests pass their own.

/** Where a query command reads and writes (the process's streams by default; tests pass their own). */
export interface CommandIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export const processIO: CommandIO = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

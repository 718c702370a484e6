// The few Web APIs the browser entry uses, typed here rather than with TypeScript's DOM library: the
// project compiles against Node.js's types (tsconfig.json), and these files are type-checked with it.

export interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: { message?: string }) => void): void;
}

export interface WebByteStream {
  getReader(): { read(): Promise<{ done: true; value?: undefined } | { done: false; value: Uint8Array }>; releaseLock(): void };
  pipeThrough(transform: object): WebByteStream;
}

/** A Blob or File. */
export interface WebBlob {
  readonly size: number;
  slice(start?: number, end?: number): WebBlob;
  arrayBuffer(): Promise<ArrayBuffer>;
  stream(): WebByteStream;
}

export interface WebGlobals {
  Blob?: abstract new (...args: never[]) => WebBlob;
  DecompressionStream: new (format: 'gzip') => object;
  Worker: new (url: string | URL, options?: { type?: 'module' | 'classic'; name?: string }) => WebWorker;
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  fetch(url: string | URL): Promise<WebResponse>;
}

export interface WebResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly url: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The page's (or worker's) global scope, with the APIs above. */
export const web = globalThis as unknown as WebGlobals;

/** A worker's own scope: messages from the page, replies to it. */
export interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

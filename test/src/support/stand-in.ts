import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The calls a stand-in API received, in order, with a way to wait for one. */
export class CallLog<T> {
  readonly all: T[] = [];
  private readonly waiters = new Set<() => void>();

  add(call: T): void {
    this.all.push(call);
    this.changed();
  }

  /** Wakes whoever waits, so a call changed after it was added (say, marked aborted) is seen. */
  changed(): void {
    for (const wake of this.waiters) wake();
  }

  /** Forgets every call received so far. */
  clear(): void {
    this.all.length = 0;
  }

  /** The first call (received from now on or earlier) that `match` accepts, within `timeoutMs`. */
  async waitFor(match: (call: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.all.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching call within ${timeoutMs} ms (${this.all.length} received)`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }
}

/** What a stand-in answers: a status, a JSON body and, when wanted, more headers. */
export interface JsonAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A loopback HTTP server on a free port; `handle` answers each request (its body read as text) with JSON. */
export class JsonServer {
  private readonly server: Server;
  port = 0;

  constructor(handle: (request: IncomingMessage, body: string) => JsonAnswer) {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        let answer: JsonAnswer;
        try {
          answer = handle(request, Buffer.concat(chunks).toString('utf8'));
        } catch (error) {
          answer = { status: 500, body: { error: (error as Error).message } };
        }
        reply(response, answer);
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function reply(response: ServerResponse, { status, body, headers }: JsonAnswer): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** The JSON object in a request body, or undefined when it is none. */
export function jsonObjectIn(request: IncomingMessage, body: string): Record<string, unknown> | undefined {
  if (!body) return {};
  if (!/json/i.test(request.headers['content-type'] ?? '')) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

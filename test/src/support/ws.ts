import assert from 'node:assert/strict';
import type { ExecutionResult } from 'graphql';
import { createClient, type Client, type SubscribePayload } from 'graphql-ws';
import WebSocket from 'ws';

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms))),
  ]);
}

/** Every client opened, for the test file to dispose of when done. */
export const clients: Client[] = [];
export function wsClient(url: string, connectionParams?: Record<string, unknown>): Client {
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(client);
  return client;
}
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A subscription's events, read one at a time with a timeout. */
export function subscribe<T>(client: Client, payload: SubscribePayload) {
  const iterator = client.iterate<T>(payload);
  return {
    next: async (ms = 5_000): Promise<ExecutionResult<T>> => {
      const step = await withTimeout(iterator.next(), ms, `an event of ${payload.query.slice(0, 40)}…`);
      assert.equal(step.done, false, 'the subscription ended');
      return step.value as ExecutionResult<T>;
    },
    /** The error or close event that ends the subscription. */
    failure: async (ms = 5_000): Promise<unknown> => {
      try {
        const step = await withTimeout(iterator.next(), ms, 'the subscription to fail');
        return { unexpected: step };
      } catch (error) {
        return error;
      }
    },
    stop: () => iterator.return?.(),
  };
}

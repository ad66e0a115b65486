import assert from 'node:assert/strict';
import type { ExecutionResult } from 'graphql';
import { createClient, type Client, type SubscribePayload } from 'graphql-ws';
import WebSocket from 'ws';
import { setTimeout as sleep } from 'node:timers/promises';
import { until } from './wait.js';

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

/** Collects what a subscription delivers, so the test can wait for the n-th event. */
export function collect<T>(iterator: AsyncIterableIterator<T>) {
  const received: T[] = [];
  // Ends with its socket (closed, or its server gone): the test asserts on what arrived before.
  const done = (async () => {
    for await (const next of iterator) received.push(next);
  })().catch(() => undefined);
  const waitFor = async (n: number, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (received.length < n && Date.now() < deadline) await sleep(50);
    assert.ok(received.length >= n, `expected ${n} events, got ${received.length}`);
    return received;
  };
  /**
   * Runs `trigger` until an event arrives. A subscription served by another process does not say when it is
   * live, so its first event is the signal; a trigger sent before that may be lost (delivery is at most
   * once). Each waits `patienceMs` for its event before the next, so normally one is sent.
   */
  const firstEventAfter = async (trigger: () => Promise<unknown>, patienceMs = 1_000, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!received.length) {
      assert.ok(Date.now() < deadline, `no event within ${timeoutMs} ms of triggering`);
      await trigger();
      await until('an event', () => received.length > 0, patienceMs).catch(() => undefined);
    }
    return received[0];
  };
  return { received, done, waitFor, firstEventAfter };
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { Product } from '@salesgraph/gateway';

/** Polls `condition` until it holds; how long that took, or a failure naming `what` after `timeoutMs`. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await condition()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * Call before subscribing through `product`'s gateway; the function it returns resolves once `count` more
 * subscriptions listen on the event bus of `subgraph` (run in that process): those subscriptions then miss
 * no event committed after. graphql-ws acknowledges no subscription, so this is the signal to trigger one.
 * A count that only grows, so a subscription of an earlier test ending meanwhile changes nothing.
 */
export function whenListening(product: Product, subgraph = 'calls'): (count?: number) => Promise<number> {
  const bus = product.subgraphs.get(subgraph)?.bus;
  if (!bus) throw new Error(`subgraph ${subgraph} does not run in this process with an event bus`);
  const before = bus.started;
  return (count = 1) => until(`${count} subscription(s) to listen on the ${subgraph} event bus`, () => bus.started >= before + count);
}

/** Call before subscribing: how many of the gateway's subscription streams opened since are still open. */
export function streamsSince(product: Product): () => number {
  const before = new Set(product.subscriptions.streams);
  return () => [...product.subscriptions.streams].filter((stream) => !before.has(stream)).length;
}

import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import type { CallerReads, Identity } from './identity.js';

/** Per-request DataLoaders, created on first use so a request pays only for the loaders it needs. */
export class Loaders {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  get<K, V>(name: string, batch: DataLoader.BatchLoadFn<K, V>): DataLoader<K, V> {
    // One loader per name: whoever names it gives its key and value types.
    let loader = this.loaders.get(name) as DataLoader<K, V> | undefined;
    if (!loader) this.loaders.set(name, (loader = new DataLoader(batch)));
    return loader;
  }
}

/** What every resolver of every subgraph receives. One EntityManager fork per request. */
export interface SubgraphContext {
  identity: Identity;
  em: EntityManager;
  loaders: Loaders;
  /** Whether resolvers read who exactly the caller is (set by reading `identity`'s personal fields). */
  callerReads?: CallerReads;
}

/** Orders batch results as DataLoader (and `_entities`) require: one per key, `null` for misses. */
export function byKeys<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const index = new Map<K, V>();
  for (const row of rows) index.set(keyOf(row), row);
  return keys.map((key) => index.get(key) ?? null);
}

/** Groups batch results for one-to-many DataLoaders: one (possibly empty) list per key, in key order. */
export function groupByKeys<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}

/** Raw SQL on a request's EntityManager (every SQL driver's has it), inside its current transaction if any. */
export function sqlOf(em: EntityManager): { execute<T = Record<string, unknown>[]>(query: string, params?: unknown[]): Promise<T> } {
  return em as unknown as { execute<T>(query: string, params?: unknown[]): Promise<T> };
}

import { Kind, OperationTypeNode, parse, type SelectionSetNode } from 'graphql';
import type { EntityCacheContribution, EntityChangeNotice, SubgraphClient } from '@salesgraph/platform';
import { followFeed } from './feed.js';

/** An entity kept longer than this is fetched again, should a change ever escape the feed (raw SQL, say). */
export const ENTITY_TTL_MS = 60_000;
/** Entities kept per subgraph at most; the oldest go first. */
const MAX_ENTRIES = 50_000;
/** Query shapes remembered (cacheable or not) before the memo starts over. */
const MAX_SHAPES = 1_000;

interface Entry {
  /** The entity as the subgraph answered it (null: no such entity for this view). */
  value: unknown;
  storedAt: number;
  /** `Type:id`, for the feed's notices. */
  entity: string;
  /** The organization of the view it was read for (writes through this gateway drop an organization's). */
  organizationId: string | undefined;
}

/**
 * The entities the gateway keeps between requests from one subgraph's `_entities` answers, so that
 * `assignedUser { firstName }` costs no fetch most of the time. An entity is kept per view (the same key as
 * in-flight sharing: the organization and role for organization-wide roles, else the exact identity), per
 * selection, and only for types and fields the subgraph declared: those whose every write its feed announces.
 *
 * It is used only while the subgraph's change feed is live: a notice drops the entity at once (writes through
 * any replica), a mutation this gateway sends to the subgraph drops the caller's organization's entities before
 * and after it (so the writer's next request sees its write), and a fetch that raced either is not kept.
 */
export class EntityCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byEntity = new Map<string, Set<string>>();
  private readonly shapes = new Map<string, boolean>();
  private readonly fields: Map<string, Set<string>>;
  private live = false;
  /** Bumped by every notice, write and feed gap: an answer fetched across one is not kept. */
  private epoch = 0;
  private stopFeed?: () => void;

  constructor(
    readonly subgraph: string,
    contribution: Pick<EntityCacheContribution, 'fields'>,
  ) {
    this.fields = new Map(Object.entries(contribution.fields).map(([type, names]) => [type, new Set(['__typename', ...names])]));
  }

  /** Follows the subgraph's change feed until `close()`; nothing is kept or served while it is not live. */
  follow(client: SubgraphClient, changes: EntityCacheContribution['changes']): this {
    this.stopFeed ??= followFeed(() => changes(client), {
      name: `${this.subgraph} entity change feed`,
      onLive: () => {
        this.clear();
        this.live = true;
      },
      onNotice: (notice) => this.changed(notice),
      onLost: () => {
        this.live = false;
        this.clear();
      },
    });
    return this;
  }

  close(): void {
    this.stopFeed?.();
    this.stopFeed = undefined;
    this.live = false;
    this.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether fetches of `query` can be served from the cache: an `_entities` query of kept fields of kept types. */
  applies(query: string): boolean {
    if (!this.live) return false;
    let known = this.shapes.get(query);
    if (known === undefined) {
      if (this.shapes.size >= MAX_SHAPES) this.shapes.clear();
      this.shapes.set(query, (known = this.keptShape(query)));
    }
    return known;
  }

  /** Where a fetch starts: pass it to `put`, which keeps nothing when a change came in between. */
  mark(): number {
    return this.epoch;
  }

  /** The kept answer for `key`: `undefined` when there is none (a kept `null` says the entity is not there). */
  get(key: string, now = Date.now()): { value: unknown } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.storedAt >= ENTITY_TTL_MS) {
      this.remove(key, entry);
      return undefined;
    }
    return { value: structuredClone(entry.value) };
  }

  put(key: string, entity: string, organizationId: string | undefined, value: unknown, since: number): void {
    if (!this.live || since !== this.epoch) return;
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    if (this.entries.size >= MAX_ENTRIES) {
      const [oldest, entry] = this.entries.entries().next().value!;
      this.remove(oldest, entry);
    }
    this.entries.set(key, { value: structuredClone(value), storedAt: Date.now(), entity, organizationId });
    let keys = this.byEntity.get(entity);
    if (!keys) this.byEntity.set(entity, (keys = new Set()));
    keys.add(key);
  }

  /**
   * A mutation this gateway sends to the subgraph as a caller of `organizationId`: called before it is sent and after
   * it answered, so that caller's next request reads what it wrote. An anonymous one (a sign-in, a token refresh) has
   * no entities of its own kept; the feed drops what it changed, and answers fetched meanwhile are not kept.
   */
  written(organizationId: string | undefined): void {
    this.epoch++;
    if (organizationId === undefined) return;
    for (const [key, entry] of this.entries) if (entry.organizationId === organizationId) this.remove(key, entry);
  }

  private changed({ typename, id }: EntityChangeNotice): void {
    this.epoch++;
    const keys = this.byEntity.get(`${typename}:${id}`);
    if (!keys) return;
    for (const key of [...keys]) this.remove(key, this.entries.get(key)!);
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    const keys = this.byEntity.get(entry.entity);
    keys?.delete(key);
    if (keys?.size === 0) this.byEntity.delete(entry.entity);
  }

  private clear(): void {
    this.epoch++;
    this.entries.clear();
    this.byEntity.clear();
  }

  /** `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on T { a b } } }`. */
  private keptShape(query: string): boolean {
    let document;
    try {
      document = parse(query);
    } catch {
      return false;
    }
    if (document.definitions.length !== 1) return false;
    const [operation] = document.definitions;
    if (operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== OperationTypeNode.QUERY || operation.directives?.length)
      return false;
    const [root, ...others] = operation.selectionSet.selections;
    if (others.length || root.kind !== Kind.FIELD || root.name.value !== '_entities' || root.alias || root.directives?.length) return false;
    if (root.arguments?.length !== 1 || root.arguments[0].name.value !== 'representations') return false;
    return Boolean(root.selectionSet) && this.keptSelection(root.selectionSet!);
  }

  private keptSelection(selectionSet: SelectionSetNode, type?: string): boolean {
    return selectionSet.selections.every((selection) => {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition?.name.value;
        return (
          type === undefined &&
          on !== undefined &&
          this.fields.has(on) &&
          !selection.directives?.length &&
          this.keptSelection(selection.selectionSet, on)
        );
      }
      if (selection.kind !== Kind.FIELD || selection.selectionSet || selection.arguments?.length || selection.directives?.length)
        return false;
      if (selection.name.value === '__typename') return true;
      return type !== undefined && this.fields.get(type)!.has(selection.name.value);
    });
  }
}

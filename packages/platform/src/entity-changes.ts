import type { EventSubscriber, FlushEventArgs, MikroORM } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import type { EventBus } from './events.js';

/** The bus topic of entity change notices (one per written row of an announced entity). */
export const ENTITY_CHANGED_TOPIC = 'entityChanged';

/** A row of an announced entity was written: the gateways drop what they cached of it. */
export interface EntityChangeNotice {
  /** True on the first message only: the feed listens from now on, and no change after it is missed. */
  ready: boolean;
  /** The GraphQL type the entity resolves as (`User`). */
  typename?: string;
  /** Its key field `id`, as GraphQL serializes it. */
  id?: string;
}

/** A change notice as the gateway's feed reads it (internal: not in the client API). */
@Directive('@inaccessible')
@Directive('@shareable')
@ObjectType('EntityChange')
export class EntityChangeType {
  @Field({ description: 'True on the first message only: the feed is listening from now on' }) ready!: boolean;
  @Field(() => String, { nullable: true, description: 'The GraphQL type of the written entity' }) typename?: string | null;
  @Field(() => ID, { nullable: true, description: 'Its id' }) id?: string | null;
}

/**
 * Announces every write (insert, update, delete) of the named entities on `bus`, from the unit of work itself, so
 * no write path can forget to. The notice goes out after the flush: inside a transaction it is sent with it and
 * delivered at commit; a flush's own transaction has committed by then. Rows changed by raw SQL or `nativeUpdate`
 * are not seen: such writes to announced entities must publish themselves. Entity names are the GraphQL type names.
 */
export function announceEntityChanges(orm: MikroORM, bus: EventBus, entityNames: readonly string[]): void {
  const announced = new Set(entityNames);
  const subscriber: EventSubscriber = {
    async afterFlush({ em, uow }: FlushEventArgs) {
      const notices = uow
        .getChangeSets()
        .filter((change) => announced.has(change.meta.className))
        .map((change) => ({ typename: change.meta.className, id: change.getSerializedPrimaryKey() }));
      if (notices.length) await bus.publishMany(em, ENTITY_CHANGED_TOPIC, notices);
    },
  };
  orm.em.getEventManager().registerSubscriber(subscriber);
}

/**
 * The resolver of a subgraph's feed of entity change notices, `<subgraph>EntityChanges` (a subscription field
 * belongs to one subgraph), which gateways follow to keep their entity caches true. `@inaccessible`: only a
 * gateway, signing as itself, reaches it. The first message says the feed listens.
 */
export function entityChangesResolver(bus: EventBus, subgraph: string) {
  @Resolver()
  class EntityChangesResolver {
    @Directive('@inaccessible')
    @Subscription(() => EntityChangeType, {
      name: `${subgraph}EntityChanges`,
      description: 'Internal: rows of cached entities that were written, for the gateways to drop',
      subscribe: () =>
        readyFirst(bus.pubSub.subscribe(ENTITY_CHANGED_TOPIC) as AsyncIterable<Partial<EntityChangeNotice>>, { ready: true }),
    })
    entityChanges(@Root() event: Partial<EntityChangeNotice>): EntityChangeType {
      return { ready: event.ready === true, typename: event.typename ?? null, id: event.id ?? null };
    }
  }
  return EntityChangesResolver;
}

/**
 * `source` preceded by `marker`, with `source` already listening when the marker goes out: a subscriber
 * that sees the marker misses no later event. A plain iterator, so `return()` ends it at once.
 */
export function readyFirst<T>(source: AsyncIterable<T>, marker: T): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let first: Promise<IteratorResult<T>> | undefined = iterator.next();
  let markerSent = false;
  return {
    next() {
      if (!markerSent) {
        markerSent = true;
        return Promise.resolve({ value: marker, done: false });
      }
      const next = first ?? iterator.next();
      first = undefined;
      return next;
    },
    return: () => iterator.return?.() ?? Promise.resolve({ value: undefined, done: true }),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

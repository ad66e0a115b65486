import type { MikroORM } from '@mikro-orm/core';
import type { GraphQLSchema } from 'graphql';
import type { ContainerType } from 'type-graphql';
import { migrate, openOrm, type Database, type OrmOptions } from './database.js';
import { EventBus } from './events.js';
import type { GatewayContributions } from './gateway-contributions.js';
import type { IdentitySigner } from './identity.js';
import type { Settings } from './settings.js';
import type { SubgraphClient } from './subgraph-client.js';
import { JobQueues, type JobSender, type QueueDeclaration } from './jobs.js';
import { Mailer } from './mailer.js';
import { configureUploads, uploadLimitsOf } from './uploads.js';
import { SubgraphServer } from './subgraph-server.js';

export interface SubgraphDeps {
  db: Database;
  signer: IdentitySigner;
  settings: Settings;
  /** Another subgraph, for the rare read a subgraph needs from another's domain (never its tables). */
  peer: (name: string) => SubgraphClient;
}

/** The shape every `subgraphs/<name>` package exports, so the gateway and scripts treat all subgraphs alike. */
export interface SubgraphModule {
  name: string;
  ormOptions: OrmOptions;
  /** The schema without a database, for printing the SDL. */
  buildSchema(): Promise<GraphQLSchema>;
  /** Opens its ORM, applies migrations and starts the server. */
  create(deps: SubgraphDeps): Promise<SubgraphServer>;
  /** The subgraphs it reads from through `peer()`: a process serving it needs their URLs at start. */
  peers: string[];
  /** What the gateway mounts for this subgraph beyond its schema. */
  gateway: GatewayContributions;
}

/** Everything a running subgraph is wired from. */
export interface SubgraphRuntime extends SubgraphDeps {
  orm: MikroORM;
  /** Its event bus (channel {@link eventChannelOf}), already listening. */
  bus: EventBus;
  /**
   * Sends jobs to the queues `start()` returns (usable once `start()` has returned, so services built in
   * `start()` hold it and send from resolvers and handlers).
   */
  jobs: JobSender;
  /** Outgoing e-mail over `SMTP_URL` (fails saying so when it is unset). */
  mailer: Mailer;
}

/** What a subgraph's `start` hands back: resolver instances that need dependencies, and its job queues. */
export interface SubgraphStarted {
  /** Resolver classes and their instances; classes not listed are constructed without arguments. */
  resolvers?: [resolver: object, instance: object][];
  /** Its durable job queues (`defineQueue`), named `<subgraph>.<queue>`; their workers run while it serves. */
  queues?: QueueDeclaration<object>[];
  /**
   * Runs when the subgraph stops, after its job handlers have finished and before its ORM closes: stops what
   * `start()` set going besides resolvers and queues (a listener on another subgraph's events, work in flight).
   */
  onStop?: () => Promise<void>;
}

export interface SubgraphDefinition {
  /** Lower-case: also its Postgres schema, event channel (`sg_<name>`) and `SUBGRAPH_<NAME>_URL`. */
  name: string;
  entities: OrmOptions['entities'];
  migrations: OrmOptions['migrations'];
  /** The federated schema; `container` supplies resolver instances (absent when only printing the SDL). */
  schema(bus: EventBus, container?: ContainerType): Promise<GraphQLSchema>;
  /** The subgraphs it reads from through `peer()` (e.g. users from identity). */
  peers?: string[];
  /** Wires services once the ORM is open and migrated (first data, resolver dependencies, job queues). */
  start?(runtime: SubgraphRuntime): Promise<SubgraphStarted> | SubgraphStarted;
  gateway?: GatewayContributions;
}

/** The Postgres NOTIFY channel of a subgraph's events: one per subgraph, derived from its name. */
export function eventChannelOf(name: string): string {
  return `sg_${name}`;
}

/**
 * A subgraph module from its parts: the ORM opened on its own schema, migrations applied, its event bus
 * listening, resolvers built with their dependencies, job queues working, and all of it stopped in reverse.
 */
export function defineSubgraph(definition: SubgraphDefinition): SubgraphModule {
  const { name } = definition;
  if (!/^[a-z][a-z0-9]*$/.test(name)) throw new Error(`subgraph name "${name}" must be lower-case letters and digits`);
  const ormOptions: OrmOptions = { schema: name, entities: definition.entities, migrations: definition.migrations };

  async function create({ db, signer, settings, peer }: SubgraphDeps): Promise<SubgraphServer> {
    // A subgraph served on its own checks uploads as the gateway does (UPLOAD_MAX_BYTES).
    configureUploads(uploadLimitsOf(settings));
    const orm = await openOrm(db, ormOptions, settings.orm);
    let stopListening: (() => Promise<void>) | undefined;
    let started: SubgraphStarted | undefined;
    const jobs = new JobQueues(name, db, orm);
    const mailer = new Mailer(settings.mail);
    try {
      await migrate(orm, db);
      const bus = new EventBus(eventChannelOf(name));
      stopListening = await bus.listen(db);
      const peers = new Set(definition.peers);
      const declaredPeer = (other: string) => {
        if (!peers.has(other)) throw new Error(`subgraph ${name} reads from ${other} without declaring it in peers`);
        return peer(other);
      };
      started = (await definition.start?.({ db, signer, settings, peer: declaredPeer, orm, bus, jobs, mailer })) ?? {};
      const instances = new Map<unknown, object>(started.resolvers ?? []);
      const container: ContainerType = {
        get: (resolver) => {
          let instance = instances.get(resolver);
          if (!instance) instances.set(resolver, (instance = new (resolver as new () => object)()));
          return instance;
        },
      };
      const schema = await definition.schema(bus, container);
      // Before serving: a request may send a job as soon as it can arrive.
      await jobs.start(started.queues ?? []);
      const stopStarted = started.onStop;
      const stopBus = stopListening;
      const onStop = async () => {
        await stopStarted?.();
        await stopBus();
      };
      const server = new SubgraphServer({ name, schema, orm, signer, bus, jobs, onStop, mailer });
      await server.start();
      return server;
    } catch (error) {
      await jobs.stop();
      mailer.close();
      await started?.onStop?.();
      await stopListening?.();
      await orm.close();
      throw error;
    }
  }

  return {
    name,
    ormOptions,
    buildSchema: () => definition.schema(new EventBus(eventChannelOf(name))),
    create,
    peers: definition.peers ?? [],
    gateway: definition.gateway ?? {},
  };
}

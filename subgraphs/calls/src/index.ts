import { BACKGROUND, EventBus, SecretBox, SubgraphServer, migrate, openOrm, type SubgraphDeps, type SubgraphModule } from '@salesgraph/platform';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { CallResolver } from './resolvers/call.resolver.js';
import { TelephonyResolver } from './resolvers/telephony.resolver.js';
import { resolvers, buildCallsSchema } from './schema.js';
import { UserDirectory } from './services/directory.js';
import { CallLifecycle } from './services/lifecycle.js';
import { TelephonyWebhook } from './services/telephony.js';

const name = 'calls';
const ormOptions = { schema: name, entities, migrations } as const;
// Overdue ringing calls are looked for this often; a call is missed at most this late.
const RING_CHECK_INTERVAL_MS = 1_000;

/** Opens the calls subgraph: migrations, the event listener and the ring-timeout job, then the server. */
async function create({ db, signer, settings, peer }: SubgraphDeps): Promise<SubgraphServer> {
  const orm = await openOrm(db, ormOptions);
  await migrate(orm);
  const bus = new EventBus('sg_calls');
  const stopListening = await bus.listen(db);
  const lifecycle = new CallLifecycle(bus, new UserDirectory(() => peer('identity')), settings.ringTimeoutSeconds);

  let sweeping: Promise<unknown> = Promise.resolve();
  const ringTimer = setInterval(() => {
    sweeping = lifecycle.missOverdue(orm.em.fork(BACKGROUND)).catch((error) => console.error('ring timeout sweep failed', (error as Error).message));
  }, RING_CHECK_INTERVAL_MS);

  const box = new SecretBox(settings.secretsKey);
  const withDeps = new Map<unknown, object>([
    [CallResolver, new CallResolver(lifecycle)],
    [TelephonyResolver, new TelephonyResolver(new TelephonyWebhook(lifecycle, box), box)],
  ]);
  const instances = new Map<unknown, unknown>(resolvers.map((r) => [r, withDeps.get(r) ?? new (r as new () => object)()]));
  const schema = await buildCallsSchema(bus, { get: (cls) => instances.get(cls) });
  const server = new SubgraphServer({
    name, schema, orm, signer, bus,
    onStop: async () => {
      clearInterval(ringTimer);
      await sweeping;
      await stopListening();
    },
  });
  await server.start();
  return server;
}

export const calls: SubgraphModule = { name, port: 4003, ormOptions, buildSchema: () => buildCallsSchema(new EventBus('sg_calls')), create };

// For unit tests of the statistics periods, which need no running subgraph.
export { scopeOf, type StatisticsScope } from './services/statistics.js';
export { StatisticsPeriod } from './types/statistics.type.js';

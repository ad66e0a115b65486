import { AccessTokens, EventBus, SubgraphServer, migrate, openOrm, type SubgraphDeps, type SubgraphModule } from '@salesgraph/platform';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { ApiKeyResolver } from './resolvers/api-key.resolver.js';
import { AuthResolver } from './resolvers/auth.resolver.js';
import { OrganizationResolver } from './resolvers/organization.resolver.js';
import { PresenceResolver } from './resolvers/presence.resolver.js';
import { UserResolver } from './resolvers/user.resolver.js';
import { buildIdentitySchema } from './schema.js';
import { ensureFirstAdmin } from './services/bootstrap.js';
import type { IdentityServices } from './services/index.js';
import { Revocations } from './services/revocations.js';
import { signUpRule } from './services/login-throttle.js';
import { Sessions } from './services/sessions.js';

const name = 'identity';
const ormOptions = { schema: name, entities, migrations } as const;
const CHANNEL = 'sg_identity';

/** Opens the identity subgraph: migrations applied, first admin ensured on an empty database, server started. */
async function create({ db, signer, settings }: SubgraphDeps): Promise<SubgraphServer> {
  const orm = await openOrm(db, ormOptions);
  await migrate(orm);
  if (settings.firstAdmin) await ensureFirstAdmin(orm.em.fork(), settings.firstAdmin);
  const bus = new EventBus(CHANNEL);
  const stopListening = await bus.listen(db);
  const revocations = new Revocations(bus);
  const services: IdentityServices = {
    sessions: new Sessions(new AccessTokens(settings.jwtSecret, settings.accessTokenTtlSeconds), revocations),
    revocations,
    signUpEnabled: settings.signUpEnabled,
    signUpRule: signUpRule(settings.signUpLimitPerHour),
  };
  const instances = new Map<unknown, unknown>([
    [AuthResolver, new AuthResolver(services)],
    [UserResolver, new UserResolver(services)],
    [ApiKeyResolver, new ApiKeyResolver(revocations)],
    [OrganizationResolver, new OrganizationResolver()],
    [PresenceResolver, new PresenceResolver()],
  ]);
  const schema = await buildIdentitySchema(bus, { get: (cls) => instances.get(cls) ?? new (cls as new () => object)() });
  const server = new SubgraphServer({ name, schema, orm, signer, bus, onStop: stopListening });
  await server.start();
  return server;
}

export const identity: SubgraphModule = { name, port: 4001, ormOptions, buildSchema: () => buildIdentitySchema(new EventBus(CHANNEL)), create };

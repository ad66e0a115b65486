import { AccessTokens, announceEntityChanges, defineSubgraph } from '@salesgraph/platform';
import { entities } from './entities/index.js';
import { credentialAuthority } from './gateway/credentials.js';
import { documentRegistry } from './gateway/documents.js';
import { CACHED_FIELDS, entityCache } from './gateway/entity-cache.js';
import { PresenceReporter } from './gateway/presence.js';
import { migrations } from './migrations/index.js';
import { ApiKeyResolver } from './resolvers/api-key.resolver.js';
import { AuthResolver } from './resolvers/auth.resolver.js';
import { UserResolver } from './resolvers/user.resolver.js';
import { buildIdentitySchema } from './schema.js';
import { ensureFirstAdmin } from './services/bootstrap.js';
import type { IdentityServices } from './services/index.js';
import { signUpRule } from './services/login-throttle.js';
import { Revocations } from './services/revocations.js';
import { Sessions } from './services/sessions.js';
import { playgroundExamples } from './gateway/playground.js';

/** Users, organizations, sessions and API keys; the gateway asks it who every credential stands for. */
export const identity = defineSubgraph({
  name: 'identity',
  entities,
  migrations,
  schema: buildIdentitySchema,
  async start({ orm, bus, settings }) {
    // An empty database gets its first admin, so a fresh install can sign in.
    if (settings.firstAdmin) await ensureFirstAdmin(orm.em.fork(), settings.firstAdmin);
    const revocations = new Revocations(bus);
    // Gateways keep users and organizations between requests: every write of one tells them to drop it.
    announceEntityChanges(orm, bus, Object.keys(CACHED_FIELDS));
    const services: IdentityServices = {
      sessions: new Sessions(new AccessTokens(settings.jwtSecret, settings.accessTokenTtlSeconds), revocations),
      revocations,
      signUpEnabled: settings.signUpEnabled,
      signUpRule: signUpRule(settings.signUpLimitPerHour),
    };
    return {
      resolvers: [
        [AuthResolver, new AuthResolver(services)],
        [UserResolver, new UserResolver(services)],
        [ApiKeyResolver, new ApiKeyResolver(revocations)],
      ],
    };
  },
  gateway: {
    credentials: credentialAuthority,
    realtime: (client) => new PresenceReporter(client),
    playground: playgroundExamples,
    documents: documentRegistry,
    entityCache,
  },
});

import { Arg, Authorized, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Role, WRITERS, badInput, forbidden, isUuid, mayGrant, notFound, requireRole, type SubgraphContext } from '@salesgraph/platform';
import { ApiKey, Organization, User } from '../entities/index.js';
import type { Revocations } from '../services/revocations.js';
import { digest, newSecret } from '../services/secrets.js';
import { ApiKeyIdentity, ApiKeyType, CreatedApiKey } from '../types/api-key.type.js';
import { CreateApiKeyInput } from '../types/inputs.js';

/** Keys look like `sgk_<43 chars>`; the prefix shown later is the first 12 characters. */
const KEY_PREFIX = 'sgk';
const SHOWN_PREFIX_LENGTH = 12;
// Writing lastUsedAt on every request would turn reads into writes; once a minute is enough to audit.
const LAST_USED_RESOLUTION_MS = 60_000;

@Resolver(() => ApiKeyType)
export class ApiKeyResolver {
  constructor(private readonly revocations: Revocations) {}

  @Authorized()
  @Query(() => [ApiKeyType], { description: 'Your API keys; admins see every key of the organization' })
  apiKeys(@Ctx() { em, identity }: SubgraphContext): Promise<ApiKey[]> {
    const caller = requireRole(identity);
    const mine = caller.role === Role.ADMIN ? {} : { user: caller.userId };
    return em.find(ApiKey, { organization: caller.organizationId, ...mine }, { orderBy: { createdAt: 'desc' } });
  }

  @Authorized(WRITERS)
  @Mutation(() => CreatedApiKey, { description: 'Creates an API key acting as you with at most your role; the secret is shown only now' })
  async createApiKey(@Arg('input') input: CreateApiKeyInput, @Ctx() { em, identity }: SubgraphContext): Promise<CreatedApiKey> {
    const caller = requireRole(identity, WRITERS);
    if (identity.kind === 'apiKey') throw forbidden('API keys cannot create API keys');
    const role = input.role ?? caller.role;
    if (!mayGrant(caller.role, role)) throw forbidden(`A ${caller.role} cannot create a key with the role ${role}`);
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw badInput('expiresAt must be in the future', [{ field: 'expiresAt', message: 'is in the past' }]);
    }
    const secret = newSecret(KEY_PREFIX);
    const apiKey = em.create(ApiKey, {
      organization: em.getReference(Organization, caller.organizationId),
      user: em.getReference(User, caller.userId),
      name: input.name.trim(),
      prefix: secret.slice(0, SHOWN_PREFIX_LENGTH),
      keyHash: digest(secret),
      role,
      expiresAt: input.expiresAt ?? null,
    });
    await em.flush();
    return { apiKey, secret };
  }

  @Authorized(WRITERS)
  @Mutation(() => ApiKeyType, { description: 'Revokes an API key at once' })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<ApiKey> {
    const caller = requireRole(identity, WRITERS);
    const mine = caller.role === Role.ADMIN ? {} : { user: caller.userId };
    const apiKey = isUuid(id) ? await em.findOne(ApiKey, { id, organization: caller.organizationId, ...mine }) : null;
    if (!apiKey) throw notFound('API key');
    if (!apiKey.revokedAt) {
      apiKey.revokedAt = new Date();
      await em.flush();
      await this.revocations.announce(em, { apiKeyId: apiKey.id });
    }
    return apiKey;
  }

  @Directive('@inaccessible')
  @Query(() => ApiKeyIdentity, { nullable: true, description: 'Internal: the gateway resolves an API key to an identity' })
  async apiKeyIdentity(@Arg('secret') secret: string, @Ctx() { em }: SubgraphContext): Promise<ApiKeyIdentity | null> {
    const apiKey = await em.findOne(ApiKey, { keyHash: digest(secret), revokedAt: null }, { populate: ['user'] });
    if (!apiKey || !apiKey.user.isActive || (apiKey.expiresAt && apiKey.expiresAt.getTime() <= Date.now())) return null;
    if (!apiKey.lastUsedAt || Date.now() - apiKey.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await em.nativeUpdate(ApiKey, { id: apiKey.id }, { lastUsedAt: new Date() });
    }
    // A key never acts above its user's current role.
    const role = mayGrant(apiKey.user.role, apiKey.role) ? apiKey.role : apiKey.user.role;
    return { apiKeyId: apiKey.id, userId: apiKey.user.id, organizationId: apiKey.organization.id, role };
  }
}

import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ANONYMOUS, AccessTokens, isRole, unauthenticated, type Identity, type IdentitySigner } from '@salesgraph/platform';
import type { SubgraphClient } from '@salesgraph/platform';

const API_KEY_PREFIX = 'sgk_';
// API keys are checked against the identity subgraph; a short cache spares one call per request.
// Revocation therefore takes effect within this many milliseconds.
const API_KEY_CACHE_MS = 10_000;
const API_KEY_CACHE_SIZE = 10_000;

const API_KEY_QUERY = /* GraphQL */ `query ApiKeyIdentity($secret: String!) {
  apiKeyIdentity(secret: $secret) { apiKeyId userId organizationId role }
}`;

/** A credential the request carried, before it is checked. */
export function credentialOf(headers: IncomingHttpHeaders): { kind: 'bearer' | 'apiKey'; value: string } | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey) return { kind: 'apiKey', value: apiKey };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (!match) return undefined;
  return { kind: match[1]!.startsWith(API_KEY_PREFIX) ? 'apiKey' : 'bearer', value: match[1]! };
}

/**
 * Establishes who calls, once per request at the gateway: an access JWT (checked locally) or an API key
 * (checked by the identity subgraph). A credential that is present but wrong is an error, never anonymous.
 */
export class Authenticator {
  private readonly apiKeys = new Map<string, { identity: Identity | null; until: number }>();

  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly identityClient: SubgraphClient,
    private readonly signer: IdentitySigner,
  ) {}

  async authenticate(headers: IncomingHttpHeaders, ip: string): Promise<Identity & { expiresAt?: number }> {
    const credential = credentialOf(headers);
    if (!credential) return { ...ANONYMOUS, ip };
    if (credential.kind === 'bearer') {
      const claims = await this.accessTokens.verify(credential.value);
      return { kind: 'user', ...claims, ip };
    }
    const identity = await this.apiKeyIdentity(credential.value);
    if (!identity) throw unauthenticated('Invalid, expired or revoked API key');
    return { ...identity, ip };
  }

  private async apiKeyIdentity(secret: string): Promise<Identity | null> {
    const cacheKey = createHash('sha256').update(secret).digest('hex');
    const cached = this.apiKeys.get(cacheKey);
    if (cached && cached.until > Date.now()) return cached.identity;
    const response = await this.identityClient.execute(
      { query: API_KEY_QUERY, variables: { secret }, operationName: 'ApiKeyIdentity' },
      await this.signer.sign(ANONYMOUS),
    );
    if (response.errors?.length) throw new Error(`API key check failed: ${response.errors[0]!.message}`);
    const found = (response.data as { apiKeyIdentity: Record<string, string> | null } | undefined)?.apiKeyIdentity;
    // GraphQL serializes the role as its enum name (ADMIN); identities carry the value (admin).
    const role = found?.role.toLowerCase();
    const identity: Identity | null = found && isRole(role)
      ? { kind: 'apiKey', apiKeyId: found.apiKeyId, userId: Number(found.userId), organizationId: found.organizationId, role }
      : null;
    if (this.apiKeys.size >= API_KEY_CACHE_SIZE) this.apiKeys.clear();
    this.apiKeys.set(cacheKey, { identity, until: Date.now() + API_KEY_CACHE_MS });
    return identity;
  }
}

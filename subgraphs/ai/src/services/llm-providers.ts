import type { EntityManager } from '@mikro-orm/core';
import { Role, conflict, notFound, secretHint, uuidOrNothing, type SecretBox, type SignedIn } from '@salesgraph/platform';
import { LlmProvider } from '../entities/index.js';
import type { CreateLlmProviderInput, UpdateLlmProviderInput } from '../types/inputs.js';
import type { Providers } from './providers/index.js';

/** Slugs that name the built-in backends in persona model ids. */
const RESERVED_SLUGS = new Set(['local', 'openai']);

/**
 * Providers organizations and users add (seed 004's cloud LLM providers): owner-scoped — admins manage all of
 * their organization's and may share one with everyone; others manage their own. Keys are sealed.
 */
export class LlmProviderService {
  constructor(
    private readonly box: SecretBox,
    private readonly providers: Providers,
  ) {}

  list(em: EntityManager, caller: SignedIn): Promise<LlmProvider[]> {
    return this.providers.rows(em, caller);
  }

  /** One the caller may use: their own, the shared ones, or (admins) any of the organization's. */
  async get(em: EntityManager, caller: SignedIn, id: string): Promise<LlmProvider> {
    const uuid = uuidOrNothing(id);
    const row = uuid ? (await this.providers.rows(em, caller)).find((r) => r.id === uuid) : undefined;
    if (!row) throw notFound('Provider');
    return row;
  }

  /** Asks a provider the caller manages for its models with its stored key: a refusal is the answer, not an error. */
  async test(em: EntityManager, caller: SignedIn, id: string): Promise<{ ok: boolean; models: string[]; error: string | null }> {
    const row = await this.find(em, caller, id);
    try {
      const models = await this.providers.probe(row.baseUrl, row.apiKeySealed ? this.box.open(row.apiKeySealed) : null);
      return { ok: true, models, error: null };
    } catch (error) {
      return { ok: false, models: [], error: (error as Error).message };
    }
  }

  /** One the caller may manage: their own, or (admins) any of the organization's. */
  async find(em: EntityManager, caller: SignedIn, id: string): Promise<LlmProvider> {
    const uuid = uuidOrNothing(id);
    const row = uuid ? await em.findOne(LlmProvider, { id: uuid, organizationId: caller.organizationId }) : null;
    if (!row || (caller.role !== Role.ADMIN && row.ownerUserId !== caller.userId)) throw notFound('Provider');
    return row;
  }

  async create(em: EntityManager, caller: SignedIn, input: CreateLlmProviderInput): Promise<LlmProvider> {
    if (RESERVED_SLUGS.has(input.slug)) throw conflict(`The slug "${input.slug}" names a built-in backend; choose another`);
    if (await em.count(LlmProvider, { organizationId: caller.organizationId, slug: input.slug }))
      throw conflict(`Your organization has a provider with the slug "${input.slug}" already`);
    const shared = caller.role === Role.ADMIN && input.shared !== false;
    const apiKey = input.apiKey?.trim() || null;
    const baseUrl = input.baseUrl.replace(/\/+$/, '');
    const listed = await this.providers.probe(baseUrl, apiKey);
    const row = em.create(LlmProvider, {
      organizationId: caller.organizationId,
      ownerUserId: shared ? null : caller.userId,
      name: input.name.trim(),
      slug: input.slug,
      baseUrl,
      apiKeySealed: apiKey ? this.box.seal(apiKey) : null,
      apiKeyHint: apiKey ? secretHint(apiKey) : null,
      // What it serves: as given, else as it lists them (asked again when used, if it listed none).
      models: [...new Set(input.models ?? listed)],
      defaultModel: input.defaultModel,
      enabled: true,
    });
    await em.persist(row).flush();
    return row;
  }

  async update(em: EntityManager, caller: SignedIn, id: string, input: UpdateLlmProviderInput): Promise<LlmProvider> {
    const row = await this.find(em, caller, id);
    if (input.name !== undefined) row.name = input.name.trim();
    if (input.baseUrl !== undefined) row.baseUrl = input.baseUrl.replace(/\/+$/, '');
    if (input.apiKey !== undefined) {
      const apiKey = input.apiKey?.trim() || null;
      row.apiKeySealed = apiKey ? this.box.seal(apiKey) : null;
      row.apiKeyHint = apiKey ? secretHint(apiKey) : null;
    }
    if (input.models !== undefined) row.models = [...new Set(input.models)];
    if (input.defaultModel !== undefined) row.defaultModel = input.defaultModel;
    if (input.enabled !== undefined) row.enabled = input.enabled;
    // A new address or key must work before it replaces one that did.
    if (input.baseUrl !== undefined || input.apiKey !== undefined)
      await this.providers.probe(row.baseUrl, row.apiKeySealed ? this.box.open(row.apiKeySealed) : null);
    row.updatedAt = new Date();
    await em.flush();
    return row;
  }

  async delete(em: EntityManager, caller: SignedIn, id: string): Promise<string> {
    const row = await this.find(em, caller, id);
    await em.remove(row).flush();
    return row.id;
  }
}

import type { EntityManager } from '@mikro-orm/core';
import { Role, badInput, type LlmSettings, type SecretBox, type SignedIn } from '@salesgraph/platform';
import { LlmProvider } from '../../entities/index.js';
import type { ChatBackend } from './backend.js';
import { LocalBackend, LOCAL_MODEL } from './local-backend.js';
import { OpenAiBackend } from './openai-backend.js';

export * from './backend.js';
export { LOCAL_MODEL } from './local-backend.js';
export { OpenAiBackend } from './openai-backend.js';

/** A model id naming a persona and a backend (seed 004): `anna-secretary-openai`, `marina-secretary-local`. */
export const PERSONA_MODEL = /^([a-z0-9_]{1,40})-secretary-([a-z0-9_]{1,40})$/;
export const personaModelId = (persona: string, backend: string) => `${persona}-secretary-${backend}`;

/** Where a request goes: the backend, the model there, and the persona a persona model id named. */
export interface Route {
  backend: ChatBackend;
  model: string;
  persona?: string;
}

/**
 * The backends a caller may use, in the order they are preferred when no model is named: their own providers,
 * their organization's, the configured API (`OPENAI_BASE_URL`), and the offline provider last, so a product
 * with none configured still answers. A model name routes to the first backend that serves it.
 */
export class Providers {
  readonly local = new LocalBackend();
  readonly configured?: OpenAiBackend;
  private readonly cached = new Map<string, { updatedAt: number; backend: OpenAiBackend }>();

  constructor(
    private readonly box: SecretBox,
    private readonly llm: LlmSettings,
  ) {
    if (llm.backend === 'openai') {
      this.configured = new OpenAiBackend({
        name: 'openai',
        providerId: null,
        baseUrl: llm.baseUrl,
        apiKey: llm.apiKey,
        defaultModel: llm.model,
        models: [],
        timeoutMs: llm.timeoutMs,
        maxRetries: llm.maxRetries,
      });
    }
  }

  /** The providers a caller may use: admins any of their organization's, others their own and the shared ones. */
  async rows(em: EntityManager, identity: SignedIn, options: { enabledOnly?: boolean } = {}): Promise<LlmProvider[]> {
    const who = identity.role === Role.ADMIN ? {} : { $or: [{ ownerUserId: null }, { ownerUserId: identity.userId }] };
    const rows = await em.find(
      LlmProvider,
      { organizationId: identity.organizationId, ...who, ...(options.enabledOnly ? { enabled: true } : {}) },
      { orderBy: { createdAt: 'asc' } },
    );
    // The caller's own first: they added it to be used. (An admin's list holds users' own ones too, last.)
    const own = (r: LlmProvider) => r.ownerUserId !== null && r.ownerUserId === identity.userId;
    return [...rows.filter(own), ...rows.filter((r) => r.ownerUserId === null), ...rows.filter((r) => r.ownerUserId !== null && !own(r))];
  }

  /** Every backend the caller may use, preferred first; the offline provider is always last. */
  async backends(em: EntityManager, identity: SignedIn): Promise<ChatBackend[]> {
    const rows = await this.rows(em, identity, { enabledOnly: true });
    return [...rows.map((row) => this.backendOf(row)), ...(this.configured ? [this.configured] : []), this.local];
  }

  /**
   * Where `model` goes for this caller: a persona model id (`anna-secretary-openai`) to its backend, a model
   * name to the first backend serving it, `local`/`local-offline` to the offline provider, none to the
   * preferred backend's default. An unknown one is BAD_USER_INPUT naming it.
   */
  async route(em: EntityManager, identity: SignedIn, model?: string | null): Promise<Route> {
    const backends = await this.backends(em, identity);
    if (!model) return { backend: backends[0], model: backends[0].defaultModel };
    if (model === LOCAL_MODEL || model === 'local') return { backend: this.local, model: LOCAL_MODEL };
    const persona = PERSONA_MODEL.exec(model);
    if (persona) {
      const backend = backends.find((b) => b.name === persona[2]);
      if (!backend) throw badInput(`Unknown model "${model}": no backend "${persona[2]}" (GET /v1/models lists the models)`);
      return { backend, model: backend.defaultModel, persona: persona[1] };
    }
    for (const backend of backends) {
      if ((await backend.models()).includes(model)) return { backend, model };
    }
    throw badInput(`Unknown model "${model}" (GET /v1/models lists the models)`);
  }

  /** Asks a provider for its models with `apiKey` (see `OpenAiBackend.verify`): BAD_USER_INPUT if it cannot serve. */
  probe(baseUrl: string, apiKey: string | null): Promise<string[]> {
    return new OpenAiBackend({
      name: 'probe',
      providerId: null,
      baseUrl,
      apiKey: apiKey ?? undefined,
      defaultModel: 'none',
      models: [],
      timeoutMs: Math.min(this.llm.timeoutMs, 10_000),
      maxRetries: 0,
    }).verify();
  }

  /** A provider row's backend, made again only when the row changed (it keeps the provider's model list). */
  backendOf(row: LlmProvider): OpenAiBackend {
    const updatedAt = row.updatedAt.getTime();
    const cached = this.cached.get(row.id);
    if (cached && cached.updatedAt === updatedAt) return cached.backend;
    const backend = new OpenAiBackend({
      name: row.slug,
      providerId: row.id,
      baseUrl: row.baseUrl,
      apiKey: row.apiKeySealed ? this.box.open(row.apiKeySealed) : undefined,
      defaultModel: row.defaultModel,
      models: row.models,
      timeoutMs: this.llm.timeoutMs,
      maxRetries: this.llm.maxRetries,
    });
    this.cached.set(row.id, { updatedAt, backend });
    return backend;
  }
}

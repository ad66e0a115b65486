import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

/**
 * An OpenAI-compatible provider an organization or a user added (seed 004's cloud LLM providers): its
 * base URL, its key sealed with SECRETS_KEY (only a hint is returned) and the models it serves, which route
 * to it by name. An admin's provider with no owner serves the whole organization; a user's serves that user.
 */
export const LlmProviderSchema = defineEntity({
  name: 'LlmProvider',
  tableName: 'providers',
  uniques: [{ properties: ['organizationId', 'slug'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    /** Who may use and manage it besides admins; none: everyone in the organization may use it. */
    ownerUserId: p.integer().nullable(),
    name: p.string().length(100),
    /** The backend part of persona model ids (`anna-secretary-<slug>`): lower-case letters, digits, `_`. */
    slug: p.string().length(40),
    baseUrl: p.string().length(500),
    apiKeySealed: p.text().nullable().hidden(),
    apiKeyHint: p.string().length(16).nullable(),
    models: p
      .json<string[]>()
      .default('[]')
      .onCreate(() => []),
    defaultModel: p.string().length(200),
    enabled: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class LlmProvider extends LlmProviderSchema.class {}
LlmProviderSchema.setClass(LlmProvider);

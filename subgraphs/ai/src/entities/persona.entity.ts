import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

/**
 * A secretary persona of an organization (seed 004: anna, marina): its system prompt, voice and default
 * model. One with a built-in persona's code takes its place for that organization.
 */
export const PersonaSchema = defineEntity({
  name: 'Persona',
  tableName: 'personas',
  uniques: [{ properties: ['organizationId', 'code'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    code: p.string().length(40),
    name: p.string().length(100),
    systemPrompt: p.text(),
    voice: p.string().length(100).nullable(),
    defaultModel: p.string().length(200).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Persona extends PersonaSchema.class {}
PersonaSchema.setClass(Persona);

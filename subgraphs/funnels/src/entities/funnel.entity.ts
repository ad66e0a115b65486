import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

/** A sales funnel of an organization: the ordered stages a dialog with a client moves through. */
export const FunnelSchema = defineEntity({
  name: 'Funnel',
  tableName: 'funnels',
  indexes: [{ properties: ['organizationId', 'createdAt'] }],
  uniques: [{ properties: ['organizationId', 'name'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    /** A short code name, unique in the organization (seed 003 `name`). */
    name: p.string().length(100),
    displayName: p.string().length(200),
    isActive: p.boolean().default(true),
    createdByUserId: p.integer().nullable(),
    stages: () => p.oneToMany(FunnelStage).mappedBy('funnel').orderBy({ position: 'asc' }),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Funnel extends FunnelSchema.class {}
FunnelSchema.setClass(Funnel);

/** One stage of a funnel, worked by an assistant (its code name and system prompt) with follow-ups for silent clients. */
export const FunnelStageSchema = defineEntity({
  name: 'FunnelStage',
  tableName: 'funnel_stages',
  uniques: [{ properties: ['funnel', 'assistantCodeName'] }, { properties: ['funnel', 'position'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    funnel: () => p.manyToOne(Funnel).deleteRule('cascade'),
    /** 0-based order within the funnel. */
    position: p.integer(),
    name: p.string().length(100),
    assistantCodeName: p.string().length(100),
    /** The assistant's display name (seed 003 assistants' `name`). */
    assistantName: p.string().length(200),
    prompt: p.text().default(''),
    followUps: () => p.oneToMany(FollowUp).mappedBy('stage').orderBy({ position: 'asc' }),
  },
});
export class FunnelStage extends FunnelStageSchema.class {}
FunnelStageSchema.setClass(FunnelStage);

/** A message sent to a client who has stayed silent at the stage for `delayMinutes`. */
export const FollowUpSchema = defineEntity({
  name: 'FollowUp',
  tableName: 'follow_ups',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    stage: () => p.manyToOne(FunnelStage).deleteRule('cascade'),
    position: p.integer(),
    /** Minutes of silence before it is sent; fractions allowed (0.5 = 30 s). */
    delayMinutes: p.decimal('number').precision(10).scale(3),
    text: p.text(),
  },
});
export class FollowUp extends FollowUpSchema.class {}
FollowUpSchema.setClass(FollowUp);

import { defineEntity, p } from '@mikro-orm/core';
import { Company } from './company.entity.js';
import { CallPriority, CallStatus } from '../types/enums.js';

export const CallSchema = defineEntity({
  name: 'Call',
  tableName: 'calls',
  indexes: [
    { properties: ['organizationId', 'status'] },
    { properties: ['organizationId', 'createdAt'] },
    { properties: ['organizationId', 'assignedUserId'] },
  ],
  uniques: [{ properties: ['organizationId', 'externalId'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    organizationId: p.uuid(),
    callerNumber: p.string().length(40),
    callerE164: p.string().length(20).nullable(),
    receiverNumber: p.string().length(40).nullable(),
    channelId: p.string().length(120).nullable(),
    status: p.enum(() => CallStatus).default(CallStatus.INCOMING),
    /** When an unanswered call becomes missed; the ring-timeout job reads it, so restarts forget nothing. */
    ringDeadline: p.datetime().nullable().index(),
    acceptedAt: p.datetime().nullable(),
    answeredAt: p.datetime().nullable(),
    endedAt: p.datetime().nullable(),
    /** Seconds from answer to end. */
    duration: p.integer().nullable(),
    notes: p.text().nullable(),
    /** Identity subgraph user ids (no foreign key: another subgraph owns users). */
    assignedUserId: p.integer().nullable(),
    answeredByUserId: p.integer().nullable().index(),
    callerCompany: () => p.manyToOne(Company).nullable().deleteRule('set null'),
    customerName: p.string().length(200).nullable(),
    customerCompany: p.string().length(200).nullable(),
    customerEmail: p.string().length(254).nullable(),
    customerPhone: p.string().length(40).nullable(),
    purpose: p.string().length(100).nullable(),
    priority: p.enum(() => CallPriority).default(CallPriority.MEDIUM),
    followUpDate: p.datetime().nullable(),
    outcome: p.text().nullable(),
    recordingUrl: p.string().length(1000).nullable(),
    tags: p.array().default([]),
    transferCount: p.integer().default(0),
    isOnHold: p.boolean().default(false),
    holdStartedAt: p.datetime().nullable(),
    /** Seconds on hold before the current hold, if any. */
    holdSeconds: p.integer().default(0),
    isMuted: p.boolean().default(false),
    isSpeakerOn: p.boolean().default(false),
    /** Lead in the leads subgraph whose phone matched the caller, when one did. */
    leadId: p.uuid().nullable(),
    /** Idempotency key of the telephony event that created it. */
    externalId: p.string().length(200).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Call extends CallSchema.class {}
CallSchema.setClass(Call);

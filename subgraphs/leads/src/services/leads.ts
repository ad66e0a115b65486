import type { EntityManager } from '@mikro-orm/core';
import {
  AppError,
  ErrorCode,
  ORGANIZATION_WIDE,
  badInput,
  forbidden,
  integerId,
  isUuid,
  notFound,
  sqlOf,
  type EventBus,
  type PhoneNumbers,
  type SignedIn,
} from '@salesgraph/platform';
import { Ad, Campaign, ConversationMessage, Lead, LeadEvent, OutboundMessage } from '../entities/index.js';
import { LeadEventKind, LeadSource, LeadStatus, scoreCategoryOf } from '../types/enums.js';
import type { AddLeadMessageInput, CreateLeadInput, LeadFieldsInput, UpdateLeadInput } from '../types/inputs.js';
import { DuplicateMatch } from '../types/lead.type.js';
import { findVisibleLead } from './access.js';
import type { UserDirectory } from './directory.js';
import { CAMPAIGN_TOPIC, LEAD_TOPIC, type LeadChange, type LeadEventPayload } from './events.js';

export interface Duplicate {
  existing: Lead;
  matchedOn: DuplicateMatch[];
}

/** The most leads one merge takes in. */
const MAX_MERGED = 20;

/**
 * Writes leads: every change is one transaction that records the lead's history and publishes its event,
 * so subscribers hear of it only once it is committed. Duplicates are found by E.164 phone or
 * lower-case e-mail within the organization.
 */
export class LeadService {
  constructor(
    private readonly bus: EventBus,
    private readonly phones: PhoneNumbers,
    private readonly users: UserDirectory,
  ) {}

  /**
   * Creates a lead, or answers with the lead of the organization that has its phone or e-mail; with
   * `merge`, that lead takes the given fields instead.
   */
  async create(em: EntityManager, caller: SignedIn, input: CreateLeadInput, merge = false): Promise<Lead | Duplicate> {
    const assignee = await this.checkedAssignee(caller, input.assignedUserId);
    return em.transactional(async (tx) => {
      const phoneE164 = this.phones.toE164(input.phone);
      const emailNormalized = normalizedEmail(input.email);
      // Two creations of the same person at once must not both pass the duplicate check.
      for (const key of [phoneE164, emailNormalized].filter(Boolean))
        await sqlOf(tx).execute('select pg_advisory_xact_lock(hashtext(?))', [`lead:${caller.organizationId}:${key}`]);
      const duplicate = await findDuplicate(tx, caller.organizationId, phoneE164, emailNormalized);
      if (duplicate) {
        if (!merge) return duplicate;
        const merged = await this.apply(tx, caller, duplicate.existing, { ...input, assignedUserId: input.assignedUserId }, assignee);
        return markCreation(merged, true);
      }
      const lead = tx.create(Lead, {
        organizationId: caller.organizationId,
        name: input.name.trim(),
        source: input.source ?? LeadSource.OTHER,
        status: input.status ?? LeadStatus.NEW,
        createdByUserId: caller.userId,
      });
      await this.assign(tx, caller, lead, input, assignee, true);
      tx.create(LeadEvent, { organizationId: caller.organizationId, lead, kind: LeadEventKind.CREATED, actorUserId: caller.userId });
      await tx.flush();
      await this.publish(tx, lead, ['created']);
      return markCreation(lead, false);
    });
  }

  async update(em: EntityManager, caller: SignedIn, id: string, input: UpdateLeadInput): Promise<Lead> {
    const assignee = await this.checkedAssignee(caller, input.assignedUserId);
    return em.transactional(async (tx) => this.apply(tx, caller, await findVisibleLead(tx, caller, id), input, assignee));
  }

  /** Only admins delete leads (seed 000). */
  async delete(em: EntityManager, caller: SignedIn, id: string): Promise<string> {
    return em.transactional(async (tx) => {
      const lead = await findVisibleLead(tx, caller, id);
      const campaignId = lead.campaign?.id;
      tx.remove(lead);
      await tx.flush();
      if (campaignId) await this.bus.publish(tx, CAMPAIGN_TOPIC, { campaignId, organizationId: caller.organizationId });
      return id;
    });
  }

  async addMessage(em: EntityManager, caller: SignedIn, leadId: string, input: AddLeadMessageInput): Promise<ConversationMessage> {
    return em.transactional(async (tx) => {
      const lead = await findVisibleLead(tx, caller, leadId);
      const message = tx.create(ConversationMessage, {
        organizationId: caller.organizationId,
        lead,
        message: input.message,
        sender: input.sender,
        platform: input.platform ?? null,
        authorUserId: caller.userId,
      });
      await tx.flush();
      await this.publish(tx, lead, ['message'], message.id);
      return message;
    });
  }

  /**
   * Keeps `targetId` and folds the others into it: their conversations, messages and history move over, blank
   * fields of the kept lead take their values, and they are deleted. Organization-wide roles only.
   */
  async merge(em: EntityManager, caller: SignedIn, targetId: string, sourceIds: string[]): Promise<Lead> {
    if (!ORGANIZATION_WIDE.includes(caller.role)) throw forbidden('Only managers, analysts and admins merge leads');
    const others = [...new Set(sourceIds.map((id) => id.toLowerCase()))].filter((id) => id !== targetId.toLowerCase());
    if (others.length === 0)
      throw badInput('Name at least one other lead to merge', [{ field: 'sourceIds', message: 'must name other leads' }]);
    if (others.length > MAX_MERGED)
      throw badInput(`At most ${MAX_MERGED} leads merge at once`, [{ field: 'sourceIds', message: 'too many' }]);
    return em.transactional(async (tx) => {
      const target = await findVisibleLead(tx, caller, targetId);
      const sources = await tx.find(Lead, { id: { $in: others.filter(isUuid) }, organizationId: caller.organizationId });
      if (sources.length !== others.length) throw notFound('Lead');
      const fillable = ['company', 'email', 'emailNormalized', 'phone', 'phoneE164', 'platformUserId', 'budget', 'notes'] as const;
      for (const source of sources) {
        for (const field of fillable)
          if (target[field] == null && source[field] != null) (target as Record<string, unknown>)[field] = source[field];
        target.assignedUserId ??= source.assignedUserId;
        target.ad ??= source.ad;
        target.campaign ??= source.campaign;
        if (source.qualityScore != null && (target.qualityScore == null || source.qualityScore > target.qualityScore)) {
          target.qualityScore = source.qualityScore;
          target.scoreCategory = scoreCategoryOf(source.qualityScore);
        }
      }
      const ids = sources.map((s) => s.id);
      await tx.nativeUpdate(ConversationMessage, { lead: { $in: ids } }, { lead: target.id });
      await tx.nativeUpdate(LeadEvent, { lead: { $in: ids } }, { lead: target.id });
      await tx.nativeUpdate(OutboundMessage, { lead: { $in: ids } }, { lead: target.id });
      for (const source of sources)
        tx.create(LeadEvent, {
          organizationId: caller.organizationId,
          lead: target,
          kind: LeadEventKind.MERGED,
          actorUserId: caller.userId,
          to: source.id,
        });
      await tx.flush();
      await tx.nativeDelete(Lead, { id: { $in: ids } });
      await this.publish(tx, target, ['merged']);
      return target;
    });
  }

  /** Checks the assignee with identity before any transaction opens (a peer call must not hold one). */
  private async checkedAssignee(caller: SignedIn, assignedUserId: string | null | undefined): Promise<number | null | undefined> {
    if (assignedUserId === undefined) return undefined;
    if (assignedUserId === null) return null;
    const userId = integerId(assignedUserId, 'user');
    await this.users.assertExists(caller, userId);
    return userId;
  }

  private async apply(
    tx: EntityManager,
    caller: SignedIn,
    lead: Lead,
    input: LeadFieldsInput & { name?: string },
    assignee: number | null | undefined,
  ): Promise<Lead> {
    const before = { status: lead.status, assignedUserId: lead.assignedUserId, qualityScore: lead.qualityScore };
    if (input.name !== undefined) lead.name = input.name.trim();
    if (input.source != null) lead.source = input.source;
    if (input.status != null) lead.status = input.status;
    const campaignBefore = lead.campaign?.id;
    await this.assign(tx, caller, lead, input, assignee, false);
    const changes: LeadChange[] = [];
    const record = (kind: LeadEventKind, change: LeadChange, from?: string | number | null, to?: string | number | null) => {
      if (from === to) return;
      changes.push(change);
      tx.create(LeadEvent, {
        organizationId: caller.organizationId,
        lead,
        kind,
        actorUserId: caller.userId,
        from: from == null ? null : String(from),
        to: to == null ? null : String(to),
      });
    };
    record(LeadEventKind.STATUS_CHANGED, 'status', before.status, lead.status);
    record(LeadEventKind.ASSIGNED, 'assignment', before.assignedUserId, lead.assignedUserId);
    record(LeadEventKind.SCORED, 'score', before.qualityScore, lead.qualityScore);
    if (changes.length === 0) changes.push('fields');
    await tx.flush();
    await this.publish(tx, lead, changes);
    if (campaignBefore && campaignBefore !== lead.campaign?.id)
      await this.bus.publish(tx, CAMPAIGN_TOPIC, { campaignId: campaignBefore, organizationId: caller.organizationId });
    return lead;
  }

  /** The fields every write shares: contact details (normalised), ad and campaign (of the organization), score, assignee. */
  private async assign(
    tx: EntityManager,
    caller: SignedIn,
    lead: Lead,
    input: LeadFieldsInput,
    assignee: number | null | undefined,
    creating: boolean,
  ) {
    if (input.company !== undefined) lead.company = blankToNull(input.company);
    if (input.email !== undefined) {
      lead.email = blankToNull(input.email);
      lead.emailNormalized = normalizedEmail(input.email);
    }
    if (input.phone !== undefined) {
      lead.phone = blankToNull(input.phone);
      lead.phoneE164 = this.phones.toE164(input.phone);
    }
    if (input.platformUserId !== undefined) lead.platformUserId = blankToNull(input.platformUserId);
    if (input.budget !== undefined) lead.budget = input.budget;
    if (input.notes !== undefined) lead.notes = input.notes;
    if (input.qualityScore !== undefined) {
      lead.qualityScore = input.qualityScore;
      lead.scoreCategory = scoreCategoryOf(input.qualityScore);
    }
    if (assignee !== undefined) lead.assignedUserId = assignee;
    if (input.adId != null) {
      const ad = isUuid(input.adId) ? await tx.findOne(Ad, { id: input.adId.toLowerCase(), organizationId: caller.organizationId }) : null;
      if (!ad) throw new AppError(ErrorCode.NotFound, `Ad ${input.adId} not found`);
      lead.ad = ad;
      lead.campaign = ad.campaign;
    } else if (input.adId === null && !creating) lead.ad = null;
    if (input.campaignId != null) {
      const campaign = isUuid(input.campaignId)
        ? await tx.findOne(Campaign, { id: input.campaignId.toLowerCase(), organizationId: caller.organizationId })
        : null;
      if (!campaign) throw new AppError(ErrorCode.NotFound, `Campaign ${input.campaignId} not found`);
      if (lead.ad && lead.ad.campaign.id !== campaign.id)
        throw badInput('The ad belongs to another campaign', [{ field: 'campaignId', message: "must be the ad's campaign" }]);
      lead.campaign = campaign;
    } else if (input.campaignId === null && !creating) lead.campaign = null;
  }

  private async publish(tx: EntityManager, lead: Lead, changes: LeadChange[], messageId?: string) {
    const payload: LeadEventPayload = {
      leadId: lead.id,
      organizationId: lead.organizationId,
      assignedUserId: lead.assignedUserId ?? null,
      createdByUserId: lead.createdByUserId ?? null,
      changes,
      ...(messageId ? { messageId } : {}),
    };
    await this.bus.publish(tx, LEAD_TOPIC, payload);
    // Live campaign figures move with its leads' creation and status.
    if (lead.campaign && changes.some((c) => c === 'created' || c === 'status' || c === 'merged'))
      await this.bus.publish(tx, CAMPAIGN_TOPIC, { campaignId: lead.campaign.id, organizationId: lead.organizationId });
  }
}

/** What `createLead` did with the lead it answers (not stored: `Lead.merged` reads it back in the same request). */
const CREATION = Symbol('creation');
type Marked = Lead & { [CREATION]?: 'created' | 'merged' };

function markCreation(lead: Lead, merged: boolean): Lead {
  (lead as Marked)[CREATION] = merged ? 'merged' : 'created';
  return lead;
}

/** true when `createLead` merged into this existing lead, false when it created it, null for a lead read otherwise. */
export function mergedByCreation(lead: Lead): boolean | null {
  const creation = (lead as Marked)[CREATION];
  return creation === undefined ? null : creation === 'merged';
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function normalizedEmail(email: string | null | undefined): string | null {
  return blankToNull(email)?.toLowerCase() ?? null;
}

/** The organization's lead with this phone or e-mail, and what matched. */
export async function findDuplicate(
  em: EntityManager,
  organizationId: string,
  phoneE164: string | null,
  emailNormalized: string | null,
): Promise<Duplicate | null> {
  const or = [...(phoneE164 ? [{ phoneE164 }] : []), ...(emailNormalized ? [{ emailNormalized }] : [])];
  if (or.length === 0) return null;
  const existing = await em.findOne(Lead, { organizationId, $or: or }, { orderBy: { createdAt: 'asc' } });
  if (!existing) return null;
  const matchedOn: DuplicateMatch[] = [];
  if (phoneE164 && existing.phoneE164 === phoneE164) matchedOn.push(DuplicateMatch.PHONE);
  if (emailNormalized && existing.emailNormalized === emailNormalized) matchedOn.push(DuplicateMatch.EMAIL);
  return { existing, matchedOn };
}

import type { EntityManager } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
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

/** What `createMany` did with one input: created or merged a lead, found its duplicate (no merge), or refused it. */
export type CreateOutcome = { lead: Lead; merged: boolean; matchedOn?: DuplicateMatch[] } | Duplicate | { error: AppError | GraphQLError };

/** Assignee ids as given, each checked with identity: the user id, or why it was refused. */
export type Assignees = Map<string, number | AppError | GraphQLError>;

interface ContactKeys {
  phoneE164: string | null;
  emailNormalized: string | null;
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
   * `merge`, that lead takes the given fields instead. The same path as `createMany`, for one input.
   */
  async create(em: EntityManager, caller: SignedIn, input: CreateLeadInput, merge = false): Promise<Lead | Duplicate> {
    const assignees = await this.checkedAssignees(caller, [input.assignedUserId]);
    const [outcome] = await this.createMany(em, caller, [input], merge, assignees);
    if ('error' in outcome) throw outcome.error;
    if ('existing' in outcome) return outcome;
    return markCreation(outcome.lead, outcome.merged);
  }

  /**
   * Creates many leads in one transaction under createLead's rules, answering per input in order: the lead
   * created (or, with `merge`, the existing lead it updated), the duplicate it matched, or why it was refused.
   * Duplicates are looked up for the whole batch in one query and within the batch itself (an input matches
   * a lead an earlier input created); the new leads and their history are written with one flush, and their
   * events published together. Assignees are checked with identity before the transaction opens, unless
   * `assignees` (from `checkedAssignees`) already holds them. `inTransaction` runs last, in the same
   * transaction (an import moves its totals there).
   */
  async createMany(
    em: EntityManager,
    caller: SignedIn,
    inputs: CreateLeadInput[],
    merge: boolean,
    assignees?: Assignees,
    inTransaction?: (tx: EntityManager, outcomes: CreateOutcome[]) => Promise<void>,
  ): Promise<CreateOutcome[]> {
    const checked =
      assignees ??
      (await this.checkedAssignees(
        caller,
        inputs.map((input) => input.assignedUserId),
      ));
    return em.transactional(async (tx) => {
      const keys = inputs.map((input) => ({ phoneE164: this.phones.toE164(input.phone), emailNormalized: normalizedEmail(input.email) }));
      // Two creations of the same person at once must not both pass the duplicate check.
      await lockContacts(tx, caller.organizationId, keys);
      const known = await ContactIndex.load(tx, caller.organizationId, keys);
      const refs = await References.load(tx, caller.organizationId, inputs);
      const outcomes: CreateOutcome[] = [];
      const created: Lead[] = [];
      for (const [i, input] of inputs.entries()) {
        const assignee = assigneeOf(checked, input.assignedUserId);
        if (assignee instanceof Error) {
          outcomes.push({ error: assignee });
          continue;
        }
        const duplicate = known.match(keys[i]);
        try {
          if (duplicate && !merge) outcomes.push(duplicate);
          else if (duplicate) {
            const lead = await this.apply(tx, caller, duplicate.existing, input, assignee, refs);
            known.add(lead);
            outcomes.push({ lead, merged: true, matchedOn: duplicate.matchedOn });
          } else {
            const lead = tx.create(
              Lead,
              {
                organizationId: caller.organizationId,
                name: input.name.trim(),
                source: input.source ?? LeadSource.OTHER,
                status: input.status ?? LeadStatus.NEW,
                createdByUserId: caller.userId,
              },
              // Persisted only once its fields passed: a refused input leaves nothing behind.
              { persist: false },
            );
            await this.assign(lead, input, assignee, true, refs);
            tx.persist(lead);
            tx.create(LeadEvent, { organizationId: caller.organizationId, lead, kind: LeadEventKind.CREATED, actorUserId: caller.userId });
            known.add(lead);
            created.push(lead);
            outcomes.push({ lead, merged: false });
          }
        } catch (error) {
          if (!isRefusal(error)) throw error;
          // A refused merge may have changed fields of the lead before the refusal: they are not kept.
          if (duplicate) await tx.refresh(duplicate.existing);
          outcomes.push({ error });
        }
      }
      await tx.flush();
      await this.publishMany(tx, created, ['created']);
      if (inTransaction) await inTransaction(tx, outcomes);
      return outcomes;
    });
  }

  /**
   * Checks the assignees of some inputs with identity, each distinct user once and side by side, before any
   * transaction opens (a peer call must not hold one). A refused id is kept as its error, for its inputs alone.
   */
  async checkedAssignees(caller: SignedIn, assignedUserIds: (string | null | undefined)[]): Promise<Assignees> {
    const ids = [...new Set(assignedUserIds.filter((id): id is string => typeof id === 'string'))];
    const checked: Assignees = new Map();
    await Promise.all(
      ids.map(async (id) => {
        try {
          const userId = integerId(id, 'user');
          await this.users.assertExists(caller, userId);
          checked.set(id, userId);
        } catch (error) {
          if (!isRefusal(error)) throw error;
          checked.set(id, error);
        }
      }),
    );
    return checked;
  }

  async update(em: EntityManager, caller: SignedIn, id: string, input: UpdateLeadInput): Promise<Lead> {
    const assignee = assigneeOf(await this.checkedAssignees(caller, [input.assignedUserId]), input.assignedUserId);
    if (assignee instanceof Error) throw assignee;
    return em.transactional(async (tx) =>
      this.apply(tx, caller, await findVisibleLead(tx, caller, id), input, assignee, new References(tx, caller.organizationId)),
    );
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

  private async apply(
    tx: EntityManager,
    caller: SignedIn,
    lead: Lead,
    input: LeadFieldsInput & { name?: string },
    assignee: number | null | undefined,
    refs: References,
  ): Promise<Lead> {
    const before = { status: lead.status, assignedUserId: lead.assignedUserId, qualityScore: lead.qualityScore };
    if (input.name !== undefined) lead.name = input.name.trim();
    if (input.source != null) lead.source = input.source;
    if (input.status != null) lead.status = input.status;
    const campaignBefore = lead.campaign?.id;
    await this.assign(lead, input, assignee, false, refs);
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
  private async assign(lead: Lead, input: LeadFieldsInput, assignee: number | null | undefined, creating: boolean, refs: References) {
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
      const ad = await refs.ad(input.adId);
      if (!ad) throw new AppError(ErrorCode.NotFound, `Ad ${input.adId} not found`);
      lead.ad = ad;
      lead.campaign = ad.campaign;
    } else if (input.adId === null && !creating) lead.ad = null;
    if (input.campaignId != null) {
      const campaign = await refs.campaign(input.campaignId);
      if (!campaign) throw new AppError(ErrorCode.NotFound, `Campaign ${input.campaignId} not found`);
      if (lead.ad && lead.ad.campaign.id !== campaign.id)
        throw badInput('The ad belongs to another campaign', [{ field: 'campaignId', message: "must be the ad's campaign" }]);
      lead.campaign = campaign;
    } else if (input.campaignId === null && !creating) lead.campaign = null;
  }

  private publish(tx: EntityManager, lead: Lead, changes: LeadChange[], messageId?: string) {
    return this.publishMany(tx, [lead], changes, messageId);
  }

  /** One event per lead (one statement for all), and one per campaign whose live figures moved. */
  private async publishMany(tx: EntityManager, leads: Lead[], changes: LeadChange[], messageId?: string) {
    const payloads: LeadEventPayload[] = leads.map((lead) => ({
      leadId: lead.id,
      organizationId: lead.organizationId,
      assignedUserId: lead.assignedUserId ?? null,
      createdByUserId: lead.createdByUserId ?? null,
      changes,
      ...(messageId ? { messageId } : {}),
    }));
    await this.bus.publishMany(tx, LEAD_TOPIC, payloads);
    // Live campaign figures move with its leads' creation and status.
    if (!changes.some((c) => c === 'created' || c === 'status' || c === 'merged')) return;
    const campaigns = new Map(leads.filter((lead) => lead.campaign).map((lead) => [lead.campaign!.id, lead.organizationId]));
    await this.bus.publishMany(
      tx,
      CAMPAIGN_TOPIC,
      [...campaigns].map(([campaignId, organizationId]) => ({ campaignId, organizationId })),
    );
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

/** A refusal createLead answers the caller with (bad input, an unknown campaign, ad or assignee), as opposed to a failure. */
function isRefusal(error: unknown): error is AppError | GraphQLError {
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  return code === ErrorCode.BadUserInput || code === ErrorCode.NotFound || code === ErrorCode.Forbidden;
}

/** The checked assignee of an input: undefined (left alone), null (unassigned), the user id, or its refusal. */
function assigneeOf(checked: Assignees, assignedUserId: string | null | undefined): number | null | undefined | AppError | GraphQLError {
  if (assignedUserId == null) return assignedUserId;
  return checked.get(assignedUserId) ?? notFound(`User ${assignedUserId}`);
}

/** Transaction-scoped advisory locks on the contacts, taken in one statement and a fixed order (no deadlock between batches). */
async function lockContacts(tx: EntityManager, organizationId: string, keys: ContactKeys[]): Promise<void> {
  const names = [...new Set(keys.flatMap((k) => [k.phoneE164, k.emailNormalized]).filter((key): key is string => Boolean(key)))].map(
    (key) => `lead:${organizationId}:${key}`,
  );
  if (names.length === 0) return;
  names.sort();
  // A JSON array: the query builder would spread a JS array into separate parameters.
  const sql =
    'select count(pg_advisory_xact_lock(hashtext(k.name))) from (select k.name from json_array_elements_text(?::json) with ordinality as k(name, n) order by k.n) k';
  await sqlOf(tx).execute(sql, [JSON.stringify(names)]);
}

/**
 * The organization's leads by E.164 phone and normalised e-mail: those stored that a batch's contacts
 * match (one query), then the leads the batch creates. A contact matches the oldest lead that has it.
 */
class ContactIndex {
  private readonly byPhone = new Map<string, Lead>();
  private readonly byEmail = new Map<string, Lead>();
  private readonly rank = new Map<Lead, number>();

  static async load(tx: EntityManager, organizationId: string, keys: ContactKeys[]): Promise<ContactIndex> {
    const index = new ContactIndex();
    const phones = [...new Set(keys.map((k) => k.phoneE164).filter((v): v is string => Boolean(v)))];
    const emails = [...new Set(keys.map((k) => k.emailNormalized).filter((v): v is string => Boolean(v)))];
    const or = [
      ...(phones.length ? [{ phoneE164: { $in: phones } }] : []),
      ...(emails.length ? [{ emailNormalized: { $in: emails } }] : []),
    ];
    if (or.length === 0) return index;
    const stored = await tx.find(Lead, { organizationId, $or: or }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    for (const lead of stored) index.add(lead);
    return index;
  }

  /** Registers a lead after those already known (older ones keep their contacts). */
  add(lead: Lead): void {
    if (!this.rank.has(lead)) this.rank.set(lead, this.rank.size);
    if (lead.phoneE164 && !this.byPhone.has(lead.phoneE164)) this.byPhone.set(lead.phoneE164, lead);
    if (lead.emailNormalized && !this.byEmail.has(lead.emailNormalized)) this.byEmail.set(lead.emailNormalized, lead);
  }

  /** The oldest known lead with this phone or e-mail, and what matched. */
  match({ phoneE164, emailNormalized }: ContactKeys): Duplicate | null {
    const candidates = [phoneE164 && this.byPhone.get(phoneE164), emailNormalized && this.byEmail.get(emailNormalized)].filter(
      (lead): lead is Lead => Boolean(lead),
    );
    if (candidates.length === 0) return null;
    const existing = candidates.reduce((a, b) => (this.rank.get(b)! < this.rank.get(a)! ? b : a));
    const matchedOn: DuplicateMatch[] = [];
    if (phoneE164 && existing.phoneE164 === phoneE164) matchedOn.push(DuplicateMatch.PHONE);
    if (emailNormalized && existing.emailNormalized === emailNormalized) matchedOn.push(DuplicateMatch.EMAIL);
    return { existing, matchedOn };
  }
}

/** The organization's ads and campaigns that inputs name, each looked up once (a batch's all at once). */
class References {
  private readonly ads = new Map<string, Ad | null>();
  private readonly campaigns = new Map<string, Campaign | null>();

  constructor(
    private readonly tx: EntityManager,
    private readonly organizationId: string,
  ) {}

  static async load(tx: EntityManager, organizationId: string, inputs: LeadFieldsInput[]): Promise<References> {
    const refs = new References(tx, organizationId);
    const adIds = [...new Set(inputs.map((i) => i.adId?.toLowerCase()).filter((id): id is string => !!id && isUuid(id)))];
    const campaignIds = [...new Set(inputs.map((i) => i.campaignId?.toLowerCase()).filter((id): id is string => !!id && isUuid(id)))];
    if (adIds.length)
      for (const ad of await tx.find(Ad, { id: { $in: adIds }, organizationId }, { populate: ['campaign'] })) refs.ads.set(ad.id, ad);
    if (campaignIds.length)
      for (const c of await tx.find(Campaign, { id: { $in: campaignIds }, organizationId })) refs.campaigns.set(c.id, c);
    for (const id of adIds) if (!refs.ads.has(id)) refs.ads.set(id, null);
    for (const id of campaignIds) if (!refs.campaigns.has(id)) refs.campaigns.set(id, null);
    return refs;
  }

  async ad(id: string): Promise<Ad | null> {
    const key = id.toLowerCase();
    if (!isUuid(key)) return null;
    if (!this.ads.has(key)) this.ads.set(key, await this.tx.findOne(Ad, { id: key, organizationId: this.organizationId }));
    return this.ads.get(key)!;
  }

  async campaign(id: string): Promise<Campaign | null> {
    const key = id.toLowerCase();
    if (!isUuid(key)) return null;
    if (!this.campaigns.has(key))
      this.campaigns.set(key, await this.tx.findOne(Campaign, { id: key, organizationId: this.organizationId }));
    return this.campaigns.get(key)!;
  }
}

/** The organization's oldest lead with this phone or e-mail, and what matched (the rule `createMany` applies). */
export async function findDuplicate(
  em: EntityManager,
  organizationId: string,
  phoneE164: string | null,
  emailNormalized: string | null,
): Promise<Duplicate | null> {
  const keys = { phoneE164, emailNormalized };
  return (await ContactIndex.load(em, organizationId, [keys])).match(keys);
}

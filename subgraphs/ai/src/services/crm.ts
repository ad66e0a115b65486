import {
  AppError,
  ErrorCode,
  OperationError,
  executeOperation,
  serviceUnavailable,
  type SignedIn,
  type SubgraphClient,
} from '@salesgraph/platform';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  AiAddTranscriptDocument,
  AiCallDocument,
  AiVisibleCallsDocument,
  type AiCallQuery,
  type TranscriptSegmentInput,
} from '../generated/calls.js';
import { AiVisibleDialogsDocument } from '../generated/funnels.js';
import { AiSenderDocument, type AiSenderQuery } from '../generated/identity.js';
import {
  AiCampaignDocument,
  AiCreateDraftDocument,
  AiLeadCampaignDocument,
  AiLeadDocument,
  AiRecordForecastDocument,
  AiVisibleCampaignsDocument,
  AiVisibleLeadsDocument,
  AiWonLeadsDocument,
  AiWriteLeadScoreDocument,
  type AiLeadQuery,
  type CreateForecastInput,
  type CreateOutboundMessageInput,
} from '../generated/leads.js';

export type LeadRecord = NonNullable<AiLeadQuery['lead']>;
export type CallRecord = NonNullable<AiCallQuery['call']>;
export type Sender = AiSenderQuery['me'];

/** Codes a peer's answer keeps when the AI feature passes its error on (its rules, its words). */
const PASSED_ON = new Set<string>(Object.values(ErrorCode));
/** Leads pages of won leads read for a forecast: at most this many rows in all. */
const WON_PAGE = 200;
const WON_MAX = 20_000;

/**
 * The CRM as the AI features see it: leads, calls, dialogs and the caller's profile, read and written only
 * through their owners' GraphQL operations and always as the caller, so their visibility and role rules hold.
 */
export class Crm {
  constructor(
    private readonly peers: {
      identity: () => SubgraphClient;
      leads: () => SubgraphClient;
      calls: () => SubgraphClient;
      funnels: () => SubgraphClient;
    },
  ) {}

  /** A lead the caller may see, with its conversation's senders and times, or null. */
  async lead(caller: SignedIn, id: string): Promise<LeadRecord | null> {
    return (await this.run(this.peers.leads, AiLeadDocument, { id }, caller)).lead;
  }

  /** The campaign of a lead the caller may see (null when it has none or the lead is not visible). */
  async campaignOfLead(caller: SignedIn, leadId: string): Promise<string | null> {
    return (await this.run(this.peers.leads, AiLeadCampaignDocument, { id: leadId }, caller)).lead?.campaign?.id ?? null;
  }

  /** Writes a lead's score (its category follows from it) as the caller, who must be allowed to update the lead. */
  async writeScore(caller: SignedIn, leadId: string, score: number) {
    return (await this.run(this.peers.leads, AiWriteLeadScoreDocument, { id: leadId, score }, caller)).updateLead;
  }

  async createDraft(caller: SignedIn, input: CreateOutboundMessageInput) {
    return (await this.run(this.peers.leads, AiCreateDraftDocument, { input }, caller)).createOutboundMessage;
  }

  /** Every won lead the caller may see (budget and last update), oldest update first. */
  async wonLeads(caller: SignedIn): Promise<{ budget: number | null; updatedAt: string }[]> {
    const rows: { budget: number | null; updatedAt: string }[] = [];
    for (let offset = 0; offset < WON_MAX; offset += WON_PAGE) {
      const page = (await this.run(this.peers.leads, AiWonLeadsDocument, { offset, first: WON_PAGE }, caller)).leads;
      rows.push(...page.nodes);
      if (page.nodes.length < WON_PAGE || offset + WON_PAGE >= page.totalCount) break;
    }
    return rows;
  }

  async recordForecast(caller: SignedIn, input: CreateForecastInput): Promise<string> {
    return (await this.run(this.peers.leads, AiRecordForecastDocument, { input }, caller)).recordAiForecast.id;
  }

  async campaignVisible(caller: SignedIn, id: string): Promise<boolean> {
    return Boolean((await this.run(this.peers.leads, AiCampaignDocument, { id }, caller)).campaign);
  }

  async call(caller: SignedIn, id: string): Promise<CallRecord | null> {
    return (await this.run(this.peers.calls, AiCallDocument, { id }, caller)).call;
  }

  /** Appends to a call's transcript as the caller, who must be allowed to work on the call. */
  async addTranscript(caller: SignedIn, callId: string, segments: TranscriptSegmentInput[]): Promise<void> {
    await this.run(this.peers.calls, AiAddTranscriptDocument, { callId, input: { segments } }, caller);
  }

  async sender(caller: SignedIn): Promise<Sender> {
    return (await this.run(this.peers.identity, AiSenderDocument, {}, caller)).me;
  }

  /** Those of `ids` the owner says the caller may see: one question per kind and batch. */
  async visible(kind: 'Lead' | 'Call' | 'Dialog' | 'Campaign', caller: SignedIn, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    if (kind === 'Lead') return new Set((await this.run(this.peers.leads, AiVisibleLeadsDocument, { ids }, caller)).visibleLeadIds);
    if (kind === 'Campaign')
      return new Set((await this.run(this.peers.leads, AiVisibleCampaignsDocument, { ids }, caller)).visibleCampaignIds);
    if (kind === 'Call') return new Set((await this.run(this.peers.calls, AiVisibleCallsDocument, { ids }, caller)).visibleCallIds);
    return new Set((await this.run(this.peers.funnels, AiVisibleDialogsDocument, { ids }, caller)).visibleDialogIds);
  }

  /** Runs an operation as the caller; the owner's refusal (not found, forbidden, bad input…) reaches the client as it said it. */
  private async run<R, V extends Record<string, unknown>>(
    client: () => SubgraphClient,
    document: TypedDocumentNode<R, V>,
    variables: V,
    caller: SignedIn,
  ): Promise<R> {
    try {
      return await executeOperation(client(), document, variables, caller);
    } catch (error) {
      if (error instanceof OperationError) {
        if (error.code && PASSED_ON.has(error.code) && error.code !== String(ErrorCode.Internal))
          throw new AppError(error.code as ErrorCode, error.message);
        throw serviceUnavailable(`The ${error.subgraph} service failed; try again later`);
      }
      throw error;
    }
  }
}

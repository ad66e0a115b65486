/* eslint-disable @typescript-eslint/no-unsafe-assignment --
   Request bodies are checked against each route's JSON Schema at run time (validate.ts), not typed
   (RestRequest['body']), so the route tables map `any` fields onto variables. */
import {
  AddLeadMessageDocument,
  CampaignWithStatsDocument,
  CampaignsDocument,
  CreateCampaignDocument,
  CreateLeadDocument,
  CreateNicheDocument,
  DeleteNicheDocument,
  LeadListDocument,
  LeadWithConversationsDocument,
  NicheDocument,
  NichesDocument,
  UpdateCampaignStatusDocument,
  UpdateLeadStatusDocument,
  UpdateNicheDocument,
  type CampaignFieldsFragment,
  type ConversationMessageFieldsFragment,
  type CreateCampaignInput,
  type CreateLeadInput,
  type CreateNicheInput,
  type LeadFieldsFragment,
} from '../generated/graphql.js';
import { AdPlatform, CampaignStatus, LeadSource, LeadStatus, MessageSender, NicheStatus } from '../generated/enums.js';
import { BodyMapping } from './body.js';
import { route, type JsonSchema, type RestApi } from './route.js';
import { detailSchema, legacyValues, lower, lowerOrNull, nullableString, upper, uuid } from './shapes.js';
import { createdLead, duplicateResponses } from './shared.js';

/**
 * Seed 001 (Lead Generation System), `/api`: plain objects and arrays, UUID string ids, lower-case enum
 * values, `{detail}` errors (a duplicate lead's 409 adds `existing_id` and `matched_on`), 422 for invalid
 * input as FastAPI answers. Creations answer 201, as the other seeds' tables do. `/api/health` is the
 * gateway's own (health.ts). Seed 002 shares the prefix with other resources (calls, users, companies, statistics).
 */
const API = '/api';

const NICHE_STATUSES = legacyValues(NicheStatus);
const CAMPAIGN_STATUSES = legacyValues(CampaignStatus);
const PLATFORMS = legacyValues(AdPlatform);
const LEAD_STATUSES = legacyValues(LeadStatus);
const SOURCES = legacyValues(LeadSource);
const SENDERS = legacyValues(MessageSender);

const createdAt: JsonSchema = { type: 'string', format: 'date-time' };
const nullableNumber: JsonSchema = { type: 'number', nullable: true };
const limit = { type: 'integer', minimum: 1, maximum: 200, description: 'Default 100' } satisfies JsonSchema;
const enumOf = (values: string[], example?: string) => ({ type: 'string' as const, enum: values, ...(example ? { example } : {}) });

// Niches ------------------------------------------------------------------------------------------

const nicheOut = (n: {
  id: string;
  name: string;
  category: string | null;
  status: string;
  cplTarget: number | null;
  roiTarget: number | null;
  createdAt: string;
}) => ({
  id: n.id,
  name: n.name,
  category: n.category,
  status: lower(n.status),
  cpl_target: n.cplTarget,
  roi_target: n.roiTarget,
  created_at: n.createdAt,
});
const nicheSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    name: { type: 'string', example: 'Ремонт ноутбуков' },
    category: { ...nullableString, example: 'electronics_repair' },
    status: enumOf(NICHE_STATUSES, 'research'),
    cpl_target: { ...nullableNumber, example: 500.0 },
    roi_target: { ...nullableNumber, example: 300.0 },
    created_at: createdAt,
  },
};
const nicheBody = new BodyMapping<CreateNicheInput>({
  name: { schema: { type: 'string', example: 'Ремонт ноутбуков' } },
  category: { schema: { ...nullableString, example: 'electronics_repair' } },
  description: { schema: nullableString },
  status: { schema: enumOf(NICHE_STATUSES), convert: upper },
  cplTarget: { schema: nullableNumber },
  roiTarget: { schema: nullableNumber },
});

// Campaigns ---------------------------------------------------------------------------------------

const campaignOut = (c: CampaignFieldsFragment) => ({
  id: c.id,
  niche_id: c.niche.id,
  name: c.name,
  platform: lower(c.platform),
  status: lower(c.status),
  budget: c.budget,
  spent: c.spent,
  ads_count: c.adsCount,
  leads_count: c.leadsCount,
  created_at: c.createdAt,
});
const campaignProperties: Record<string, JsonSchema> = {
  id: uuid,
  niche_id: uuid,
  name: { type: 'string', example: 'OLX Алматы - Ремонт ноутбуков' },
  platform: enumOf(PLATFORMS, 'olx'),
  status: enumOf(CAMPAIGN_STATUSES, 'draft'),
  budget: { type: 'number', example: 50000.0 },
  spent: { type: 'number', example: 0.0 },
  ads_count: { type: 'integer' },
  leads_count: { type: 'integer' },
  created_at: createdAt,
};
const campaignSchema: JsonSchema = { type: 'object', properties: campaignProperties };
const campaignBody = new BodyMapping<CreateCampaignInput>({
  nicheId: { schema: uuid },
  name: { schema: campaignProperties.name },
  platform: { schema: enumOf(PLATFORMS, 'olx'), convert: upper },
  budget: { schema: { type: 'number', example: 50000.0 } },
  startDate: { schema: { type: 'string', format: 'date', nullable: true, example: '2024-11-20' } },
  endDate: { schema: { type: 'string', format: 'date', nullable: true, example: '2024-12-20' } },
});

// Leads -------------------------------------------------------------------------------------------

const leadOut = (l: LeadFieldsFragment) => ({
  id: l.id,
  name: l.name,
  phone: l.phone,
  source: lower(l.source),
  status: lower(l.status),
  quality_score: l.qualityScore,
  created_at: l.createdAt,
});
const leadProperties: Record<string, JsonSchema> = {
  id: uuid,
  name: { type: 'string', example: 'Иван Иванов' },
  phone: { ...nullableString, example: '+7 777 123 4567' },
  source: enumOf(SOURCES, 'whatsapp'),
  status: enumOf(LEAD_STATUSES, 'new'),
  quality_score: { type: 'integer', nullable: true, minimum: 0, maximum: 100 },
  created_at: createdAt,
};
const leadSchema: JsonSchema = { type: 'object', properties: leadProperties };
const leadBody = new BodyMapping<CreateLeadInput>({
  adId: { schema: { ...uuid, nullable: true } },
  name: { schema: leadProperties.name },
  phone: { schema: leadProperties.phone },
  email: { schema: { type: 'string', format: 'email', nullable: true, description: 'Also matched for duplicates' } },
  source: { schema: enumOf(PLATFORMS, 'whatsapp'), convert: upper },
  platformUserId: { schema: { ...nullableString, example: 'user123' } },
  budget: { schema: { ...nullableNumber, example: 15000.0 } },
  notes: { schema: nullableString },
});

const messageOut = (m: ConversationMessageFieldsFragment) => ({
  id: m.id,
  message: m.message,
  sender: lower(m.sender),
  platform: lowerOrNull(m.platform),
  created_at: m.createdAt,
});
const messageProperties: Record<string, JsonSchema> = {
  id: uuid,
  message: { type: 'string', example: 'Здравствуйте, интересует ремонт MacBook' },
  sender: enumOf(SENDERS, 'lead'),
  platform: { ...enumOf(PLATFORMS, 'whatsapp'), nullable: true },
  created_at: createdAt,
};
const messageSchema: JsonSchema = { type: 'object', properties: messageProperties };

const statusBody = (values: string[]): JsonSchema => ({ type: 'object', properties: { status: enumOf(values) }, required: ['status'] });

export const seed001: RestApi = {
  seed: '001-lead-generation',
  title: 'Lead Generation System',
  validationStatus: 422,
  error: ({ message, extra }) => ({ detail: message, ...extra }),
  errorSchema: detailSchema,
  routes: [
    route({
      method: 'post',
      path: `${API}/niches`,
      summary: 'Create a niche to test (status research unless given)',
      status: 201,
      operation: CreateNicheDocument,
      body: nicheBody.schema(['name']),
      variables: ({ body }) => ({ input: nicheBody.input(body) }),
      respond: (d) => nicheOut(d.createNiche),
      response: nicheSchema,
    }),
    route({
      method: 'get',
      path: `${API}/niches`,
      summary: 'Niches of your organization, newest first',
      operation: NichesDocument,
      query: { status: enumOf(NICHE_STATUSES), limit },
      variables: ({ query: q }) => ({
        status: upper(q.status as string | undefined) as NicheStatus | undefined,
        first: (q.limit as number | undefined) ?? 100,
      }),
      respond: (d) => d.niches.nodes.map(nicheOut),
      response: { type: 'array', items: nicheSchema },
    }),
    route({
      method: 'get',
      path: `${API}/niches/:niche_id`,
      summary: 'A niche',
      resource: 'Niche',
      operation: NicheDocument,
      variables: ({ params }) => ({ id: params.niche_id }),
      respond: (d) => (d.niche ? nicheOut(d.niche) : null),
      response: nicheSchema,
    }),
    route({
      method: 'patch',
      path: `${API}/niches/:niche_id`,
      summary: 'Update a niche (the fields given)',
      resource: 'Niche',
      operation: UpdateNicheDocument,
      body: nicheBody.schema(),
      variables: ({ params, body }) => ({ id: params.niche_id, input: nicheBody.input(body) }),
      respond: (d) => nicheOut(d.updateNiche),
      response: nicheSchema,
    }),
    route({
      method: 'delete',
      path: `${API}/niches/:niche_id`,
      summary: 'Delete a niche with its campaigns and ads (their leads stay)',
      resource: 'Niche',
      operation: DeleteNicheDocument,
      variables: ({ params }) => ({ id: params.niche_id }),
      respond: (d) => ({ message: 'Ниша удалена', id: d.deleteNiche }),
      response: { type: 'object', properties: { message: { type: 'string', example: 'Ниша удалена' }, id: uuid } },
    }),
    route({
      method: 'post',
      path: `${API}/campaigns`,
      summary: 'Create a campaign of a niche (status draft)',
      status: 201,
      operation: CreateCampaignDocument,
      body: campaignBody.schema(['nicheId', 'name', 'platform']),
      variables: ({ body }) => ({ input: campaignBody.input(body) }),
      respond: (d) => campaignOut(d.createCampaign),
      response: campaignSchema,
    }),
    route({
      method: 'get',
      path: `${API}/campaigns`,
      summary: 'Campaigns of your organization, newest first (at most 200)',
      operation: CampaignsDocument,
      query: { niche_id: uuid, platform: enumOf(PLATFORMS) },
      variables: ({ query: q }) => ({
        nicheId: q.niche_id as string | undefined,
        platform: upper(q.platform as string | undefined) as AdPlatform | undefined,
        first: 200,
      }),
      respond: (d) => d.campaigns.nodes.map(campaignOut),
      response: { type: 'array', items: campaignSchema },
    }),
    route({
      method: 'get',
      path: `${API}/campaigns/:campaign_id`,
      summary: 'A campaign with its live statistics',
      resource: 'Campaign',
      operation: CampaignWithStatsDocument,
      variables: ({ params }) => ({ id: params.campaign_id }),
      respond: ({ campaign: c }) =>
        c && {
          ...campaignOut(c),
          stats: {
            total_leads: c.stats.totalLeads,
            qualified_leads: c.stats.qualifiedLeads,
            cpl: c.stats.cpl,
            conversion_rate: c.stats.conversionRate,
          },
        },
      response: {
        type: 'object',
        properties: {
          ...campaignProperties,
          stats: {
            type: 'object',
            properties: {
              total_leads: { type: 'integer' },
              qualified_leads: { type: 'integer', description: 'Qualified, hot or won' },
              cpl: { ...nullableNumber, description: 'Spent per lead (null without leads)' },
              conversion_rate: { type: 'number', description: 'Qualified leads per 100, one decimal', example: 33.3 },
            },
          },
        },
      },
    }),
    route({
      method: 'patch',
      path: `${API}/campaigns/:campaign_id/status`,
      summary: 'Start, pause, complete or fail a campaign',
      resource: 'Campaign',
      operation: UpdateCampaignStatusDocument,
      body: statusBody(CAMPAIGN_STATUSES),
      variables: ({ params, body }) => ({ id: params.campaign_id, status: upper(body.status as string) as CampaignStatus }),
      respond: (d) => campaignOut(d.updateCampaignStatus),
      response: campaignSchema,
    }),
    route({
      method: 'post',
      path: `${API}/leads`,
      summary: 'Create a lead; 409 when one of your organization has its phone or e-mail, unless merge=true updates that one',
      status: 201,
      operation: CreateLeadDocument,
      query: { merge: { type: 'boolean', description: 'Update the lead with the same phone or e-mail instead of answering 409' } },
      body: leadBody.schema(['name']),
      variables: ({ body, query }) => ({ input: leadBody.input(body), merge: query.merge === true }),
      respond: (d) => createdLead(d.createLead, leadOut),
      response: leadSchema,
      otherResponses: duplicateResponses,
    }),
    route({
      method: 'get',
      path: `${API}/leads`,
      summary: 'Leads you may see, newest first',
      operation: LeadListDocument,
      query: { status: enumOf(LEAD_STATUSES), source: enumOf(SOURCES), limit },
      variables: ({ query: q }) => ({
        first: (q.limit as number | undefined) ?? 100,
        filter: {
          status: upper(q.status as string | undefined) as LeadStatus | undefined,
          source: upper(q.source as string | undefined) as LeadSource | undefined,
        },
      }),
      respond: (d) => d.leads.nodes.map(leadOut),
      response: { type: 'array', items: leadSchema },
    }),
    route({
      method: 'get',
      path: `${API}/leads/:lead_id`,
      summary: 'A lead with its conversation, oldest message first',
      resource: 'Lead',
      operation: LeadWithConversationsDocument,
      variables: ({ params }) => ({ id: params.lead_id }),
      respond: ({ lead }) => lead && { ...leadOut(lead), conversations: lead.conversations.map(messageOut) },
      response: { type: 'object', properties: { ...leadProperties, conversations: { type: 'array', items: messageSchema } } },
    }),
    route({
      method: 'patch',
      path: `${API}/leads/:lead_id/status`,
      summary: 'Move a lead along the pipeline',
      resource: 'Lead',
      operation: UpdateLeadStatusDocument,
      body: statusBody(LEAD_STATUSES),
      variables: ({ params, body }) => ({ id: params.lead_id, status: upper(body.status as string) as LeadStatus }),
      respond: (d) => leadOut(d.updateLeadStatus),
      response: leadSchema,
    }),
    route({
      method: 'post',
      path: `${API}/leads/:lead_id/messages`,
      summary: 'Add a message to the conversation with a lead',
      status: 201,
      resource: 'Lead',
      operation: AddLeadMessageDocument,
      body: {
        type: 'object',
        properties: { message: messageProperties.message, sender: messageProperties.sender, platform: messageProperties.platform },
        required: ['message', 'sender'],
      },
      variables: ({ params, body }) => ({
        leadId: params.lead_id,
        input: {
          message: body.message,
          sender: upper(body.sender as string) as MessageSender,
          platform: upper(body.platform as string | undefined) as AdPlatform | undefined,
        },
      }),
      respond: ({ addLeadMessage: m }) => {
        const { id, ...message } = messageOut(m);
        return { id, lead_id: m.leadId, ...message };
      },
      response: { type: 'object', properties: { id: uuid, lead_id: uuid, ...messageProperties } },
    }),
    route({
      method: 'get',
      path: `${API}/leads/:lead_id/messages`,
      summary: 'The conversation with a lead, oldest message first',
      resource: 'Lead',
      operation: LeadWithConversationsDocument,
      variables: ({ params }) => ({ id: params.lead_id }),
      respond: ({ lead }) => lead && { lead_id: lead.id, messages: lead.conversations.map(messageOut) },
      response: { type: 'object', properties: { lead_id: uuid, messages: { type: 'array', items: messageSchema } } },
    }),
  ],
};

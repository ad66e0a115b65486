/* eslint-disable @typescript-eslint/no-unsafe-assignment --
   Request bodies are checked against each route's JSON Schema at run time (validate.ts), not typed
   (RestRequest['body']), so the route tables map `any` fields onto variables. */
import {
  AddTranscriptSegmentsDocument,
  CallDocument,
  CallListDocument,
  CallTasksDocument,
  CallTranscriptDocument,
  CreateCallDocument,
  CreateCallTaskDocument,
  CreateLeadDocument,
  CreateUserDocument,
  DeleteLeadDocument,
  DeleteUserDocument,
  LeadDocument,
  LeadListDocument,
  LoginDocument,
  LogoutDocument,
  RefreshTokenDocument,
  UpdateCallDocument,
  UpdateLeadDocument,
  UpdateUserDocument,
  UserDocument,
  UsersDocument,
  type CallFieldsFragment,
  type CallTaskFieldsFragment,
  type CreateLeadInput,
  type CreateUserInput,
  type LeadFieldsFragment,
  type TranscriptSegmentFieldsFragment,
  type TokensFragment,
} from '../generated/graphql.js';
import {
  CallPriority,
  CallStatus,
  CallTaskStatus,
  LeadOrderField,
  LeadSource,
  LeadStatus,
  Role,
  ScoreCategory,
  SortDirection,
  UserOrderField,
} from '../generated/enums.js';
import { BodyMapping } from './body.js';
import { aiRoutes } from './seed-000-ai.js';
import { forecastRoutes } from './seed-000-forecasts.js';
import { leadImportRoutes } from './seed-000-lead-import.js';
import { messageRoutes } from './seed-000-messages.js';
import { route, type JsonSchema, type RestApi, type RestRequest } from './route.js';
import {
  ROLES,
  dateBound,
  dateTime,
  detailSchema,
  idArg,
  legacyValues,
  lower,
  lowerOrNull,
  nullableString,
  numericId,
  pageOf,
  pageSchema,
  positiveInteger,
  profileBody,
  refId,
  upper,
  userOut,
  userSchema,
} from './shapes.js';
import { callCreateBody, callUpdateBody, createdLead, duplicateResponses, meRoute, profileRoutes } from './shared.js';
import { crmRoutes } from './seed-000-crm.js';

/** Seed 000 (AI Sales Assistant), `/api/v1`: plain objects, `{items,total,page,size,pages}` lists, `{detail}` errors. */
const V1 = '/api/v1';

const tokensOut = (t: TokensFragment) => ({ access_token: t.accessToken, refresh_token: t.refreshToken, token_type: 'bearer' });
const tokensSchema: JsonSchema = {
  type: 'object',
  properties: { access_token: { type: 'string' }, refresh_token: { type: 'string' }, token_type: { type: 'string', example: 'bearer' } },
};
/** A user as admins write one: the profile, then password, role and whether active. */
const userBody = new BodyMapping<CreateUserInput>({
  ...profileBody.fields,
  password: { schema: { type: 'string' } },
  role: { schema: { type: 'string', enum: ROLES }, convert: upper },
  isActive: { schema: { type: 'boolean' } },
});
/** `order_by` values: the sort fields, lower-case (`created_at` → CREATED_AT). */
const USER_ORDER = legacyValues(UserOrderField);

const CALL_STATUSES = legacyValues(CallStatus);
const PRIORITIES = legacyValues(CallPriority);
const TASK_STATUSES = legacyValues(CallTaskStatus);
const nullableId: JsonSchema = { type: 'integer', nullable: true };
const paging = { skip: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 1, maximum: 200 } } satisfies Record<
  string,
  JsonSchema
>;
const windowOf = (q: Record<string, unknown>) => ({ skip: (q.skip as number) ?? 0, limit: (q.limit as number) ?? 100 });

/** A call: snake_case, numeric ids, lower-case status and priority. */
const callOut = (c: CallFieldsFragment) => ({
  id: Number(c.id),
  caller_number: c.callerNumber,
  receiver_number: c.receiverNumber,
  channel_id: c.channelId,
  status: lower(c.status),
  started_at: c.startedAt,
  accepted_at: c.acceptedAt,
  answered_at: c.answeredAt,
  ended_at: c.endedAt,
  duration: c.duration,
  notes: c.notes,
  customer_name: c.customerName,
  customer_company: c.customerCompany,
  customer_email: c.customerEmail,
  customer_phone: c.customerPhone,
  purpose: c.purpose,
  priority: lower(c.priority),
  follow_up_date: c.followUpDate,
  outcome: c.outcome,
  recording_url: c.recordingUrl,
  tags: c.tags,
  transfer_count: c.transferCount,
  is_on_hold: c.isOnHold,
  is_muted: c.isMuted,
  is_speaker_on: c.isSpeakerOn,
  hold_seconds: c.holdSeconds,
  lead_id: numericId(c.leadId),
  assigned_user_id: refId(c.assignedUser),
  answered_by_id: refId(c.answeredBy),
  caller_company_id: refId(c.callerCompany),
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});
const callSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    caller_number: { type: 'string', example: '+7 (495) 123-45-67' },
    receiver_number: nullableString,
    channel_id: nullableString,
    status: { type: 'string', enum: CALL_STATUSES },
    started_at: { type: 'string', format: 'date-time' },
    accepted_at: dateTime,
    answered_at: dateTime,
    ended_at: dateTime,
    duration: { type: 'integer', nullable: true, description: 'Seconds' },
    notes: nullableString,
    customer_name: nullableString,
    customer_company: nullableString,
    customer_email: nullableString,
    customer_phone: nullableString,
    purpose: nullableString,
    priority: { type: 'string', enum: PRIORITIES },
    follow_up_date: dateTime,
    outcome: nullableString,
    recording_url: nullableString,
    tags: { type: 'array', items: { type: 'string' } },
    transfer_count: { type: 'integer' },
    is_on_hold: { type: 'boolean' },
    is_muted: { type: 'boolean' },
    is_speaker_on: { type: 'boolean' },
    hold_seconds: { type: 'integer' },
    lead_id: nullableId,
    assigned_user_id: nullableId,
    answered_by_id: nullableId,
    caller_company_id: nullableId,
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
};

const segmentOut = (s: TranscriptSegmentFieldsFragment) => ({
  id: Number(s.id),
  speaker: s.speaker,
  text: s.text,
  start_offset: s.startOffset,
  end_offset: s.endOffset,
  created_at: s.createdAt,
});
/** A transcript: its call and the segments in order. */
const transcriptOut = (callId: string, segments: TranscriptSegmentFieldsFragment[]) => ({
  call_id: Number(callId),
  segments: segments.map(segmentOut),
});
const transcriptSchema: JsonSchema = {
  type: 'object',
  properties: {
    call_id: { type: 'integer' },
    segments: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          speaker: { type: 'string', example: 'agent' },
          text: { type: 'string' },
          start_offset: { type: 'number', description: 'Seconds from the start of the call' },
          end_offset: { type: 'number' },
          created_at: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
};

const taskOut = (t: CallTaskFieldsFragment) => ({
  id: Number(t.id),
  call_id: numericId(t.callId),
  title: t.title,
  description: t.description,
  status: lower(t.status),
  due_date: t.dueDate,
  assigned_user_id: refId(t.assignedUser),
  created_by_id: Number(t.createdBy.id),
  created_at: t.createdAt,
  updated_at: t.updatedAt,
});
const taskSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    call_id: nullableId,
    title: { type: 'string' },
    description: nullableString,
    status: { type: 'string', enum: TASK_STATUSES },
    due_date: dateTime,
    assigned_user_id: nullableId,
    created_by_id: { type: 'integer' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
};

const LEAD_STATUSES = legacyValues(LeadStatus);
const LEAD_SOURCES = legacyValues(LeadSource);
const SCORE_CATEGORIES = legacyValues(ScoreCategory);
/** `order_by` values: the sort fields, lower-case (`quality_score` → QUALITY_SCORE). */
const LEAD_ORDER = legacyValues(LeadOrderField);
const nullableUuid: JsonSchema = { type: 'string', format: 'uuid', nullable: true };

/** A lead as seed 000 shows one: snake_case, UUID id, numeric user id, lower-case enums. */
const leadOut = (l: LeadFieldsFragment) => ({
  id: l.id,
  name: l.name,
  company: l.company,
  email: l.email,
  phone: l.phone,
  source: lower(l.source),
  status: lower(l.status),
  assigned_user_id: numericId(l.assignedUserId),
  campaign_id: l.campaign?.id ?? null,
  ad_id: l.ad?.id ?? null,
  platform_user_id: l.platformUserId,
  budget: l.budget,
  notes: l.notes,
  quality_score: l.qualityScore,
  score_category: lowerOrNull(l.scoreCategory),
  created_at: l.createdAt,
  updated_at: l.updatedAt,
});
const leadSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string', example: 'Иван Иванов' },
    company: nullableString,
    email: { type: 'string', format: 'email', nullable: true },
    phone: { ...nullableString, example: '+7 777 123 4567' },
    source: { type: 'string', enum: LEAD_SOURCES },
    status: { type: 'string', enum: LEAD_STATUSES },
    assigned_user_id: nullableId,
    campaign_id: nullableUuid,
    ad_id: nullableUuid,
    platform_user_id: nullableString,
    budget: { type: 'number', nullable: true },
    notes: nullableString,
    quality_score: { type: 'integer', nullable: true, minimum: 0, maximum: 100 },
    score_category: { type: 'string', enum: SCORE_CATEGORIES, nullable: true, description: 'hot ≥ 70, warm ≥ 40, cold below' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
};
/** A lead as clients write one (POST needs a name; PUT changes what is given, null clears). */
const leadBody = new BodyMapping<CreateLeadInput>({
  name: { schema: { type: 'string', example: 'Иван Иванов' } },
  company: { schema: nullableString },
  email: { schema: { type: 'string', format: 'email', nullable: true } },
  phone: { schema: nullableString },
  source: { schema: { type: 'string', enum: LEAD_SOURCES }, convert: upper },
  status: { schema: { type: 'string', enum: LEAD_STATUSES }, convert: upper },
  assignedUserId: {
    schema: { ...positiveInteger, nullable: true, description: 'A user of your organization' },
    convert: (id: number | null | undefined) => (id === null ? null : idArg(id)),
  },
  campaignId: { schema: nullableUuid },
  adId: { schema: { ...nullableUuid, description: 'The ad it answered; sets the campaign too' } },
  platformUserId: { schema: nullableString },
  budget: { schema: { type: 'number', nullable: true } },
  notes: { schema: nullableString },
  qualityScore: { schema: { type: 'integer', nullable: true, minimum: 0, maximum: 100 } },
});

export const seed000: RestApi = {
  seed: '000-ai-sales-assistant',
  title: 'AI Sales Assistant',
  validationStatus: 422,
  error: ({ message, extra }) => ({ detail: message, ...extra }),
  errorSchema: detailSchema,
  routes: [
    route({
      method: 'post',
      path: `${V1}/auth/login`,
      summary: 'Log in by e-mail (or username) and password',
      operation: LoginDocument,
      body: {
        type: 'object',
        properties: { email: { type: 'string' }, username: { type: 'string' }, password: { type: 'string' } },
        required: ['password'],
      },
      variables: ({ body }) => ({ input: { login: body.email ?? body.username ?? '', password: body.password } }),
      respond: (d) => tokensOut(d.login),
      response: tokensSchema,
    }),
    route({
      method: 'post',
      path: `${V1}/auth/refresh`,
      summary: 'Trade a refresh token for new tokens (the old one stops working)',
      operation: RefreshTokenDocument,
      body: { type: 'object', properties: { refresh_token: { type: 'string' } }, required: ['refresh_token'] },
      variables: ({ body }) => ({ refreshToken: body.refresh_token }),
      respond: (d) => tokensOut(d.refreshToken),
      response: tokensSchema,
    }),
    route({
      method: 'post',
      path: `${V1}/auth/logout`,
      summary: 'Log out: revokes the session (by token, or the current one)',
      operation: LogoutDocument,
      body: { type: 'object', properties: { refresh_token: { type: 'string' } } },
      variables: ({ body }) => ({ refreshToken: body.refresh_token ?? null }),
      respond: () => ({ detail: 'Logged out' }),
      response: detailSchema,
    }),
    meRoute(`${V1}/auth/me`, 'The current user'),
    route({
      method: 'get',
      path: `${V1}/users`,
      summary: 'List users (admins only)',
      operation: UsersDocument,
      query: {
        skip: { type: 'integer', minimum: 0 },
        limit: { type: 'integer', minimum: 1, maximum: 200 },
        search: { type: 'string' },
        role: { type: 'string', enum: ROLES },
        is_active: { type: 'boolean' },
        order_by: { type: 'string', enum: USER_ORDER },
        sort: { type: 'string', enum: legacyValues(SortDirection) },
      },
      variables: ({ query: q }) => ({
        offset: (q.skip as number) ?? 0,
        first: (q.limit as number) ?? 100,
        search: q.search as string | undefined,
        role: upper(q.role as string | undefined) as Role | undefined,
        isActive: q.is_active as boolean | undefined,
        orderBy: (upper(q.order_by as string | undefined) as UserOrderField | undefined) ?? UserOrderField.Id,
        direction: (upper(q.sort as string | undefined) as SortDirection | undefined) ?? SortDirection.Asc,
      }),
      respond: (d, { query: q }) =>
        pageOf(d.users.nodes.map(userOut), d.users.totalCount, (q.skip as number) ?? 0, (q.limit as number) ?? 100),
      response: pageSchema(userSchema),
    }),
    ...profileRoutes(`${V1}/users/me`),
    route({
      method: 'post',
      path: `${V1}/users`,
      summary: 'Create a user (admins only)',
      status: 201,
      operation: CreateUserDocument,
      body: userBody.schema(['email', 'username', 'password']),
      variables: ({ body }) => {
        const input = userBody.input(body);
        return { input: { ...input, role: input.role ?? Role.User, isActive: input.isActive ?? true } };
      },
      respond: (d) => userOut(d.createUser),
      response: userSchema,
    }),
    route({
      method: 'get',
      path: `${V1}/users/:user_id`,
      summary: 'A user of your organization',
      operation: UserDocument,
      resource: 'User',
      variables: ({ params }) => ({ id: params.user_id }),
      respond: (d) => (d.user ? userOut(d.user) : null),
      response: userSchema,
    }),
    route({
      method: 'put',
      path: `${V1}/users/:user_id`,
      summary: 'Update a user (admins only)',
      operation: UpdateUserDocument,
      body: userBody.schema(),
      variables: ({ params, body }) => ({ id: params.user_id, input: userBody.input(body) }),
      respond: (d) => userOut(d.updateUser),
      response: userSchema,
    }),
    route({
      method: 'delete',
      path: `${V1}/users/:user_id`,
      summary: 'Delete a user (admins only)',
      operation: DeleteUserDocument,
      variables: ({ params }) => ({ id: params.user_id }),
      respond: () => undefined,
    }),
    route({
      method: 'get',
      path: `${V1}/calls`,
      summary: 'Calls you may see, newest first (plain users: their own); filter, search, page',
      operation: CallListDocument,
      query: {
        ...paging,
        search: { type: 'string', description: 'Phone numbers, customer name or notes' },
        status: { type: 'string', enum: CALL_STATUSES },
        assigned_to: { ...positiveInteger, description: 'Calls assigned to or answered by this user' },
        date_from: { type: 'string', description: 'ISO date-time, or a date (from its start)' },
        date_to: { type: 'string', description: 'ISO date-time, or a date (up to its end)' },
      },
      variables: ({ query: q }) => ({
        offset: windowOf(q).skip,
        first: windowOf(q).limit,
        search: q.search as string | undefined,
        status: upper(q.status as string | undefined) as CallStatus | undefined,
        userId: idArg(q.assigned_to),
        from: dateBound(q.date_from, 'from'),
        to: dateBound(q.date_to, 'to'),
      }),
      respond: (d, { query: q }) => pageOf(d.calls.nodes.map(callOut), d.calls.totalCount, windowOf(q).skip, windowOf(q).limit),
      response: pageSchema(callSchema),
    }),
    route({
      method: 'post',
      path: `${V1}/calls`,
      summary: 'Register a call (usually the telephony integration does)',
      status: 201,
      operation: CreateCallDocument,
      body: callCreateBody.schema(['callerNumber']),
      variables: ({ body }) => ({ input: callCreateBody.input(body) }),
      respond: (d) => callOut(d.createCall),
      response: callSchema,
    }),
    // Before /calls/:call_id, which would take "tasks" for an id.
    route({
      method: 'get',
      path: `${V1}/calls/tasks`,
      summary: 'Follow-up tasks of calls: yours, or (managers) the organization’s',
      operation: CallTasksDocument,
      query: { ...paging, call_id: positiveInteger, status: { type: 'string', enum: TASK_STATUSES } },
      variables: ({ query: q }) => ({
        offset: windowOf(q).skip,
        first: windowOf(q).limit,
        callId: idArg(q.call_id),
        status: upper(q.status as string | undefined) as CallTaskStatus | undefined,
      }),
      respond: (d, { query: q }) => pageOf(d.callTasks.nodes.map(taskOut), d.callTasks.totalCount, windowOf(q).skip, windowOf(q).limit),
      response: pageSchema(taskSchema),
    }),
    route({
      method: 'post',
      path: `${V1}/calls/tasks`,
      summary: 'Create a follow-up task, of a call or on its own',
      status: 201,
      operation: CreateCallTaskDocument,
      body: {
        type: 'object',
        properties: {
          call_id: { ...positiveInteger, nullable: true },
          title: { type: 'string' },
          description: nullableString,
          due_date: dateTime,
          assigned_user_id: { ...positiveInteger, nullable: true, description: 'Defaults to you' },
        },
        required: ['title'],
      },
      variables: ({ body: b }) => ({
        input: {
          callId: idArg(b.call_id),
          title: b.title,
          description: b.description,
          dueDate: b.due_date,
          assignedUserId: idArg(b.assigned_user_id),
        },
      }),
      respond: (d) => taskOut(d.createCallTask),
      response: taskSchema,
    }),
    route({
      method: 'get',
      path: `${V1}/calls/:call_id`,
      summary: 'A call you may see',
      operation: CallDocument,
      resource: 'Call',
      variables: ({ params }) => ({ id: params.call_id }),
      respond: (d) => (d.call ? callOut(d.call) : null),
      response: callSchema,
    }),
    route({
      method: 'put',
      path: `${V1}/calls/:call_id`,
      summary: 'Update the details of a call (notes, customer, outcome…)',
      resource: 'Call',
      operation: UpdateCallDocument,
      body: callUpdateBody.schema(),
      variables: ({ params, body }) => ({ id: params.call_id, input: callUpdateBody.input(body) }),
      respond: (d) => callOut(d.updateCall),
      response: callSchema,
    }),
    route({
      method: 'get',
      path: `${V1}/calls/:call_id/transcript`,
      summary: "A call's transcript, in order",
      resource: 'Call',
      operation: CallTranscriptDocument,
      variables: ({ params }) => ({ callId: params.call_id }),
      respond: (d, { params }) => transcriptOut(params.call_id, d.callTranscript),
      response: transcriptSchema,
    }),
    route({
      method: 'post',
      path: `${V1}/calls/:call_id/transcript`,
      summary: "Add segments to a call's transcript; answers the whole transcript",
      status: 201,
      resource: 'Call',
      operation: AddTranscriptSegmentsDocument,
      body: {
        type: 'object',
        properties: {
          segments: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                speaker: { type: 'string', example: 'agent' },
                text: { type: 'string' },
                start_offset: { type: 'number', minimum: 0 },
                end_offset: { type: 'number', minimum: 0 },
              },
              required: ['speaker', 'text', 'start_offset', 'end_offset'],
            },
          },
        },
        required: ['segments'],
      },
      variables: ({ params, body: b }) => ({
        callId: params.call_id,
        input: {
          segments: (b.segments as RestRequest['body'][]).map((s) => ({
            speaker: s.speaker,
            text: s.text,
            startOffset: s.start_offset,
            endOffset: s.end_offset,
          })),
        },
      }),
      respond: (d, { params }) => transcriptOut(params.call_id, d.addTranscriptSegments),
      response: transcriptSchema,
    }),
    ...forecastRoutes(V1),
    ...aiRoutes(V1),
    ...messageRoutes(V1),
    ...leadImportRoutes(V1),
    route({
      method: 'get',
      path: `${V1}/leads`,
      summary: 'Leads you may see (plain users: assigned to or created by them); filter, search, sort, page',
      operation: LeadListDocument,
      query: {
        ...paging,
        search: { type: 'string', description: 'Words of the name, company or e-mail (prefixes)' },
        status: { type: 'string', enum: LEAD_STATUSES },
        source: { type: 'string', enum: LEAD_SOURCES },
        assigned_to: { ...positiveInteger, description: 'Leads assigned to this user' },
        score_category: { type: 'string', enum: SCORE_CATEGORIES },
        date_from: { type: 'string', description: 'Created from: ISO date-time, or a date (from its start)' },
        date_to: { type: 'string', description: 'Created up to: ISO date-time, or a date (up to its end)' },
        order_by: { type: 'string', enum: LEAD_ORDER, description: 'Default created_at' },
        sort: { type: 'string', enum: legacyValues(SortDirection), description: 'Default desc' },
      },
      variables: ({ query: q }) => ({
        offset: windowOf(q).skip,
        first: windowOf(q).limit,
        filter: {
          search: q.search as string | undefined,
          status: upper(q.status as string | undefined) as LeadStatus | undefined,
          source: upper(q.source as string | undefined) as LeadSource | undefined,
          assignedUserId: idArg(q.assigned_to),
          scoreCategory: upper(q.score_category as string | undefined) as ScoreCategory | undefined,
          createdFrom: dateBound(q.date_from, 'from'),
          createdTo: dateBound(q.date_to, 'to'),
        },
        orderBy: upper(q.order_by as string | undefined) as LeadOrderField | undefined,
        direction: upper(q.sort as string | undefined) as SortDirection | undefined,
      }),
      respond: (d, { query: q }) => pageOf(d.leads.nodes.map(leadOut), d.leads.totalCount, windowOf(q).skip, windowOf(q).limit),
      response: pageSchema(leadSchema),
    }),
    route({
      method: 'post',
      path: `${V1}/leads`,
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
      path: `${V1}/leads/:lead_id`,
      summary: 'A lead you may see',
      resource: 'Lead',
      operation: LeadDocument,
      variables: ({ params }) => ({ id: params.lead_id }),
      respond: (d) => (d.lead ? leadOut(d.lead) : null),
      response: leadSchema,
    }),
    route({
      method: 'put',
      path: `${V1}/leads/:lead_id`,
      summary: 'Update a lead (the fields given)',
      resource: 'Lead',
      operation: UpdateLeadDocument,
      body: leadBody.schema(),
      variables: ({ params, body }) => ({ id: params.lead_id, input: leadBody.input(body) }),
      respond: (d) => leadOut(d.updateLead),
      response: leadSchema,
    }),
    route({
      method: 'delete',
      path: `${V1}/leads/:lead_id`,
      summary: 'Delete a lead with its conversation and history (admins only)',
      resource: 'Lead',
      operation: DeleteLeadDocument,
      variables: ({ params }) => ({ id: params.lead_id }),
      respond: () => undefined,
    }),
    ...crmRoutes,
  ],
};

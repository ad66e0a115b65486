/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access --
   Request bodies are checked against each route's JSON Schema at run time (validate.ts), not typed
   (RestRequest['body']), so the route tables map `any` fields onto variables. */
import {
  ActiveCallsDocument,
  AnswerCallActionDocument,
  AvailableUsersDocument,
  EndCallActionDocument,
  HoldCallActionDocument,
  TransferCallActionDocument,
  UpdateCallNotesActionDocument,
  CallDetailDocument,
  CallListDocument,
  CallStatisticsOverviewDocument,
  CompanyByPhoneDocument,
  CreateCallDocument,
  UpdateCallDocument,
  UserCallStatisticsListDocument,
  UserPhonesDocument,
  type ActiveCallsQuery,
  type CallDetailQuery,
  type CallFieldsFragment,
} from '../generated/graphql.js';
import { AnswerAction, CallPriority, CallStatus, PresenceStatus, StatisticsPeriod } from '../generated/enums.js';
import { route, type JsonSchema, type RestApi, type RestError } from './route.js';
import { dateBound, dateTime, idArg, legacyValues, lower, nullableString, positiveInteger, refId, upper } from './shapes.js';
import { callCreateBody, callUpdateBody } from './shared.js';

/** Seed 002 (call CRM), `/api`: `{success: true, data[, pagination]}` bodies, `{success: false, error: {code, message, details}}` errors, 400 for invalid input. */
const API = '/api';

const STATUSES = legacyValues(CallStatus);
const PRIORITIES = legacyValues(CallPriority);
const PERIODS = legacyValues(StatisticsPeriod);
const PRESENCE = legacyValues(PresenceStatus);

/** Our error codes → the seed's (CALL_NOT_FOUND from the route's resource); the rest keep their names. */
const ERROR_CODES: Record<string, string> = {
  BAD_USER_INPUT: 'VALIDATION_ERROR',
  GRAPHQL_VALIDATION_FAILED: 'VALIDATION_ERROR',
  BAD_REQUEST: 'VALIDATION_ERROR',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_ERROR',
};
const errorCodeOf = ({ code, resource }: RestError) =>
  code === 'NOT_FOUND' && resource
    ? `${resource.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}_NOT_FOUND`
    : (ERROR_CODES[code] ?? code);
/** The seed documents `details` as an object: lists of problems go under `fields`. */
const detailsOf = (details: unknown) =>
  details === undefined || details === null ? {} : Array.isArray(details) ? { fields: details } : details;

const id: JsonSchema = { type: 'integer', example: 1 };
const nullableId: JsonSchema = { type: 'integer', nullable: true };

/** A call as the list (and POST/PUT) shows it: ids of the people and company, tags as an array. */
export function callItem(c: CallFieldsFragment) {
  return {
    id: Number(c.id),
    caller_number: c.callerNumber,
    receiver_number: c.receiverNumber,
    status: lower(c.status),
    accepted_at: c.acceptedAt,
    answered_at: c.answeredAt,
    ended_at: c.endedAt,
    duration: c.duration,
    notes: c.notes,
    assigned_user_id: refId(c.assignedUser),
    answered_by_user_id: refId(c.answeredBy),
    caller_company_id: refId(c.callerCompany),
    customer_name: c.customerName,
    company: c.customerCompany,
    email: c.customerEmail,
    call_purpose: c.purpose,
    priority: lower(c.priority),
    is_on_hold: c.isOnHold,
    tags: c.tags,
  };
}
const callItemSchema: JsonSchema = {
  type: 'object',
  properties: {
    id,
    caller_number: { type: 'string', example: '+7 (495) 123-45-67' },
    receiver_number: nullableString,
    status: { type: 'string', enum: STATUSES },
    accepted_at: dateTime,
    answered_at: dateTime,
    ended_at: dateTime,
    duration: { type: 'integer', nullable: true, description: 'Seconds' },
    notes: nullableString,
    assigned_user_id: nullableId,
    answered_by_user_id: nullableId,
    caller_company_id: nullableId,
    customer_name: nullableString,
    company: nullableString,
    email: nullableString,
    call_purpose: nullableString,
    priority: { type: 'string', enum: PRIORITIES },
    is_on_hold: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
  },
};

/** The detailed call: names of the people (from identity, through federation) and the company, tags comma-joined. */
function callDetail(c: NonNullable<CallDetailQuery['call']>) {
  return {
    id: Number(c.id),
    caller_number: c.callerNumber,
    receiver_number: c.receiverNumber,
    status: lower(c.status),
    accepted_at: c.acceptedAt,
    answered_at: c.answeredAt,
    ended_at: c.endedAt,
    duration: c.duration,
    notes: c.notes,
    assigned_user_first_name: c.assignedUser?.firstName ?? null,
    assigned_user_last_name: c.assignedUser?.lastName ?? null,
    answered_user_first_name: c.answeredBy?.firstName ?? null,
    answered_user_last_name: c.answeredBy?.lastName ?? null,
    caller_company_name: c.callerCompany?.name ?? null,
    caller_company_inn: c.callerCompany?.inn ?? null,
    customer_name: c.customerName,
    customer_company: c.customerCompany,
    customer_email: c.customerEmail,
    customer_phone: c.customerPhone,
    call_purpose: c.purpose,
    priority: lower(c.priority),
    follow_up_date: c.followUpDate,
    outcome: c.outcome,
    recording_url: c.recordingUrl,
    tags: c.tags.join(', '),
    transfer_count: c.transferCount,
  };
}
const callDetailSchema: JsonSchema = {
  type: 'object',
  properties: {
    id,
    caller_number: { type: 'string' },
    receiver_number: nullableString,
    status: { type: 'string', enum: STATUSES },
    accepted_at: dateTime,
    answered_at: dateTime,
    ended_at: dateTime,
    duration: { type: 'integer', nullable: true },
    notes: nullableString,
    assigned_user_first_name: nullableString,
    assigned_user_last_name: nullableString,
    answered_user_first_name: nullableString,
    answered_user_last_name: nullableString,
    caller_company_name: nullableString,
    caller_company_inn: nullableString,
    customer_name: nullableString,
    customer_company: nullableString,
    customer_email: nullableString,
    customer_phone: nullableString,
    call_purpose: nullableString,
    priority: { type: 'string', enum: PRIORITIES },
    follow_up_date: dateTime,
    outcome: nullableString,
    recording_url: nullableString,
    tags: { type: 'string', example: 'новый клиент, продажи, встреча' },
    transfer_count: { type: 'integer' },
  },
};

export function activeCall(c: ActiveCallsQuery['activeCalls'][number]) {
  return {
    id: Number(c.id),
    caller_number: c.callerNumber,
    receiver_number: c.receiverNumber,
    status: lower(c.status),
    started_at: c.startedAt,
    channel_id: c.channelId,
    is_muted: c.isMuted,
    is_speaker_on: c.isSpeakerOn,
    is_on_hold: c.isOnHold,
    assigned_user_first_name: c.assignedUser?.firstName ?? null,
    assigned_user_last_name: c.assignedUser?.lastName ?? null,
  };
}
const activeCallSchema: JsonSchema = {
  type: 'object',
  properties: {
    id,
    caller_number: { type: 'string' },
    receiver_number: nullableString,
    status: { type: 'string', enum: [CallStatus.Incoming, CallStatus.Accepted].map(lower) },
    started_at: { type: 'string', format: 'date-time' },
    channel_id: { ...nullableString, example: 'SIP/1001-00000001' },
    is_muted: { type: 'boolean' },
    is_speaker_on: { type: 'boolean' },
    is_on_hold: { type: 'boolean' },
    assigned_user_first_name: nullableString,
    assigned_user_last_name: nullableString,
  },
};

/** `date_from`/`date_to`/`userId` → GraphQL filter arguments. */
const periodVariables = (q: Record<string, unknown>) => ({
  from: dateBound(q.date_from, 'from'),
  to: dateBound(q.date_to, 'to'),
  userId: idArg(q.userId),
});
const statisticsQuery = {
  period: { type: 'string', enum: PERIODS, description: 'Ignored when date_from/date_to are given; default today' },
  date_from: { type: 'string', description: 'ISO date-time, or a date (from its start)' },
  date_to: { type: 'string', description: 'ISO date-time, or a date (up to its end)' },
  userId: { ...positiveInteger, description: 'Only this user’s calls (plain users always see their own)' },
} satisfies Record<string, JsonSchema>;
const statisticsVariables = (q: Record<string, unknown>) => ({
  period: upper(q.period as string | undefined) as StatisticsPeriod | undefined,
  ...periodVariables(q),
});

/** Seed 002 posts fewer fields of a new call, and names three of a call's details its own way. */
const createBody = callCreateBody.pick('callerNumber', 'receiverNumber', 'channelId', 'assignedUserId', 'callerCompanyId');
const updateBody = callUpdateBody.renamed({ customerCompany: 'company', customerEmail: 'email', purpose: 'call_purpose' });

export const seed002: RestApi = {
  seed: '002-call-crm',
  title: 'Call CRM',
  validationStatus: 400,
  success: (data, meta) => ({ success: true, data, ...meta }),
  error: (error) => ({ success: false, error: { code: errorCodeOf(error), message: error.message, details: detailsOf(error.details) } }),
  errorSchema: {
    type: 'object',
    properties: {
      success: { type: 'boolean', example: false },
      error: {
        type: 'object',
        properties: { code: { type: 'string', example: 'CALL_NOT_FOUND' }, message: { type: 'string' }, details: { type: 'object' } },
        required: ['code', 'message'],
      },
    },
    required: ['success', 'error'],
  },
  routes: [
    route({
      method: 'get',
      path: `${API}/calls`,
      summary: 'Calls you may see, newest first (plain users: their own), filtered and paged',
      operation: CallListDocument,
      query: {
        page: { type: 'integer', minimum: 1 },
        limit: { type: 'integer', minimum: 1, maximum: 200 },
        status: { type: 'string', enum: STATUSES },
        search: { type: 'string', description: 'Phone numbers, customer name or notes' },
        date_from: { type: 'string', description: 'ISO date-time, or a date (from its start)' },
        date_to: { type: 'string', description: 'ISO date-time, or a date (up to its end)' },
        userId: { ...positiveInteger, description: 'Calls assigned to or answered by this user' },
      },
      variables: ({ query: q }) => {
        const page = (q.page as number) ?? 1;
        const limit = (q.limit as number) ?? 50;
        return {
          offset: (page - 1) * limit,
          first: limit,
          status: upper(q.status as string | undefined) as CallStatus | undefined,
          search: q.search as string | undefined,
          ...periodVariables(q),
        };
      },
      respond: (d) => d.calls.nodes.map(callItem),
      meta: (d, { query: q }) => {
        const page = (q.page as number) ?? 1;
        const limit = (q.limit as number) ?? 50;
        return { pagination: { page, limit, total: d.calls.totalCount, pages: Math.ceil(d.calls.totalCount / limit) } };
      },
      response: { type: 'array', items: callItemSchema },
      metaSchema: {
        pagination: {
          type: 'object',
          properties: { page: { type: 'integer' }, limit: { type: 'integer' }, total: { type: 'integer' }, pages: { type: 'integer' } },
        },
      },
    }),
    // Before /calls/:id, which would take "active" for an id.
    route({
      method: 'get',
      path: `${API}/calls/active`,
      summary: 'Calls ringing or in progress now, oldest first',
      operation: ActiveCallsDocument,
      query: { userId: { ...positiveInteger, description: 'Calls assigned to or answered by this user' } },
      variables: ({ query: q }) => ({ userId: idArg(q.userId) }),
      respond: (d) => d.activeCalls.map(activeCall),
      response: { type: 'array', items: activeCallSchema },
    }),
    route({
      method: 'get',
      path: `${API}/calls/:id`,
      summary: 'A call in detail, with the names of its people and company',
      resource: 'Call',
      operation: CallDetailDocument,
      variables: ({ params }) => ({ id: params.id }),
      respond: (d) => (d.call ? callDetail(d.call) : null),
      response: callDetailSchema,
    }),
    route({
      method: 'post',
      path: `${API}/calls`,
      summary: 'Register an incoming call (usually the telephony integration does)',
      status: 201,
      operation: CreateCallDocument,
      body: createBody.schema(['callerNumber']),
      variables: ({ body }) => ({ input: createBody.input(body) }),
      respond: (d) => callItem(d.createCall),
      response: callItemSchema,
    }),
    route({
      method: 'put',
      path: `${API}/calls/:id`,
      summary: 'Update the details of a call (notes, customer, outcome…)',
      resource: 'Call',
      operation: UpdateCallDocument,
      body: updateBody.schema(),
      variables: ({ params, body }) => ({ id: params.id, input: updateBody.input(body) }),
      respond: (d) => callItem(d.updateCall),
      response: callItemSchema,
    }),
    // The seed's socket actions (answer-call, end-call, hold-call, transfer-call, update-call-notes) as
    // `POST /api/calls/:id/<action>` with the same payloads, for clients without a realtime connection.
    route({
      method: 'post',
      path: `${API}/calls/:id/answer`,
      summary: 'Accept or reject a ringing call (409 when it no longer rings)',
      resource: 'Call',
      operation: AnswerCallActionDocument,
      body: {
        type: 'object',
        properties: {
          action: { type: 'string', enum: legacyValues(AnswerAction) },
          initialData: {
            type: 'object',
            properties: { customerName: nullableString, company: nullableString, quickNotes: nullableString },
          },
        },
      },
      variables: ({ params, body: b }) => ({
        id: params.id,
        input: {
          action: (upper(b.action) as AnswerAction | undefined) ?? AnswerAction.Accept,
          customerName: b.initialData?.customerName,
          customerCompany: b.initialData?.company,
          quickNotes: b.initialData?.quickNotes,
        },
      }),
      respond: (d) => callItem(d.answerCall),
      response: callItemSchema,
    }),
    route({
      method: 'post',
      path: `${API}/calls/:id/end`,
      summary: 'End an answered call (409 when it is not in progress)',
      resource: 'Call',
      operation: EndCallActionDocument,
      body: { type: 'object', properties: { outcome: nullableString } },
      variables: ({ params, body: b }) => ({ id: params.id, outcome: b.outcome ?? null }),
      respond: (d) => callItem(d.endCall),
      response: callItemSchema,
    }),
    route({
      method: 'post',
      path: `${API}/calls/:id/hold`,
      summary: 'Put a call on hold or resume it',
      resource: 'Call',
      operation: HoldCallActionDocument,
      body: { type: 'object', properties: { isHold: { type: 'boolean' } }, required: ['isHold'] },
      variables: ({ params, body: b }) => ({ id: params.id, hold: b.isHold }),
      respond: (d) => callItem(d.holdCall),
      response: callItemSchema,
    }),
    route({
      method: 'post',
      path: `${API}/calls/:id/transfer`,
      summary: 'Transfer a call to an online colleague',
      resource: 'Call',
      operation: TransferCallActionDocument,
      body: { type: 'object', properties: { targetUserId: id, transferReason: nullableString }, required: ['targetUserId'] },
      variables: ({ params, body: b }) => ({
        id: params.id,
        input: { targetUserId: String(b.targetUserId), reason: b.transferReason ?? undefined },
      }),
      respond: (d) => callItem(d.transferCall),
      response: callItemSchema,
    }),
    route({
      method: 'post',
      path: `${API}/calls/:id/notes`,
      summary: 'Replace the notes of a call',
      resource: 'Call',
      operation: UpdateCallNotesActionDocument,
      body: { type: 'object', properties: { notes: { type: 'string' } }, required: ['notes'] },
      variables: ({ params, body: b }) => ({ id: params.id, notes: b.notes }),
      respond: (d) => callItem(d.updateCallNotes),
      response: callItemSchema,
    }),
    route({
      method: 'get',
      path: `${API}/users/available`,
      summary: 'Colleagues online now, who can take a transferred call',
      operation: AvailableUsersDocument,
      respond: (d) =>
        d.availableUsers.map((u) => ({ id: Number(u.id), first_name: u.firstName, last_name: u.lastName, status: lower(u.status) })),
      response: {
        type: 'array',
        items: {
          type: 'object',
          properties: { id, first_name: nullableString, last_name: nullableString, status: { type: 'string', enum: PRESENCE } },
        },
      },
    }),
    route({
      method: 'get',
      path: `${API}/users/:id/phones`,
      summary: 'The phones of a user of your organization',
      resource: 'User',
      operation: UserPhonesDocument,
      variables: ({ params }) => ({ id: params.id }),
      respond: (d) =>
        d.user?.phones.map((p) => ({ id: Number(p.id), phone_number: p.phoneNumber, phone_type: p.phoneType, is_primary: p.isPrimary })) ??
        null,
      response: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id,
            phone_number: { type: 'string' },
            phone_type: { type: 'string', example: 'work' },
            is_primary: { type: 'boolean' },
          },
        },
      },
    }),
    route({
      method: 'get',
      path: `${API}/companies/by-phone/:phone`,
      summary: 'The company a phone number belongs to (any common notation matches)',
      resource: 'Company',
      operation: CompanyByPhoneDocument,
      variables: ({ params }) => ({ phone: params.phone }),
      respond: ({ companyByPhone: c }) =>
        c && {
          id: Number(c.id),
          name_companies: c.name,
          inn: c.inn,
          status_companies: c.status,
          phone_numbers: c.phones.map((p) => ({ phone_number: p.phoneNumber, phone_type: p.phoneType, contact_person: p.contactPerson })),
        },
      response: {
        type: 'object',
        properties: {
          id,
          name_companies: { type: 'string' },
          inn: nullableString,
          status_companies: { type: 'string', example: 'active' },
          phone_numbers: {
            type: 'array',
            items: {
              type: 'object',
              properties: { phone_number: { type: 'string' }, phone_type: { type: 'string' }, contact_person: nullableString },
            },
          },
        },
      },
    }),
    route({
      method: 'get',
      path: `${API}/statistics/overview`,
      summary: 'Call totals for a period (plain users: their own calls)',
      operation: CallStatisticsOverviewDocument,
      query: statisticsQuery,
      variables: ({ query: q }) => statisticsVariables(q),
      respond: ({ callStatistics: s }) => ({
        total_calls: s.totalCalls,
        accepted_calls: s.acceptedCalls,
        rejected_calls: s.rejectedCalls,
        missed_calls: s.missedCalls,
        active_calls: s.activeCalls,
        avg_duration: s.avgDuration,
        total_duration: s.totalDuration,
        conversion_rate: s.conversionRate,
        total_hold_time: s.totalHoldTime,
        transfer_count: s.transferCount,
      }),
      response: {
        type: 'object',
        properties: {
          total_calls: { type: 'integer' },
          accepted_calls: { type: 'integer' },
          rejected_calls: { type: 'integer' },
          missed_calls: { type: 'integer' },
          active_calls: { type: 'integer' },
          avg_duration: { type: 'integer' },
          total_duration: { type: 'integer' },
          conversion_rate: { type: 'number', example: 0.8 },
          total_hold_time: { type: 'integer' },
          transfer_count: { type: 'integer' },
        },
      },
    }),
    route({
      method: 'get',
      path: `${API}/statistics/users`,
      summary: 'Call totals per user for a period (default today), busiest first',
      operation: UserCallStatisticsListDocument,
      query: statisticsQuery,
      variables: ({ query: q }) => statisticsVariables(q),
      respond: (d) =>
        d.userCallStatistics.map((s) => ({
          user_id: Number(s.user.id),
          first_name: s.user.firstName,
          last_name: s.user.lastName,
          total_calls: s.totalCalls,
          accepted_calls: s.acceptedCalls,
          rejected_calls: s.rejectedCalls,
          missed_calls: s.missedCalls,
          avg_duration: s.avgDuration,
          total_duration: s.totalDuration,
        })),
      response: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            user_id: id,
            first_name: nullableString,
            last_name: nullableString,
            total_calls: { type: 'integer' },
            accepted_calls: { type: 'integer' },
            rejected_calls: { type: 'integer' },
            missed_calls: { type: 'integer' },
            avg_duration: { type: 'integer' },
            total_duration: { type: 'integer' },
          },
        },
      },
    }),
  ],
};

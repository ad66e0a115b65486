import { ErrorCode } from '@salesgraph/platform';
import { CallPriority } from '../generated/enums.js';
import {
  MeDocument,
  UpdateProfileDocument,
  type CreateCallInput,
  type CreateLeadOutcomeFragment,
  type LeadFieldsFragment,
  type UpdateCallInput,
} from '../generated/graphql.js';
import { BodyMapping } from './body.js';
import { failure, reply, route, type JsonSchema } from './route.js';
import { dateTime, idArg, legacyValues, nullableString, positiveInteger, profileBody, upper, userOut, userSchema } from './shapes.js';

// What more than one seed serves alike, written once; each seed's table lists these among its own routes.

/** The signed-in user, at each path a seed serves it. */
export const meRoute = (path: string, summary: string) =>
  route({ method: 'get', path, summary, operation: MeDocument, respond: (d) => userOut(d.me), response: userSchema });

/** GET and PUT of the signed-in user's profile (seed 000 `/users/me`, seed 004 `/profile`). */
export const profileRoutes = (path: string) => [
  meRoute(path, "The current user's profile"),
  route({
    method: 'put',
    path,
    summary: "Update the current user's profile",
    operation: UpdateProfileDocument,
    body: profileBody.schema(),
    variables: ({ body }) => ({ input: profileBody.input(body) }),
    respond: (d) => userOut(d.updateProfile),
    response: userSchema,
  }),
];

const nullableId = { ...positiveInteger, nullable: true };
const priority = { schema: { type: 'string', enum: legacyValues(CallPriority) }, convert: upper } as const;

/** A call to register, as seed 000 posts it; seed 002 posts the first five fields. */
export const callCreateBody = new BodyMapping<CreateCallInput>({
  callerNumber: { schema: { type: 'string', example: '+7 (495) 123-45-67' } },
  receiverNumber: { schema: nullableString },
  channelId: { schema: nullableString },
  assignedUserId: { schema: nullableId, convert: idArg },
  callerCompanyId: { schema: nullableId, convert: idArg },
  customerName: { schema: nullableString },
  purpose: { schema: nullableString },
  priority,
  externalId: { schema: { type: 'string', nullable: true, description: 'Idempotency key, e.g. the PBX event id' } },
});

/** The details of a call a client may change, as seed 000 names them (seed 002 renames three). */
export const callUpdateBody = new BodyMapping<UpdateCallInput>({
  notes: { schema: nullableString },
  customerName: { schema: nullableString },
  customerCompany: { schema: nullableString },
  customerEmail: { schema: nullableString },
  customerPhone: { schema: nullableString },
  purpose: { schema: nullableString },
  priority,
  followUpDate: { schema: dateTime },
  outcome: { schema: nullableString },
  recordingUrl: { schema: nullableString },
  tags: { schema: { type: 'array', items: { type: 'string' } } },
  isMuted: { schema: { type: 'boolean' } },
  isSpeakerOn: { schema: { type: 'boolean' } },
});

/**
 * `createLead`'s answer as seeds 000 and 001 give it: the new lead (the route's status), the existing lead it
 * was merged into (200), or 409 naming the lead of the organization with the same phone or e-mail.
 */
export function createdLead(outcome: CreateLeadOutcomeFragment, out: (lead: LeadFieldsFragment) => unknown) {
  if (outcome.__typename === 'DuplicateLead')
    return failure({
      status: 409,
      code: ErrorCode.Conflict,
      message: `A lead with this ${outcome.matchedOn.join(' and ')} already exists`,
      extra: { existing_id: outcome.existing.id, matched_on: outcome.matchedOn },
    });
  return outcome.merged ? reply(200, out(outcome)) : out(outcome);
}

/** The 409 body of a duplicate lead, for the OpenAPI document. */
export const duplicateLeadSchema: JsonSchema = {
  type: 'object',
  properties: {
    detail: { type: 'string' },
    existing_id: { type: 'string', format: 'uuid' },
    matched_on: { type: 'array', items: { type: 'string', enum: ['phone', 'email'] } },
  },
};

export const duplicateResponses = {
  200: 'With merge=true: the existing lead with the same phone or e-mail, updated',
  409: 'A lead of the organization has this phone or e-mail: `{detail, existing_id, matched_on}`',
};

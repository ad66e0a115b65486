import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { UploadVariable } from '@salesgraph/platform';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A JSON Schema (the subset the route tables use); it documents the route and checks the request. */
export interface JsonSchema {
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: readonly (string | number)[];
  format?: string;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
  description?: string;
  example?: unknown;
  additionalProperties?: boolean | JsonSchema;
}

/** What a route's mapping functions see of the HTTP request, already parsed and checked against its schemas. */
export interface RestRequest {
  params: Record<string, string>;
  query: Record<string, unknown>;
  /** Checked against the route's `body` schema (validate.ts) before the route sees it; that schema, not a TypeScript type, describes it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- typed by the route's JSON Schema at run time only
  body: Record<string, any>;
  /**
   * The files of the route's `uploads` field, in the order sent, each as the `Upload` variable it becomes;
   * empty for a route without uploads, or a request without files (a JSON body).
   */
  files: UploadVariable[];
}

/**
 * A route that takes files: it reads `multipart/form-data` (or JSON, then without files). The files of `field`
 * become `RestRequest.files`; the other text fields become the body, each coerced to its type in the route's
 * `body` schema (as query parameters are) and checked against it. Each file is within the gateway's upload
 * limit (`GatewayUploads.maxBytes`, 413 naming it); more than `maxFiles`, 413; a file in another field, the
 * seed's validation status.
 */
export interface RestUploads {
  /** The form field of the files, e.g. `file`, `files`, `attachments`. */
  field: string;
  /** The most files the route takes. */
  maxFiles: number;
  /** At least one file must come. @default false */
  required?: boolean;
  /** For the OpenAPI document. */
  description?: string;
}

/**
 * One documented URL: which GraphQL operation it runs and how its JSON maps to variables and back.
 * The mapping functions only rename and reshape; every rule lives behind the GraphQL operation.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- `RestRoute` alone is a route of any operation (RestApi.routes); TypeScript has no existential types
export interface RestRoute<TData = any, TVariables = any> {
  method: HttpMethod;
  /** Express-style path, e.g. `/api/v1/users/:user_id`. */
  path: string;
  summary: string;
  operation: TypedDocumentNode<TData, TVariables>;
  variables?: (request: RestRequest) => TVariables;
  /**
   * The documented response body; `undefined` answers 204 No Content, `null` 404 (see `resource`); a `reply(…)`
   * answers another status than `status`, a `failure(…)` an error in the seed's shape (e.g. 409 for a duplicate).
   */
  respond: (data: TData, request: RestRequest) => unknown;
  /** Members of the success envelope beside the body, e.g. seed 002's `pagination` (APIs with `success` only). */
  meta?: (data: TData, request: RestRequest) => Record<string, unknown>;
  /** Schemas of the `meta` members, for the OpenAPI document. */
  metaSchema?: Record<string, JsonSchema>;
  /** @default 200 */
  status?: number;
  /** Query parameters (all optional unless `required`); values are coerced to the schema's type. */
  query?: Record<string, JsonSchema & { required?: boolean }>;
  body?: JsonSchema;
  /** The route takes files, in the multipart field it names (see `RestUploads`). */
  uploads?: RestUploads;
  /** Response schema, for the OpenAPI document. */
  response?: JsonSchema;
  /** Further answers `respond` may give (`failure`, `reply`), for the OpenAPI document: status → description. */
  otherResponses?: Record<number, string>;
  /** What the route's 404 is about, e.g. "User": named in the message when `respond` finds nothing, and passed to `RestApi.error`. */
  resource?: string;
  /**
   * The path parameter that names the caller's organization (seed 003's `{orgId}`): any other value, another
   * organization's id or a malformed one, answers 404 (resource `Organization`) before the request is read.
   */
  organization?: string;
  /**
   * A query parameter that, when given, names the caller's organization (seed 003's support `?orgId=`): any
   * other value answers 404 as `organization` does; leaving it out is fine.
   */
  organizationQuery?: string;
}

/** An error a REST door renders in its seed's error shape. */
export interface RestError {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  /** The route's `resource`, when it has one (seed 002 names NOT_FOUND codes after it: CALL_NOT_FOUND). */
  resource?: string;
  /** Seconds to wait, sent as `Retry-After` (429). */
  retryAfter?: number;
  /** Members of the error body beside the seed's own, e.g. a duplicate's `existing_id` (seeds with `{detail}` errors). */
  extra?: Record<string, unknown>;
}

/** One legacy API: its routes, and the envelope its clients expect. */
export interface RestApi {
  /** e.g. `000-ai-sales-assistant` */
  seed: string;
  title: string;
  routes: RestRoute[];
  /** Wraps a successful result (seed 002 wraps in `{success, data}` plus the route's `meta`; others return it as is). */
  success?: (body: unknown, meta?: Record<string, unknown>) => unknown;
  error: (error: RestError) => unknown;
  /** Status for invalid input: FastAPI-based seeds answer 422, others 400. */
  validationStatus: number;
  /** JSON Schema of the error body, for the OpenAPI document. */
  errorSchema: JsonSchema;
}

/** Declares a route with its data and variable types inferred from the operation. */
export const route = <TData, TVariables>(r: RestRoute<TData, TVariables>): RestRoute<TData, TVariables> => r;

/** A success body with another status than the route's (e.g. 200 where a creation merged into an existing row). */
export class RestReply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}
export const reply = (status: number, body: unknown) => new RestReply(status, body);

/** An error `respond` found in the operation's data (a union's failure member), rendered in the seed's error shape. */
export class RestFailure {
  constructor(readonly error: Omit<RestError, 'resource'>) {}
}
export const failure = (error: Omit<RestError, 'resource'>) => new RestFailure(error);

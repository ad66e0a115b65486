import { SOCKET_IO_DOCS_PATH } from '../socket-io/docs.js';
import { SOCKET_IO_PATH } from '../socket-io/server.js';
import type { HttpRoute, HttpRouteDocs } from '@salesgraph/platform';
import type { JsonSchema, RestApi, RestRoute } from './route.js';
import type { FieldAccess } from './access.js';
import { Kind } from 'graphql';
import { VERSION } from '../health.js';

type Schema = Record<string, unknown>;

/** JSON Schema (with our `nullable`) → OpenAPI 3.1 schema (type arrays). */
function toOpenApi(schema: JsonSchema): Schema {
  const { nullable, properties, items, additionalProperties, ...rest } = schema;
  const out: Schema = { ...rest };
  if (nullable && schema.type) out.type = [schema.type, 'null'];
  if (properties) out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, toOpenApi(v)]));
  if (items) out.items = toOpenApi(items);
  if (typeof additionalProperties === 'object') out.additionalProperties = toOpenApi(additionalProperties);
  return out;
}

const openApiPath = (path: string) => path.replace(/:([a-zA-Z_]+)/g, '{$1}');

function operationOf(api: RestApi, route: RestRoute, access: FieldAccess): Schema {
  const params = [...route.path.matchAll(/:([a-zA-Z_]+)/g)].map(([, name]) =>
    name === route.organization
      ? {
          name,
          in: 'path',
          required: true,
          description: "Your organization's id; any other (another organization's, or not a UUID) answers 404",
          schema: { type: 'string', format: 'uuid' },
        }
      : { name, in: 'path', required: true, schema: { type: 'string' } },
  );
  const query = Object.entries(route.query ?? {}).map(([name, { required, ...schema }]) => ({
    name,
    in: 'query',
    required: !!required,
    schema: toOpenApi(schema),
  }));
  const success = route.response
    ? {
        content: {
          'application/json': {
            schema: toOpenApi(
              api.success
                ? { type: 'object', properties: { success: { type: 'boolean' }, data: route.response, ...route.metaSchema } }
                : route.response,
            ),
          },
        },
      }
    : {};
  const error = { content: { 'application/json': { schema: toOpenApi(api.errorSchema) } } };
  return {
    tags: [api.title],
    summary: route.summary,
    operationId: `${route.operation.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)?.name?.value ?? 'op'}_${route.method}_${openApiPath(route.path).replace(/[^a-zA-Z0-9]+/g, '_')}`,
    parameters: [...params, ...query],
    ...requestBodyOf(route),
    // Callable without credentials exactly when the route's operation is.
    ...(access.of(route.operation) ? {} : { security: [] }),
    responses: {
      [String(route.status ?? 200)]: { description: 'Success', ...success },
      '401': { description: 'Not authenticated', ...error },
      '403': { description: 'Not allowed', ...error },
      '404': { description: 'Not found', ...error },
      [String(api.validationStatus)]: { description: 'Invalid input', ...error },
      ...Object.fromEntries(
        Object.entries(route.otherResponses ?? {}).map(([status, description]) => [
          status,
          { description, ...(Number(status) >= 400 ? error : success) },
        ]),
      ),
      ...(route.uploads && {
        '408': { description: 'The upload did not arrive in time', ...error },
        '413': { description: 'A file over the upload limit, or more files than the route takes', ...error },
      }),
      '429': { description: 'Too many requests', ...error },
    },
  };
}

/** JSON, or for a route that takes files a multipart form (its files and the body's fields) or JSON without files. */
function requestBodyOf(route: RestRoute): Schema {
  const json = route.body && { 'application/json': { schema: toOpenApi(route.body) } };
  if (!route.uploads) return json ? { requestBody: { required: true, content: json } } : {};
  const { field, maxFiles, required, description } = route.uploads;
  const file = { type: 'string', format: 'binary' };
  const files = maxFiles > 1 ? { type: 'array', items: file, maxItems: maxFiles, description } : { ...file, description };
  const form = {
    type: 'object',
    properties: { ...(route.body && (toOpenApi(route.body).properties as Schema)), [field]: files },
    ...(required && { required: [field] }),
  };
  return { requestBody: { required: true, content: { 'multipart/form-data': { schema: form }, ...(!required && json) } } };
}

/** The OpenAPI 3.1 document of every REST route, generated from the route tables. */
export function openApiDocument(apis: RestApi[], access: FieldAccess, declared: HttpRoute[] = []): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const api of apis) {
    for (const route of api.routes) {
      (paths[openApiPath(route.path)] ??= {})[route.method] = operationOf(api, route, access);
    }
  }
  const declaredTags = new Set<string>();
  for (const route of declared) {
    if (!route.docs) continue;
    declaredTags.add(route.docs.tag);
    (paths[openApiPath(route.path)] ??= {})[route.method] = declaredOperationOf(route, route.docs);
  }
  paths['/health'] = {
    get: {
      tags: ['Health'],
      summary: 'Service and database state (seed 004)',
      security: [],
      responses: { '200': { description: 'Healthy' }, '503': { description: 'Unhealthy' } },
    },
  };
  paths['/api/health'] = {
    get: {
      tags: ['Health'],
      summary: 'Service and database state (seed 001)',
      security: [],
      responses: { '200': { description: 'Healthy' }, '503': { description: 'Unhealthy' } },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Salesgraph REST compatibility API',
      version: VERSION,
      description:
        'The legacy URLs of the five replaced products, each answered by a GraphQL operation of the supergraph. ' +
        `Seed 002's realtime events (authenticate, answer-call, end-call, hold-call, transfer-call, update-call-notes; incoming-call, ` +
        `call-answered, call-ended, active-calls, call-notes-updated, call-hold-changed, incoming-transfer, transfer-initiated) ` +
        `are served over Socket.IO at ${SOCKET_IO_PATH}: see [the Socket.IO events](${SOCKET_IO_DOCS_PATH}).`,
    },
    tags: [...apis.map((a) => ({ name: a.title, description: `Seed ${a.seed}` })), ...[...declaredTags].map((name) => ({ name }))],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token, or an API key (sgk_…)' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths,
  };
}

/** A subgraph's declared route as the OpenAPI operation its `docs` describe. */
function declaredOperationOf(route: HttpRoute, docs: HttpRouteDocs): Schema {
  const responses: Record<string, Schema> = {};
  for (const [status, answer] of Object.entries(docs.responses)) {
    responses[status] =
      typeof answer === 'string' ? { description: answer } : { description: answer.description, content: { [answer.contentType]: {} } };
  }
  return {
    tags: [docs.tag],
    summary: docs.summary,
    ...(docs.description ? { description: docs.description } : {}),
    ...(route.authenticated ? {} : { security: [] }),
    ...(docs.parameters ? { parameters: docs.parameters } : {}),
    ...(docs.body ? { requestBody: { required: true, content: { 'application/json': { schema: docs.body } } } } : {}),
    responses,
  };
}

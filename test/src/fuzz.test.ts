import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { graphql, unique } from './support/client.js';
import { loginToken, stack, type Stack } from './support/stack.js';

/**
 * Schema-driven fuzz: every root field of the client API schema and every operation of the REST layer's
 * OpenAPI document gets well-typed hostile input, and no answer may be a 5xx, INTERNAL_SERVER_ERROR or hang.
 * Everything is derived from the two documents, so fields and routes added later are fuzzed without edits.
 */
const API_SCHEMA = new URL('../../schema/api.graphql', import.meta.url);
const REQUEST_TIMEOUT_MS = 15_000;
const CONCURRENCY = 6;
/** Hostile cases per GraphQL root field or REST operation at most (sampled evenly beyond it). */
const MAX_CASES_PER_OPERATION = 130;
/** Requests one actor may send per run: under the per-user limit of 1000 a minute, whatever the window. */
const REQUESTS_PER_ACTOR = 700;
const HUGE = 'x'.repeat(70_000);
/** REST path and query strings travel in the request line, which Node caps at 16 KB with the headers. */
const LONG_URL_PART = 'x'.repeat(8_000);
const INT_EDGES = [0, -1, 2 ** 31 - 1, -(2 ** 31)];
const cursor = (text: string) => Buffer.from(text).toString('base64url');
const FORGED_CURSORS = [
  cursor('offset:99999999999999999999'),
  cursor('offset:2147483647'),
  cursor('offset:-1'),
  cursor('offset:1e9'),
  cursor('garbage'),
  '!!!',
];

type Path = (string | number)[];
interface Case {
  label: string;
  send(actor: Account, client: string): Promise<{ status: number; body: unknown }>;
  /** A non-null position set to null: must be refused as invalid input. */
  expectInvalid?: boolean;
  /** A string exactly as long as its description allows (`at`: accepted as to length), or one longer (`over`: refused). */
  documentedLimit?: 'at' | 'over';
}

/** The (type, id) pairs of rows an organization holds, to aim ids at real rows of one's own and another tenant. */
type Rows = Map<string, string[]>;

const run = unique('fuzz');

/** The limit a String position's description states ("… (at most 200 characters)"). */
const documentedLimitOf = (description: string | null | undefined) => {
  const match = /at most ([\d,]+) characters/i.exec(description ?? '');
  return match ? Number(match[1].replace(/,/g, '')) : undefined;
};
/** `plausible` made `length` characters long, keeping its shape (digits stay a phone number, an e-mail its domain). */
function stretched(plausible: string, length: number): string {
  if (/^[+\d\s()-]+$/.test(plausible)) return plausible.padEnd(length, '0');
  const at = plausible.indexOf('@');
  if (at > 0) return `${plausible.slice(0, at).padEnd(length - (plausible.length - at), 'y')}${plausible.slice(at)}`;
  return plausible.padEnd(length, 'y');
}

/** A plausible value for a string position, by its name, so the other arguments of a case pass validation. */
function plausibleString(name: string): string {
  const n = name.toLowerCase();
  if (n.includes('email')) return `${run}@example.com`;
  if (n.includes('phone') || n.endsWith('number') || n === 'caller' || n === 'callee') return '+7 495 123-45-67';
  if (n.includes('url')) return 'https://example.com/recording.mp3';
  if (n.includes('password')) return 'fuzz password';
  if (n === 'inn') return '7707083893';
  if (n === 'currency') return 'RUB';
  if (n === 'username' || n === 'login') return run;
  return 'fuzz';
}

/** The type an id position points at: `callId` → Call, `targetUserId` → User, `id` of `updateCall` → Call. */
function idTarget(name: string, owner: string, rows: Rows): string | undefined {
  const types = [...rows.keys()].sort((a, b) => b.length - a.length);
  const base = name.replace(/_?id$/i, '').toLowerCase();
  if (base) return types.find((t) => base.endsWith(t.toLowerCase()) || t.toLowerCase().endsWith(base));
  return types.find((t) => owner.toLowerCase().includes(t.toLowerCase()));
}

async function pool<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index], index);
      }
    }),
  );
}

/** At most `max` of `items`, spread evenly, so every kind of case keeps some representatives. */
const sample = <T>(items: T[], max: number) =>
  items.length <= max ? items : Array.from({ length: max }, (_, i) => items[Math.floor((i * items.length) / max)]);

const clone = <T>(value: T): T => structuredClone(value);
/** The objects and arrays the fuzzer builds, walked by path. */
type Walked = Record<string | number, unknown>;

function setAt(target: object, path: Path, value: unknown): void {
  let node = target as Walked;
  for (const key of path.slice(0, -1)) node = node[key] as Walked;
  node[path.at(-1)!] = value;
}

/** `{ __typename id … }` of an object type: its scalar fields, and those of its object fields one level down. */
function selectionOf(type: GraphQLNamedType, depth = 2): string {
  if (!isObjectType(type)) return '';
  const fields = Object.values(type.getFields()).filter((f) => !f.args.some((a) => isNonNullType(a.type)));
  const parts = ['__typename'];
  for (const field of fields) {
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (depth > 1) parts.push(`${field.name} ${selectionOf(named, depth - 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

/** `{ __typename id … }` reaching every id up to three levels down, to learn which rows an organization has. */
function idSelectionOf(type: GraphQLNamedType, depth = 3): string {
  if (!isObjectType(type)) return '';
  const parts = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type))) continue;
    const named = getNamedType(field.type);
    if (field.name === 'id') parts.push('id');
    else if (isObjectType(named) && depth > 1) parts.push(`${field.name} ${idSelectionOf(named, depth - 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

function collectRows(value: unknown, into: Rows): void {
  if (Array.isArray(value)) return value.forEach((v) => collectRows(v, into));
  if (!value || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (typeof record.__typename === 'string' && typeof record.id === 'string') {
    const ids = into.get(record.__typename) ?? [];
    if (!ids.includes(record.id)) ids.push(record.id);
    into.set(record.__typename, ids);
  }
  Object.values(record).forEach((v) => collectRows(v, into));
}

/** The rows an organization's admin sees through every root query that needs no arguments. */
async function rowsOf(url: string, schema: GraphQLSchema, admin: Account): Promise<Rows> {
  const rows: Rows = new Map();
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const selection = idSelectionOf(getNamedType(field.type));
    const result = await graphql(url, `{ ${field.name} ${selection} }`, {}, { token: admin.token });
    collectRows(result.data, rows);
  }
  return rows;
}

/** Rows of every kind the schema can hold, made with ordinary mutations, so ids hit real rows. */
async function seedRows(url: string, admin: Account): Promise<void> {
  const victim = await newMember(url, admin, 'USER');
  const writes: [string, Record<string, unknown>][] = [
    ['mutation($i: CreateCallInput!) { createCall(input: $i) { id } }', { i: { callerNumber: '+7 495 123-45-67' } }],
    [
      'mutation($i: CreateCallInput!) { createCall(input: $i) { id } }',
      { i: { callerNumber: '+7 495 765-43-21', assignedUserId: victim.id } },
    ],
    [
      'mutation($i: CreateCompanyInput!) { createCompany(input: $i) { id } }',
      { i: { name: 'Fuzz LLC', inn: '7707083893', phones: [{ phoneNumber: '+7 495 123-45-67' }] } },
    ],
    ['mutation($i: CreateCallTaskInput!) { createCallTask(input: $i) { id } }', { i: { title: 'Call back' } }],
    ['mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', { i: { name: 'fuzz key' } }],
    [
      'mutation($u: ID!, $i: UserPhoneInput!) { addUserPhone(userId: $u, input: $i) { id } }',
      { u: victim.id, i: { phoneNumber: '+7 900 000-00-00' } },
    ],
    ['mutation($i: CreateTelephonyIntegrationInput!) { createTelephonyIntegration(input: $i) { secret } }', { i: { name: 'Fuzz PBX' } }],
    [
      'mutation($i: CreateForecastInput!) { createForecast(input: $i) { id } }',
      { i: { name: 'Fuzz Q1', periodKind: 'QUARTER', periodStart: '2030-01-01', predictedRevenue: 1000 } },
    ],
  ];
  for (const [query, variables] of writes) {
    const result = await graphql(url, query, variables, { token: admin.token });
    assert.ok(result.data, `${query}: ${JSON.stringify(result.errors)}`);
  }
  const calls = await graphql(url, '{ calls { nodes { id } } }', {}, { token: admin.token });
  const callId = calls.data.calls.nodes[0].id;
  const transcript = await graphql(
    url,
    'mutation($c: ID!) { addTranscriptSegments(callId: $c, input: {segments: [{speaker: "agent", text: "hello", startOffset: 0, endOffset: 1}]}) { id } }',
    { c: callId },
    { token: admin.token },
  );
  assert.ok(transcript.data, JSON.stringify(transcript.errors));
}

/** Builds the hostile GraphQL cases of one root field. */
class GraphQLCases {
  constructor(
    private readonly url: string,
    private readonly own: Rows,
    private readonly foreign: Rows,
  ) {}

  of(operation: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): Case[] {
    const argsBase: Record<string, unknown> = {};
    for (const arg of field.args) {
      if (isNonNullType(arg.type) && arg.defaultValue === undefined) argsBase[arg.name] = this.plausible(arg.type, arg.name, field.name);
    }
    const declarations = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
    const call = field.args.length ? `(${field.args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
    const query = `${operation} Fuzz${declarations ? `(${declarations})` : ''} { ${field.name}${call} ${selectionOf(getNamedType(field.type))} }`;
    const send = (variables: Record<string, unknown>) => async (actor: Account, client: string) => {
      const response = await fetch(`${this.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${actor.token}`, 'x-forwarded-for': client },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      return { status: response.status, body: await response.json() };
    };

    const cases: Case[] = [{ label: `${field.name} plausible`, send: send(argsBase) }];
    const visit = (
      type: GraphQLInputType,
      path: Path,
      name: string,
      description: string | null | undefined,
      base: Record<string, unknown>,
    ) => {
      const at = (label: string, value: unknown, extra: Partial<Case> = {}) => {
        const variables = clone(base);
        setAt(variables, path, value);
        cases.push({ label: `${field.name} ${path.join('.')}=${label}`, send: send(variables), ...extra });
      };
      for (const [label, value] of this.hostile(type, name, field.name))
        at(label, value, { expectInvalid: value === null && isNonNullType(type) });
      const inner = getNullableType(type);
      const limit = documentedLimitOf(description);
      if (isScalarType(inner) && inner.name === 'String' && limit) {
        at(`${limit} chars`, stretched(plausibleString(name), limit), { documentedLimit: 'at' });
        at(`${limit + 1} chars`, stretched(plausibleString(name), limit + 1), { documentedLimit: 'over' });
      } else if (isInputObjectType(inner)) {
        // Fields of an absent optional input are fuzzed inside a plausible one.
        const withObject = clone(base);
        if (!hasAt(withObject, path)) setAt(withObject, path, this.plausible(inner, name, field.name));
        for (const child of Object.values(inner.getFields()))
          visit(child.type, [...path, child.name], child.name, child.description, withObject);
      } else if (isListType(inner)) {
        const withList = clone(base);
        setAt(withList, path, [this.plausible(inner.ofType, name, field.name)]);
        visit(inner.ofType, [...path, 0], name, description, withList);
      }
    };
    for (const arg of field.args) visit(arg.type, [arg.name], arg.name, arg.description, argsBase);
    return cases;
  }

  /** A well-formed value that the position's own checks are likely to accept. */
  plausible(type: GraphQLInputType, name: string, owner: string): unknown {
    const inner = getNullableType(type);
    if (isListType(inner)) return [this.plausible(inner.ofType, name, owner)];
    if (isInputObjectType(inner)) {
      return Object.fromEntries(
        Object.values(inner.getFields())
          .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
          .map((f) => [f.name, this.plausible(f.type, f.name, owner)]),
      );
    }
    if (isEnumType(inner)) return inner.getValues()[0].name;
    switch (inner.name) {
      case 'ID':
        return this.ownId(name, owner) ?? '1';
      case 'Int':
        return 1;
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'DateTimeISO':
        return '2030-01-01T00:00:00.000Z';
      case 'LocalDate':
        return '2030-01-01';
      default:
        return plausibleString(name);
    }
  }

  /** Hostile but well-typed values for one position, by its type (and, for ids and cursors, its name). */
  hostile(type: GraphQLInputType, name: string, owner: string): [string, unknown][] {
    const inner = getNullableType(type);
    const values: [string, unknown][] = [['null', null]];
    if (isListType(inner)) {
      const item = this.plausible(inner.ofType, name, owner);
      values.push(['[]', []], ['1001 items', Array.from({ length: 1001 }, () => clone(item))]);
    } else if (isInputObjectType(inner)) {
      values.push(['{}', {}]);
    } else if (isEnumType(inner)) {
      values.push(...inner.getValues().map((v): [string, unknown] => [v.name, v.name]));
    } else {
      switch (inner.name) {
        case 'ID': {
          const own = this.ownId(name, owner);
          const foreign = this.foreignId(name, owner);
          values.push(
            ...INT_EDGES.map((n): [string, unknown] => [String(n), String(n)]),
            ['20 digits', '99999999999999999999'],
            ['zero uuid', '00000000-0000-0000-0000-000000000000'],
            ['word', 'not-an-id'],
            ['NUL', '1\u0000'],
            ['70k', HUGE],
            ['empty', ''],
          );
          if (own) values.push(['own', own]);
          if (foreign) values.push(['foreign', foreign]);
          break;
        }
        case 'Int':
          values.push(...INT_EDGES.map((n): [string, unknown] => [String(n), n]));
          break;
        case 'Float':
          values.push(['0', 0], ['-1', -1], ['1e308', 1e308], ['-1e308', -1e308]);
          break;
        case 'Boolean':
          values.push(['true', true], ['false', false]);
          break;
        case 'DateTimeISO':
          values.push(['year 1', '0001-01-01T00:00:00Z'], ['year 9999', '9999-12-31T23:59:59Z'], ['epoch', '1970-01-01T00:00:00Z']);
          break;
        case 'LocalDate':
          values.push(
            ['year 1', '0001-01-01'],
            ['year 9999', '9999-12-31'],
            ['no such day', '2030-02-30'],
            ['date-time', '2030-01-01T00:00:00Z'],
          );
          break;
        default:
          values.push(
            ['empty', ''],
            ['blank', '   '],
            ['NUL', '\u0000'],
            ['inner NUL', `${plausibleString(name)}\u0000x`],
            ['70k', HUGE],
            ['emoji', '😀'.repeat(300)],
            ['like', '%_\\'],
          );
          if (/^(after|before|cursor)$/i.test(name))
            values.push(...FORGED_CURSORS.map((c): [string, unknown] => [`cursor ${c.slice(0, 12)}`, c]));
      }
    }
    return values;
  }

  ownId(name: string, owner: string): string | undefined {
    const type = idTarget(name, owner, this.own);
    return type ? this.own.get(type)?.[0] : undefined;
  }

  foreignId(name: string, owner: string): string | undefined {
    const type = idTarget(name, owner, this.foreign);
    return type ? this.foreign.get(type)?.[0] : undefined;
  }
}

function hasAt(target: object, path: Path): boolean {
  let node: unknown = target;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || (node as Walked)[key] === undefined) return false;
    node = (node as Walked)[key];
  }
  return true;
}

interface OpenApiOperation {
  summary?: string;
  parameters?: { name: string; in: 'path' | 'query'; schema: JsonSchema }[];
  /** JSON, or (routes that take files) a multipart form, with JSON too unless a file is required. */
  requestBody?: { content: { 'application/json'?: { schema: JsonSchema }; 'multipart/form-data'?: { schema: JsonSchema } } };
  security?: unknown[];
}
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  example?: unknown;
}

const typeOf = (schema: JsonSchema) => (Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type);

/** Builds the hostile REST cases of one documented operation. */
class RestCases {
  constructor(
    private readonly url: string,
    private readonly own: Rows,
    private readonly foreign: Rows,
  ) {}

  of(method: string, path: string, operation: OpenApiOperation): Case[] {
    const params = operation.parameters ?? [];
    const pathParams = params.filter((p) => p.in === 'path');
    const queryParams = params.filter((p) => p.in === 'query');
    const bodySchema = operation.requestBody?.content['application/json']?.schema;
    // What a path parameter names: the segment before it (`/api/calls/{id}/answer` → call).
    const segments = path.split('/');
    const ownerOf = (param: string) => segments[segments.indexOf(`{${param}}`) - 1]?.replace(/s$/, '') ?? '';
    const plausibleParams = Object.fromEntries(pathParams.map((p) => [p.name, this.plausibleParam(p.name, ownerOf(p.name))]));
    const body = bodySchema ? this.plausible(bodySchema, '') : undefined;

    const send =
      (pathValues: Record<string, string>, query: string, payload: unknown, raw = false) =>
      async (actor: Account, client: string) => {
        const url = `${this.url}${path.replace(/\{(\w+)\}/g, (_, name: string) => pathValues[name])}${query ? `?${query}` : ''}`;
        const response = await fetch(url, {
          method: method.toUpperCase(),
          headers: {
            authorization: `Bearer ${actor.token}`,
            'x-forwarded-for': client,
            ...(payload !== undefined && { 'content-type': 'application/json' }),
          },
          body: payload === undefined ? undefined : raw ? (payload as string) : JSON.stringify(payload),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await response.text();
        return { status: response.status, body: text ? safeJson(text) : undefined };
      };
    const label = `${method.toUpperCase()} ${path}`;
    const cases: Case[] = [{ label: `${label} plausible`, send: send(plausibleParams, '', body) }];

    for (const param of pathParams) {
      const values = ['0', '-1', '2147483648', '99999999999999999999', 'abc', '%00', `1%00`, '%F0%9F%98%80', '%25', LONG_URL_PART];
      const own = this.id(this.own, param.name, ownerOf(param.name));
      const foreign = this.id(this.foreign, param.name, ownerOf(param.name));
      for (const value of [...values, ...(own ? [own] : []), ...(foreign ? [foreign] : [])]) {
        cases.push({
          label: `${label} ${param.name}=${value.slice(0, 24)}`,
          send: send({ ...plausibleParams, [param.name]: value }, '', body),
        });
      }
    }
    for (const param of queryParams) {
      const values = [
        '',
        '%00',
        `a%00b`,
        LONG_URL_PART,
        '-1',
        '0',
        '2147483648',
        '99999999999999999999',
        '1e400',
        'abc',
        'true',
        '2024-13-45',
        ...(param.schema.enum ?? []).map(String),
      ];
      for (const value of values)
        cases.push({ label: `${label} ?${param.name}=${value.slice(0, 24)}`, send: send(plausibleParams, `${param.name}=${value}`, body) });
      cases.push({ label: `${label} ?${param.name} twice`, send: send(plausibleParams, `${param.name}=1&${param.name}=2`, body) });
    }
    if (bodySchema) {
      for (const [what, payload] of [
        ['null', 'null'],
        ['array', '[]'],
        ['string', '"x"'],
        ['number', '42'],
        ['malformed', '{"a": '],
        ['{}', '{}'],
      ] as const) {
        cases.push({ label: `${label} body ${what}`, send: send(plausibleParams, '', payload, true) });
      }
      // Each position is fuzzed inside an otherwise plausible body that holds its parents.
      const visit = (base: object, schema: JsonSchema, at: Path, name: string) => {
        for (const [what, value] of this.hostile(schema)) {
          const payload = clone(base);
          setAt(payload, at, value);
          cases.push({ label: `${label} body.${at.join('.')}=${what}`, send: send(plausibleParams, '', payload) });
        }
        if (typeOf(schema) === 'object') {
          const withObject = clone(base);
          if (!hasAt(withObject, at)) setAt(withObject, at, this.plausible(schema, name));
          for (const [child, childSchema] of Object.entries(schema.properties ?? {})) visit(withObject, childSchema, [...at, child], child);
        } else if (typeOf(schema) === 'array' && schema.items) {
          const withList = clone(base);
          setAt(withList, at, [this.plausible(schema.items, name)]);
          visit(withList, schema.items, [...at, 0], name);
        }
      };
      for (const [name, schema] of Object.entries(bodySchema.properties ?? {})) visit(body as object, schema, [name], name);
    }
    return cases;
  }

  plausible(schema: JsonSchema, name: string): unknown {
    switch (typeOf(schema)) {
      case 'object':
        return Object.fromEntries((schema.required ?? []).map((p) => [p, this.plausible(schema.properties?.[p] ?? {}, p)]));
      case 'array':
        return [this.plausible(schema.items ?? {}, name)];
      case 'integer':
        return /id$/i.test(name) ? Number(this.id(this.own, name, '') ?? 1) : 1;
      case 'number':
        return 1;
      case 'boolean':
        return false;
      default:
        return schema.enum?.[0] ?? plausibleString(name);
    }
  }

  hostile(schema: JsonSchema): [string, unknown][] {
    return [
      ['null', null],
      ['empty', ''],
      ['NUL', '\u0000'],
      ['70k', HUGE],
      ['2^31', 2 ** 31],
      ['-1', -1],
      ['1e308', 1e308],
      ['true', true],
      ['{}', {}],
      ['[]', []],
      ['nested', { a: [{ b: null }] }],
      ...(schema.enum ?? []).map((v): [string, unknown] => [String(v), v]),
    ];
  }

  plausibleParam(name: string, owner: string): string {
    if (name.includes('phone')) return encodeURIComponent('+7 495 123-45-67');
    return this.id(this.own, name, owner) ?? '1';
  }

  id(rows: Rows, name: string, owner: string): string | undefined {
    const type = idTarget(name, owner, rows);
    return type ? rows.get(type)?.[0] : undefined;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const TOO_LONG = /at most [\d,]+ characters|shorter than or equal to|longer than its field/;

/**
 * What is wrong with one answer, if anything: a 5xx, an INTERNAL_SERVER_ERROR anywhere, a row of the other
 * organization, a null or an overlong string that passed, or a string refused though as long as documented.
 * `strict`: the caller may call every field (an admin), so refusals for its role cannot hide the input checks.
 */
function problemOf(kase: Case, status: number, body: unknown, foreign: Rows, strict: boolean): string | undefined {
  const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? '');
  const answer = `${kase.label} → ${status} ${text.slice(0, 300)}`;
  if (status >= 500) return answer;
  if (/INTERNAL_SERVER_ERROR|INTERNAL_ERROR|Unexpected error/.test(text)) return answer;
  const leaked = leakedRow((body as { data?: unknown } | undefined)?.data, foreign);
  if (leaked) return `${kase.label} → shows ${leaked} of another organization`;
  const codes = ((body as { errors?: { extensions?: { code?: string } }[] } | undefined)?.errors ?? []).map((e) => e.extensions?.code);
  const invalid = codes.some((c) => c === 'BAD_USER_INPUT' || c === 'GRAPHQL_VALIDATION_FAILED');
  if (kase.expectInvalid && !invalid) return `${answer} (null where it cannot be, not refused)`;
  if (strict && kase.documentedLimit === 'over' && !invalid) return `${answer} (longer than documented, not refused)`;
  if (strict && kase.documentedLimit === 'at' && TOO_LONG.test(text)) return `${answer} (as long as documented, refused as too long)`;
  return undefined;
}

/** `Type id` of the first row in `data` that belongs to the other organization. */
function leakedRow(data: unknown, foreign: Rows): string | undefined {
  if (Array.isArray(data)) return data.map((d) => leakedRow(d, foreign)).find(Boolean);
  if (!data || typeof data !== 'object') return undefined;
  const record = data as Record<string, unknown>;
  if (typeof record.__typename === 'string' && foreign.get(record.__typename)?.includes(record.id as string))
    return `${record.__typename} ${String(record.id)}`;
  return Object.values(record)
    .map((v) => leakedRow(v, foreign))
    .find(Boolean);
}

describe('fuzz: no input produces a 500', () => {
  let s: Stack;
  let schema: GraphQLSchema;
  let actors: Account[];
  /** Two guests share the guest requests (REST writes, then GraphQL), so neither reaches the per-user rate limit. */
  let guests: Account[];
  let own: Rows;
  let foreign: Rows;
  let clients = 0;
  // Each request poses as its own client (the stack trusts X-Forwarded-For): failed logins the fuzz sends
  // then never lock an address, and the per-address limit never sees a burst.
  const nextClient = () => `192.0.2.${1 + (clients++ % 254)}`;

  before(async () => {
    s = await stack();
    schema = buildSchema(readFileSync(API_SCHEMA, 'utf8'));
    // A fresh organization: the fuzz deletes, logs out and changes things, never touching other tests' accounts.
    const admin = await newOrganization(s.url);
    const other = await newOrganization(s.url);
    await seedRows(s.url, admin);
    await seedRows(s.url, other);
    // Several admins share the requests, so none reaches the per-user rate limit.
    actors = [admin, ...(await Promise.all(Array.from({ length: 17 }, () => newMember(s.url, admin, 'ADMIN'))))];
    guests = await Promise.all([newMember(s.url, admin, 'GUEST'), newMember(s.url, admin, 'GUEST')]);
    own = await rowsOf(s.url, schema, admin);
    foreign = await rowsOf(s.url, schema, other);
    // The fuzz must not delete or demote the accounts it acts with: ids of users aim at the seeded victim.
    const acting = new Set([...actors, ...guests].map((a) => a.id));
    own.set(
      'User',
      own.get('User')!.filter((id) => !acting.has(id)),
    );
  });

  /**
   * Sends one case as `actor`. Cases such as `logout` end the actor's own session (revocation bites at once):
   * a request refused for that signs the actor in again and is sent once more.
   */
  const renewals = new Map<Account, Promise<void>>();
  async function sendAs(kase: Case, actor: Account): Promise<{ status: number; body: unknown }> {
    const sent = await kase.send(actor, nextClient());
    if (sent.status !== 401 || !/Session has ended/.test(JSON.stringify(sent.body))) return sent;
    let renewal = renewals.get(actor);
    if (!renewal) {
      renewal = loginToken(s.url, actor.username, actor.password, { 'x-forwarded-for': nextClient() })
        .then((token) => void (actor.token = token))
        .finally(() => renewals.delete(actor));
      renewals.set(actor, renewal);
    }
    await renewal;
    return kase.send(actor, nextClient());
  }

  /** Sends every case, spread over `as` (at most REQUESTS_PER_ACTOR each), and returns what went wrong. */
  async function runCases(cases: Case[], as: Account[], strict: boolean): Promise<string[]> {
    assert.ok(
      cases.length <= as.length * REQUESTS_PER_ACTOR,
      `${cases.length} requests would exceed the rate limit of ${as.length} actors`,
    );
    const problems: string[] = [];
    await pool(cases, CONCURRENCY, async (kase, index) => {
      try {
        const { status, body } = await sendAs(kase, as[index % as.length]);
        const problem = problemOf(kase, status, body, foreign, strict);
        if (problem) problems.push(problem);
      } catch (error) {
        problems.push(`${kase.label} → ${(error as Error).name}: ${(error as Error).message}`);
      }
    });
    return problems;
  }

  function graphqlCases(): Case[] {
    const builder = new GraphQLCases(s.url, own, foreign);
    const roots: ['query' | 'mutation', GraphQLObjectType][] = [
      ['query', schema.getQueryType()!],
      ['mutation', schema.getMutationType()!],
    ];
    return roots.flatMap(([operation, type]) =>
      Object.values(type.getFields()).flatMap((field) => sample(builder.of(operation, field), MAX_CASES_PER_OPERATION)),
    );
  }

  async function restCases(): Promise<{ all: Case[]; writes: Case[] }> {
    const document = (await (await fetch(`${s.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, OpenApiOperation>> };
    const builder = new RestCases(s.url, own, foreign);
    const all: Case[] = [];
    const writes: Case[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const cases = sample(builder.of(method, path, operation), MAX_CASES_PER_OPERATION);
        all.push(...cases);
        // Writes that need credentials: a guest is refused whatever the body looks like.
        if (method !== 'get' && !(operation.security && operation.security.length === 0)) writes.push(...sample(cases, 12));
      }
    }
    return { all, writes };
  }

  it('documents a maximum length for every string argument and input field of the API', () => {
    const undocumented: string[] = [];
    const check = (where: string, type: GraphQLInputType, description: string | null | undefined) => {
      const named = getNamedType(type);
      if (named.name === 'String' && !documentedLimitOf(description)) undocumented.push(where);
    };
    for (const root of [schema.getQueryType()!, schema.getMutationType()!, schema.getSubscriptionType()!]) {
      for (const field of Object.values(root.getFields()))
        field.args.forEach((a) => check(`${root.name}.${field.name}(${a.name})`, a.type, a.description));
    }
    for (const type of Object.values(schema.getTypeMap())) {
      if (isInputObjectType(type)) Object.values(type.getFields()).forEach((f) => check(`${type.name}.${f.name}`, f.type, f.description));
    }
    assert.deepEqual(undocumented, []);
  });

  it('answers hostile GraphQL arguments and REST requests without a 5xx, an internal error or a hang', async () => {
    const started = Date.now();
    const gql = graphqlCases();
    const { all: restAll } = await restCases();
    const problems = await runCases([...gql, ...restAll], actors, true);
    console.log(`fuzz: ${gql.length} GraphQL requests, ${restAll.length} REST requests in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.equal(problems.length, 0, `${problems.length} bad answers:\n${problems.slice(0, 40).join('\n')}`);
  });

  it('refuses a guest every REST write with 403 whatever the request, and never answers a guest with a 5xx', async () => {
    const started = Date.now();
    const { writes } = await restCases();
    const gql = sample(graphqlCases(), 400);
    const refused: string[] = [];
    await pool(writes, CONCURRENCY, async (kase, index) => {
      const { status, body } = await sendAs(kase, guests[index % guests.length]);
      if (status !== 403) refused.push(`${kase.label} → ${status} ${JSON.stringify(body).slice(0, 200)}`);
    });
    const problems = await runCases(gql, guests, false);
    console.log(
      `fuzz as a guest: ${gql.length} GraphQL requests, ${writes.length} REST writes in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    assert.equal(refused.length, 0, `${refused.length} guest writes not refused with 403:\n${refused.slice(0, 40).join('\n')}`);
    assert.equal(problems.length, 0, `${problems.length} bad answers:\n${problems.slice(0, 40).join('\n')}`);
  });
});

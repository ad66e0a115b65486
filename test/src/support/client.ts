import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

export interface GraphQLResult<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
}

/** POSTs one operation to the gateway like a client would. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- by default a test reads the JSON it asserts on untyped (the unsafe-any rules are off in test/)
export async function graphql<T = any, V = Record<string, unknown>>(
  url: string,
  document: TypedDocumentNode<T, V> | DocumentNode | string,
  variables?: V,
  { token, headers = {} }: CallOptions = {},
): Promise<GraphQLResult<T>> {
  const query = typeof document === 'string' ? document : print(document);
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResult<T>, 'status' | 'headers'>;
  return { ...body, status: response.status, headers: response.headers };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- by default a test reads the JSON it asserts on untyped (the unsafe-any rules are off in test/)
export interface RestResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls a REST URL; `body` may be an object (sent as JSON) or a raw string (sent as is). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- by default a test reads the JSON it asserts on untyped (the unsafe-any rules are off in test/)
export async function rest<T = any>(
  url: string,
  method: string,
  path: string,
  { token, body, headers = {} }: CallOptions & { body?: unknown } = {},
): Promise<RestResult<T>> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(token && { authorization: `Bearer ${token}` }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** The `extensions.code` of the first error, for short assertions. */
export const codeOf = (result: GraphQLResult<unknown>) => result.errors?.[0]?.extensions?.code;

let counter = 0;
/** A unique suffix for e-mails, usernames and organization names. */
export const unique = (prefix = 'u') => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { getOperationAST, print, type DocumentNode } from 'graphql';
import type { Identity } from './identity.js';
import type { SubgraphClient, SubgraphRequest, SubgraphResponse } from './subgraph-client.js';

/**
 * Internal operations between the gateway and subgraphs are `.graphql` documents that codegen types
 * against the target subgraph's own SDL (`schema/<name>.graphql`): a renamed field fails the build.
 */
const printed = new WeakMap<DocumentNode, SubgraphRequest>();

/** The request for `document` (printed once) with `variables`. */
export function requestOf<V extends Record<string, unknown>>(document: TypedDocumentNode<unknown, V>, variables?: V): SubgraphRequest {
  let request = printed.get(document);
  if (!request) {
    request = { query: print(document), operationName: getOperationAST(document)?.name?.value };
    printed.set(document, request);
  }
  return variables ? { ...request, variables } : request;
}

/** An operation's error, as the subgraph answered it. */
export class OperationError extends Error {
  constructor(
    readonly subgraph: string,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** A response's data, or an OperationError with its first error: how every typed operation reads an answer. */
function dataOf<R>(client: SubgraphClient, response: SubgraphResponse, what: string): R {
  const error = response.errors?.[0];
  if (error) throw new OperationError(client.name, error.message, error.extensions?.code as string | undefined);
  if (!response.data) throw new OperationError(client.name, `subgraph ${client.name} ${what} without data`);
  return response.data as R;
}

/** Runs a typed operation on `client` as `as`; its data, or an OperationError with the first error. */
export async function executeOperation<R, V extends Record<string, unknown>>(
  client: SubgraphClient,
  document: TypedDocumentNode<R, V>,
  variables: V,
  as: Identity,
): Promise<R> {
  return dataOf<R>(client, await client.execute(requestOf(document, variables), as), 'answered');
}

/** The events of a typed subscription on `client`; a GraphQL error ends it with an OperationError. */
export function subscribeOperation<R, V extends Record<string, unknown>>(
  client: SubgraphClient,
  document: TypedDocumentNode<R, V>,
  variables: V,
  as: Identity,
): AsyncIterable<R> {
  return mapEvents(client.subscribe(requestOf(document, variables), as), (response) => dataOf<R>(client, response, 'sent an event'));
}

/**
 * `source` with each item mapped. Unlike an `async function*`, its `return()` reaches the source at once,
 * even while `next()` waits, so a quiet subscription can still be stopped.
 */
export function mapEvents<T, R>(source: AsyncIterable<T>, map: (item: T) => R): AsyncIterable<R> {
  return {
    [Symbol.asyncIterator]: () => {
      const iterator = source[Symbol.asyncIterator]();
      return {
        async next(): Promise<IteratorResult<R>> {
          const next = await iterator.next();
          return next.done ? { done: true, value: undefined } : { done: false, value: map(next.value) };
        },
        async return(): Promise<IteratorResult<R>> {
          await iterator.return?.();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { getOperationAST, print, type DocumentNode } from 'graphql';
import type { Identity } from './identity.js';
import type { SubgraphClient, SubgraphRequest } from './subgraph-client.js';

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

/** Runs a typed operation on `client` as `as`; its data, or an OperationError with the first error. */
export async function executeOperation<R, V extends Record<string, unknown>>(
  client: SubgraphClient,
  document: TypedDocumentNode<R, V>,
  variables: V,
  as: Identity,
): Promise<R> {
  const response = await client.execute(requestOf(document, variables), as);
  const error = response.errors?.[0];
  if (error) throw new OperationError(client.name, error.message, error.extensions?.code as string | undefined);
  if (!response.data) throw new OperationError(client.name, `subgraph ${client.name} answered without data`);
  return response.data as R;
}

/** The events of a typed subscription on `client`; a GraphQL error ends it with an OperationError. */
export function subscribeOperation<R, V extends Record<string, unknown>>(
  client: SubgraphClient,
  document: TypedDocumentNode<R, V>,
  variables: V,
  as: Identity,
): AsyncIterable<R> {
  const source = client.subscribe(requestOf(document, variables), as);
  return {
    [Symbol.asyncIterator]: () => {
      const iterator = source[Symbol.asyncIterator]();
      return {
        async next() {
          const next = await iterator.next();
          if (next.done) return { done: true, value: undefined };
          const error = next.value.errors?.[0];
          if (error) throw new OperationError(client.name, error.message, error.extensions?.code as string | undefined);
          if (!next.value.data) throw new OperationError(client.name, `subgraph ${client.name} sent an event without data`);
          return { done: false, value: next.value.data as R };
        },
        async return() {
          await iterator.return?.();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

// How the sample reaches the API: queries and mutations as JSON over HTTP, files as a GraphQL multipart request,
// subscriptions over graphql-ws. Any client that takes a TypedDocumentNode (Apollo Client, urql, graphql-request)
// can take the documents of ./operations.ts instead.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';

export interface ApiConnection {
  /** e.g. `http://localhost:4000/graphql` */
  httpUrl: string;
  /** e.g. `ws://localhost:4000/graphql` */
  wsUrl: string;
  /** An access token or an `sgk_…` API key. */
  credential: string;
}

interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string };
}

/** An answer with errors, as one Error naming each error's code (`BAD_USER_INPUT`, `UNAUTHENTICATED`, …). */
export class ApiError extends Error {
  constructor(readonly errors: readonly GraphQLErrorBody[]) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  }
}

/** Operations without variables take none; the others require theirs. */
type VariablesArgument<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

async function dataOf<TResult>(response: Response): Promise<TResult> {
  const body = (await response.json()) as { data?: TResult | null; errors?: GraphQLErrorBody[] };
  if (body.errors?.length) throw new ApiError(body.errors);
  if (body.data == null) throw new ApiError([{ message: `HTTP ${response.status} without data` }]);
  return body.data;
}

export function connect({ httpUrl, wsUrl, credential }: ApiConnection) {
  const authorization = `Bearer ${credential}`;
  const sockets = createClient({ url: wsUrl, connectionParams: { Authorization: authorization }, lazy: true });

  return {
    async request<TResult, TVariables>(
      document: TypedDocumentNode<TResult, TVariables>,
      ...[variables]: VariablesArgument<TVariables>
    ): Promise<TResult> {
      const response = await fetch(httpUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: authorization },
        body: JSON.stringify({ query: print(document), variables }),
      });
      return dataOf<TResult>(response);
    },

    /** A mutation whose top-level variables include files (the multipart request spec's `operations` and `map`). */
    async upload<TResult, TVariables extends Record<string, unknown>>(
      document: TypedDocumentNode<TResult, TVariables>,
      variables: TVariables,
    ): Promise<TResult> {
      const form = new FormData();
      const files = Object.entries(variables).filter((entry): entry is [string, Blob] => entry[1] instanceof Blob);
      const withoutFiles = Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [name, value instanceof Blob ? null : value]),
      );
      form.append('operations', JSON.stringify({ query: print(document), variables: withoutFiles }));
      form.append('map', JSON.stringify(Object.fromEntries(files.map(([name], i) => [String(i), [`variables.${name}`]]))));
      files.forEach(([, file], i) => form.append(String(i), file));
      // Apollo's CSRF prevention wants a header a browser's simple request cannot send.
      const response = await fetch(httpUrl, {
        method: 'POST',
        headers: { Authorization: authorization, 'Apollo-Require-Preflight': 'true' },
        body: form,
      });
      return dataOf<TResult>(response);
    },

    /** Calls `onData` with each event until the returned function is called. */
    subscribe<TResult, TVariables extends Record<string, unknown>>(
      document: TypedDocumentNode<TResult, TVariables>,
      variables: TVariables,
      onData: (data: TResult) => void,
      onError: (error: unknown) => void = console.error,
    ): () => void {
      return sockets.subscribe<TResult>(
        { query: print(document), variables },
        {
          next: (result) => {
            if (result.errors?.length) onError(new ApiError(result.errors));
            else if (result.data) onData(result.data);
          },
          error: onError,
          complete: () => undefined,
        },
      );
    },

    close: () => sockets.dispose(),
  };
}

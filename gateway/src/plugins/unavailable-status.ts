import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode } from '@salesgraph/platform';

const UNAVAILABLE = new Set<unknown>([ErrorCode.ServiceUnavailable, ErrorCode.SubgraphUnavailable]);
/** When no error says how long: about the time a restarted service or reconnected database takes. */
const DEFAULT_RETRY_AFTER_SECONDS = 2;

/**
 * An answer with no data because what it needs is down (a subgraph, the database) is an HTTP 503 with
 * Retry-After, as the REST doors answer it; an answer with partial data stays a 200 with its errors.
 */
export function unavailableAsStatus<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (!errors?.length || !errors.every((e) => UNAVAILABLE.has(e.extensions?.code))) return;
          if (data && Object.values(data).some((value) => value !== null)) return;
          const retryAfter = Math.max(
            ...errors.map((e) => (typeof e.extensions?.retryAfter === 'number' ? e.extensions.retryAfter : DEFAULT_RETRY_AFTER_SECONDS)),
          );
          response.http.status = 503;
          response.http.headers.set('retry-after', String(retryAfter));
        },
      };
    },
  };
}

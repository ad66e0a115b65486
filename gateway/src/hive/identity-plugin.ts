import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { GatewayPlugin } from '@graphql-hive/gateway';
import { IDENTITY_HEADER, type BoundRequest, type Identity, type IdentitySigner } from '@salesgraph/platform';
import { admit, tooMany } from '../admission.js';
import type { Authenticator } from '../authenticate.js';
import { addressOr } from '../client-ip.js';
import { operationLimitRules } from '../hardening.js';
import type { RateLimiter } from '../rate-limit.js';
import type { RestError } from '../rest/route.js';

export interface SalesgraphIdentityOptions {
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  signer: IdentitySigner;
  /** The path GraphQL is served on; requests elsewhere (health checks) carry no identity. @default '/graphql' */
  graphqlEndpoint?: string;
}

/** What the plugin established for one client request. */
interface Caller {
  identity: Identity;
  /**
   * Stands for the identity in Hive's in-flight deduplication key (executor-http puts the request's headers
   * in it): two subgraph requests share one response only when their identities are byte for byte the same.
   */
  fingerprint: string;
}

/** Hive's subgraph execution request, as far as this plugin reads it. */
interface SubgraphExecution {
  subgraphName?: string;
  context?: { request?: Request };
  extensions?: Record<string, unknown>;
}

/**
 * Makes Hive Gateway a gateway the subgraphs trust, as ours is: each client request is admitted by the same
 * Authenticator and limits (admission.ts: access token or API key, checked with the identity subgraph, refusals
 * answered in the same shape and status), and each subgraph fetch carries the caller's identity signed for that
 * subgraph and that exact request body (platform/identity.ts).
 *
 * Hook order in Hive (gateway-runtime 2.12, executor-http): `onSubgraphExecute` runs before the HTTP executor
 * builds the request, and the executor computes its in-flight deduplication key from URL, body and the headers
 * set by then; `onFetch` runs after that, inside the one fetch a deduplicated group makes. So the identity's
 * fingerprint goes into the headers in `onSubgraphExecute` (part of the key: callers with different identities
 * never share a response), and `onFetch` replaces it with the signature of the body actually sent.
 */
export function useSalesgraphIdentity({
  authenticator,
  rateLimiter,
  signer,
  graphqlEndpoint = '/graphql',
}: SalesgraphIdentityOptions): GatewayPlugin {
  const callers = new WeakMap<Request, Caller>();
  const callerOf = (request: Request | undefined): Caller => {
    const caller = request && callers.get(request);
    // Every subgraph request comes from an admitted client request; anything else is refused, not sent unsigned.
    if (!caller) throw new Error('no admitted caller for this subgraph request');
    return caller;
  };

  return {
    async onRequest(payload) {
      const { request, url, serverContext, fetchAPI } = payload;
      if (url.pathname !== graphqlEndpoint) return;
      const socket = (serverContext as { req?: IncomingMessage }).req?.socket;
      const ip = addressOr(socket?.remoteAddress, 'unknown');
      const headers = Object.fromEntries(request.headers) as IncomingHttpHeaders;
      const admitted = await admit(authenticator, rateLimiter, headers, ip);
      const refusal = (error: RestError) =>
        payload.endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code } }] }), {
            status: error.status,
            headers: {
              'content-type': 'application/json; charset=utf-8',
              ...(error.retryAfter !== undefined && { 'retry-after': String(error.retryAfter) }),
            },
          }),
        );
      if ('refused' in admitted) return refusal(admitted.refused);
      const decision = await rateLimiter.take(admitted.identity, ip);
      if (!decision.allowed) return refusal(tooMany(decision.limit, decision.retryAfterSeconds));
      // The access token's expiry is the gateway's business; subgraphs get the identity alone, as ours sends it.
      const { expiresAt: _expiresAt, ...identity } = admitted.identity;
      const fingerprint = createHash('sha256').update(JSON.stringify(identity)).digest('base64url');
      callers.set(request, { identity, fingerprint });
    },

    // The same depth, cost, alias and directive limits as our gateway's two doors.
    onValidate({ addValidationRule }) {
      for (const rule of operationLimitRules) addValidationRule(rule);
    },

    onSubgraphExecute({ executionRequest }) {
      const execution = executionRequest as SubgraphExecution;
      const { fingerprint } = callerOf(execution.context?.request);
      const extensions = (execution.extensions ??= {});
      extensions.headers = { ...(extensions.headers as Record<string, string> | undefined), [IDENTITY_HEADER]: `unsigned:${fingerprint}` };
    },

    onFetch(payload) {
      const { executionRequest, options } = payload;
      const execution = executionRequest as SubgraphExecution | undefined;
      // Fetches outside a client request (none with a supergraph file) carry no identity.
      if (!execution) return;
      const audience = execution.subgraphName;
      if (!audience) throw new Error('subgraph request without a subgraph name');
      const { identity } = callerOf(execution.context?.request);
      if (typeof options.body !== 'string') throw new Error(`a ${audience} request without a JSON body cannot be signed`);
      const { query, variables, operationName } = JSON.parse(options.body) as BoundRequest;
      payload.setOptions({
        ...options,
        headers: { ...options.headers, [IDENTITY_HEADER]: signer.sign(identity, audience, { query, variables, operationName }) },
      });
    },
  };
}

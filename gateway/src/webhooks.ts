import express, { type Router } from 'express';
import { ANONYMOUS, ErrorCode, httpStatusOf, type SubgraphClient } from '@salesgraph/platform';
import { RateLimiter } from './rate-limit.js';

const RECEIVE = /* GraphQL */ `mutation ReceiveTelephonyEvent($integrationId: ID!, $timestamp: String!, $signature: String!, $body: String!) {
  receiveTelephonyEvent(integrationId: $integrationId, timestamp: $timestamp, signature: $signature, body: $body) { status callId }
}`;

/**
 * `POST /webhooks/telephony/:integrationId`: a PBX reports ringing / answered / hangup, signed with
 * HMAC-SHA256 over `<X-Signature-Timestamp>.<raw body>` in `X-Signature`. The calls subgraph checks the
 * signature (it holds the secret), ignores redelivered events and applies the rest as call operations.
 * Each integration has its own budget of events per minute, counted before any work, signed or not.
 */
export function mountWebhooks(router: Router, calls: SubgraphClient | undefined, perMinute = 600): void {
  if (!calls) return;
  const limiter = new RateLimiter({ anonymousPerWindow: perMinute });
  router.post('/webhooks/telephony/:integrationId', express.text({ type: () => true, limit: '256kb' }), async (req, res) => {
    // One budget per integration, whatever address the PBX posts from: its id stands where an address would.
    const decision = limiter.take(ANONYMOUS, `integration:${req.params.integrationId}`);
    if (!decision.allowed) {
      res.setHeader('Retry-After', String(decision.retryAfterSeconds));
      return void res.status(429).json({ detail: `This integration may send at most ${decision.limit} events per minute` });
    }
    const timestamp = req.get('x-signature-timestamp');
    const signature = req.get('x-signature');
    if (!timestamp || !signature) return void res.status(401).json({ detail: 'X-Signature and X-Signature-Timestamp headers are required' });
    try {
      const response = await calls.execute(
        { query: RECEIVE, variables: { integrationId: req.params.integrationId, timestamp, signature, body: typeof req.body === 'string' ? req.body : '' }, operationName: 'ReceiveTelephonyEvent' },
        ANONYMOUS,
      );
      const error = response.errors?.[0];
      if (error) {
        const code = error.extensions?.code ?? ErrorCode.Internal;
        const status = code === ErrorCode.Internal ? 500 : httpStatusOf(code);
        return void res.status(status).json({ detail: status === 500 ? 'Unexpected error' : error.message });
      }
      const result = (response.data as { receiveTelephonyEvent: { status: string; callId: string | null } }).receiveTelephonyEvent;
      res.json({ status: result.status, call_id: result.callId === null ? null : Number(result.callId) });
    } catch (error) {
      console.error('telephony webhook failed', (error as Error).message);
      res.status(503).json({ detail: 'Calls service unavailable, retry later' });
    }
  });
}

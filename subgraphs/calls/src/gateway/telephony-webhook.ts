import { ANONYMOUS, ErrorCode, OperationError, executeOperation, httpStatusOf, type HttpRoute } from '@salesgraph/platform';
import { ReceiveTelephonyEventDocument } from '../generated/calls.js';

/**
 * `POST /webhooks/telephony/:integrationId`: a PBX reports ringing / answered / hangup, signed with
 * HMAC-SHA256 over `<X-Signature-Timestamp>.<raw body>` in `X-Signature`. This subgraph checks the
 * signature (it holds the secret), ignores redelivered events and applies the rest as call operations.
 * Each integration has its own budget of events per minute, counted before any work, signed or not.
 */
export const telephonyWebhook: HttpRoute = {
  method: 'post',
  path: '/webhooks/telephony/:integrationId',
  maxBodyBytes: 256 * 1024,
  // One budget per integration, whatever address the PBX posts from: its id stands where an address would.
  limitKey: (request) => `integration:${request.params.integrationId}`,
  limitMessage: (perMinute) => `This integration may send at most ${perMinute} events per minute`,
  async handle({ params, headers, body }, calls) {
    const timestamp = headers['x-signature-timestamp'];
    const signature = headers['x-signature'];
    if (typeof timestamp !== 'string' || !timestamp || typeof signature !== 'string' || !signature) {
      return { status: 401, body: { detail: 'X-Signature and X-Signature-Timestamp headers are required' } };
    }
    try {
      const { receiveTelephonyEvent: result } = await executeOperation(
        calls,
        ReceiveTelephonyEventDocument,
        { integrationId: params.integrationId, timestamp, signature, body },
        ANONYMOUS,
      );
      return { status: 200, body: { status: result.status, call_id: result.callId === null ? null : Number(result.callId) } };
    } catch (error) {
      if (!(error instanceof OperationError)) throw error;
      const code = error.code ?? ErrorCode.Internal;
      const status = code === (ErrorCode.Internal as string) ? 500 : httpStatusOf(code);
      return { status, body: { detail: status === 500 ? 'Unexpected error' : error.message } };
    }
  },
};

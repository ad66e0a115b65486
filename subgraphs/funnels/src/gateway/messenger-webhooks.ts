import {
  ANONYMOUS,
  ErrorCode,
  OperationError,
  executeOperation,
  httpStatusOf,
  type HttpRoute,
  type HttpRouteResponse,
  type SubgraphClient,
} from '@salesgraph/platform';
import { MessengerWebhookVerifiesDocument, ReceiveMessengerUpdateDocument } from '../generated/funnels.js';

const limitKey = (request: { params: Record<string, string> }) => `messenger:${(request.params.connectionId ?? '').slice(0, 100)}`;
const limitMessage = (perMinute: number) => `This messenger connection may post at most ${perMinute} updates per minute`;

/** An update handed to the subgraph; a wrong secret is a 401 and nothing is read; a subgraph error its status. */
async function receive(
  client: SubgraphClient,
  connectionId: string,
  body: string,
  proof: { secret?: string; signature?: string },
): Promise<HttpRouteResponse> {
  if (!proof.secret && !proof.signature) return { status: 401, body: { detail: 'The webhook secret or signature is missing' } };
  try {
    const { receiveMessengerUpdate: received } = await executeOperation(
      client,
      ReceiveMessengerUpdateDocument,
      {
        connectionId: connectionId.slice(0, 100),
        secret: proof.secret?.slice(0, 300) ?? null,
        body,
        signature: proof.signature?.slice(0, 200) ?? null,
      },
      ANONYMOUS,
    );
    return { status: 200, body: { ok: true, received } };
  } catch (error) {
    if (!(error instanceof OperationError)) throw error;
    const code = error.code ?? ErrorCode.Internal;
    // An unknown connection and a wrong secret look alike to the sender.
    if (code === (ErrorCode.NotFound as string)) return { status: 401, body: { detail: 'Unknown connection or wrong secret' } };
    const status = code === (ErrorCode.Internal as string) ? 500 : httpStatusOf(code);
    return { status, body: { detail: status === 500 ? 'Unexpected error' : error.message } };
  }
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Where messengers post a connection's updates (the URL its `start` registers):
 * - `POST /webhooks/telegram/:connectionId`, with the secret in `X-Telegram-Bot-Api-Secret-Token` as Telegram sends it;
 * - `GET /webhooks/whatsapp/:connectionId?hub.mode=subscribe&hub.verify_token=<secret>&hub.challenge=…`, Meta's
 *   check when the URL is set in its console, answered with the challenge;
 * - `POST /webhooks/whatsapp/:connectionId`, signed with the connection's app secret (`X-Hub-Signature-256`).
 * Each connection has its own budget per minute, counted before any check.
 */
export const messengerWebhooks: HttpRoute[] = [
  {
    method: 'post',
    path: '/webhooks/telegram/:connectionId',
    maxBodyBytes: 1024 * 1024,
    limitKey,
    limitMessage,
    handle: (request, client) =>
      receive(client, request.params.connectionId ?? '', request.body, {
        secret: header(request.headers['x-telegram-bot-api-secret-token']),
      }),
  },
  {
    method: 'get',
    path: '/webhooks/whatsapp/:connectionId',
    limitKey,
    limitMessage,
    async handle(request, client) {
      const token = request.query['hub.verify_token'] ?? '';
      if (request.query['hub.mode'] !== 'subscribe' || !token)
        return { status: 400, body: { detail: 'Expected a subscription check (hub.mode=subscribe)' } };
      const { messengerWebhookVerifies: verifies } = await executeOperation(
        client,
        MessengerWebhookVerifiesDocument,
        { connectionId: (request.params.connectionId ?? '').slice(0, 100), verifyToken: token.slice(0, 300) },
        ANONYMOUS,
      );
      if (!verifies) return { status: 403, body: { detail: 'Unknown connection or wrong verify token' } };
      // Meta expects its challenge back as the whole body, as it sent it.
      return { status: 200, body: (request.query['hub.challenge'] ?? '').slice(0, 200), contentType: 'text/plain; charset=utf-8' };
    },
  },
  {
    method: 'post',
    path: '/webhooks/whatsapp/:connectionId',
    maxBodyBytes: 1024 * 1024,
    limitKey,
    limitMessage,
    handle: (request, client) =>
      receive(client, request.params.connectionId ?? '', request.body, { signature: header(request.headers['x-hub-signature-256']) }),
  },
];

import {
  ANONYMOUS,
  ErrorCode,
  OperationError,
  executeOperation,
  httpStatusOf,
  type HttpRoute,
  type HttpRouteRequest,
  type HttpRouteResponse,
  type SubgraphClient,
} from '@salesgraph/platform';
import { ReceiveGithubDeliveryDocument, ReceiveYooMoneyNotificationDocument } from '../generated/webhooks.js';

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** A subgraph's refusal as the sender sees it: its status and message (an unexpected failure says nothing more). */
function refusal(error: unknown, notFound: HttpRouteResponse): HttpRouteResponse {
  if (!(error instanceof OperationError)) throw error;
  const code = error.code ?? ErrorCode.Internal;
  // An unknown target and a wrong proof look alike to the sender.
  if (code === (ErrorCode.NotFound as string)) return notFound;
  const status = code === (ErrorCode.Internal as string) ? 500 : httpStatusOf(code);
  return { status, body: { detail: status === 500 ? 'Unexpected error' : error.message } };
}

async function yoomoney(request: HttpRouteRequest, client: SubgraphClient): Promise<HttpRouteResponse> {
  try {
    const { receiveYooMoneyNotification: outcome } = await executeOperation(
      client,
      ReceiveYooMoneyNotificationDocument,
      { body: request.body, contentType: header(request.headers['content-type'])?.slice(0, 200) ?? null },
      ANONYMOUS,
    );
    // YooMoney only needs the 200; the outcome helps whoever reads the wallet's notification log.
    return { status: 200, body: { ok: true, outcome } };
  } catch (error) {
    return refusal(error, { status: 401, body: { detail: 'The notification does not verify' } });
  }
}

async function github(request: HttpRouteRequest, client: SubgraphClient, integrationId: string | null): Promise<HttpRouteResponse> {
  const event = header(request.headers['x-github-event']);
  const deliveryId = header(request.headers['x-github-delivery']);
  const signature = header(request.headers['x-hub-signature-256']);
  if (!event || !deliveryId) return { status: 400, body: { detail: 'A GitHub delivery carries X-GitHub-Event and X-GitHub-Delivery' } };
  if (!signature) return { status: 401, body: { detail: 'X-Hub-Signature-256 is missing: give the webhook its secret at GitHub' } };
  try {
    const { receiveGithubDelivery: outcome } = await executeOperation(
      client,
      ReceiveGithubDeliveryDocument,
      {
        integrationId: integrationId?.slice(0, 100) ?? null,
        hookId: header(request.headers['x-github-hook-id'])?.slice(0, 20) ?? null,
        event: event.slice(0, 100),
        deliveryId: deliveryId.slice(0, 200),
        signature: signature.slice(0, 200),
        body: request.body,
        contentType: header(request.headers['content-type'])?.slice(0, 200) ?? null,
      },
      ANONYMOUS,
    );
    return { status: 200, body: { ok: true, outcome } };
  } catch (error) {
    return refusal(error, { status: 401, body: { detail: 'Unknown integration or wrong signature' } });
  }
}

const githubKey = (request: HttpRouteRequest) =>
  `github:${(request.params.integrationId ?? request.query.integration ?? header(request.headers['x-github-hook-id']) ?? '').slice(0, 100)}`;
const limitMessage = (perMinute: number) => `At most ${perMinute} webhook deliveries per minute`;

/**
 * Where payments and CI post (seed 004):
 * - `POST /webhooks/yoomoney`: the YooMoney wallet's HTTP notifications (form-encoded, `sha1_hash` over the
 *   notification secret), topping up the AI balance of the organization the payment's label names;
 * - `POST /webhooks/github/:integrationId`: a GitHub integration's webhook (`X-Hub-Signature-256`);
 * - `POST /webhooks/github`: the same, the integration named by `?integration=<id>`, else found by GitHub's
 *   `X-GitHub-Hook-ID` (given when the integration was created, or learned from its first verified delivery).
 * Each sender has its own budget per minute, counted before any check.
 */
export const webhookRoutes: HttpRoute[] = [
  {
    method: 'post',
    path: '/webhooks/yoomoney',
    maxBodyBytes: 64 * 1024,
    limitKey: () => 'yoomoney',
    limitMessage,
    handle: yoomoney,
  },
  {
    method: 'post',
    path: '/webhooks/github/:integrationId',
    // GitHub caps payloads at 25 MB; CI events are far smaller, and a larger body is refused (413) unread.
    maxBodyBytes: 5 * 1024 * 1024,
    limitKey: githubKey,
    limitMessage,
    handle: (request, client) => github(request, client, request.params.integrationId ?? ''),
  },
  {
    method: 'post',
    path: '/webhooks/github',
    maxBodyBytes: 5 * 1024 * 1024,
    limitKey: githubKey,
    limitMessage,
    handle: (request, client) => github(request, client, request.query.integration ?? null),
  },
];

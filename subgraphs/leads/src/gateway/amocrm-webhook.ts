import {
  ANONYMOUS,
  ErrorCode,
  OperationError,
  executeOperation,
  httpStatusOf,
  type HttpRoute,
  type HttpRouteRequest,
} from '@salesgraph/platform';
import { ReceiveAmocrmWebhookDocument } from '../generated/leads.js';

const connectionOf = (request: HttpRouteRequest) => request.params.connectionId ?? request.query.connection ?? '';

/**
 * `POST /webhooks/amocrm?connection=<id>&secret=<secret>` (seeds 000 and 004; `/webhooks/amocrm/<id>?secret=…`
 * too): amoCRM reports added and changed leads as form fields (`leads[add][0][id]=…`). amoCRM signs nothing,
 * so the URL set in amoCRM carries the connection's webhook secret; this subgraph checks it and applies the
 * leads idempotently by their amoCRM id. Each connection has its own budget per minute, counted before any check.
 */
const route = (path: string): HttpRoute => ({
  method: 'post',
  path,
  maxBodyBytes: 1024 * 1024,
  limitKey: (request) => `crm:${connectionOf(request).slice(0, 100)}`,
  limitMessage: (perMinute) => `This CRM connection may send at most ${perMinute} webhooks per minute`,
  async handle(request, leads) {
    const connectionId = connectionOf(request);
    const secret = request.query.secret ?? '';
    if (!connectionId || !secret)
      return { status: 401, body: { detail: 'The webhook URL must carry ?connection=<id>&secret=<secret> of a CRM connection' } };
    try {
      const { receiveAmocrmWebhook: result } = await executeOperation(
        leads,
        ReceiveAmocrmWebhookDocument,
        { connectionId: connectionId.slice(0, 100), secret: secret.slice(0, 200), body: request.body },
        ANONYMOUS,
      );
      return { status: 200, body: { status: 'ok', ...result } };
    } catch (error) {
      if (!(error instanceof OperationError)) throw error;
      const code = error.code ?? ErrorCode.Internal;
      const status = code === (ErrorCode.Internal as string) ? 500 : httpStatusOf(code);
      return { status, body: { detail: status === 500 ? 'Unexpected error' : error.message } };
    }
  },
});

export const amocrmWebhooks: HttpRoute[] = [route('/webhooks/amocrm'), route('/webhooks/amocrm/:connectionId')];

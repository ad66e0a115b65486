import { ANONYMOUS, ErrorCode, attachmentDisposition, OperationError, executeOperation, type HttpRoute } from '@salesgraph/platform';
import { AttachmentDownloadDocument } from '../generated/support.js';

/**
 * `GET /files/<attachmentId>?expires=…&signature=…`: a ticket attachment through a short-lived signed link
 * (`Attachment.url`, given only to callers who may see the ticket). A bad, foreign or expired link is a 404.
 * Downloads count against a budget per address.
 */
export const downloadRoutes: HttpRoute[] = [
  {
    method: 'get',
    path: '/files/:attachmentId',
    limitKey: (request) => `download:${request.ip ?? 'unknown'}`,
    limitMessage: (perMinute) => `At most ${perMinute} downloads per minute from one address`,
    async handle(request, client) {
      const expires = Number(request.query.expires);
      const signature = request.query.signature ?? '';
      const attachmentId = (request.params.attachmentId ?? '').slice(0, 100);
      if (!Number.isSafeInteger(expires) || !/^[0-9a-fA-F]{64}$/.test(signature)) {
        return { status: 404, body: { detail: 'File not found (the link is incomplete or malformed)' } };
      }
      try {
        const { attachmentDownload: file } = await executeOperation(
          client,
          AttachmentDownloadDocument,
          { attachmentId, expires, signature },
          ANONYMOUS,
        );
        return {
          status: 200,
          body: Buffer.from(file.base64, 'base64'),
          contentType: file.contentType,
          headers: {
            'content-disposition': attachmentDisposition(file.name),
            'x-content-type-options': 'nosniff',
            'cache-control': 'private, no-store',
          },
        };
      } catch (error) {
        if (error instanceof OperationError && error.code === (ErrorCode.NotFound as string)) {
          return { status: 404, body: { detail: 'File not found, or the link has expired' } };
        }
        throw error;
      }
    },
  },
];

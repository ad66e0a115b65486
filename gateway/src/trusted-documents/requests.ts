import type { RequestHandler } from 'express';
import type { RenderError } from '../doors.js';
import { clientOf, type OperationParams, type TrustedDocumentGate } from './gate.js';

/**
 * The `/graphql` door's side of trusted documents, between the body parsers and Apollo: a `documentId`
 * (POST body or `?documentId=` on GET) becomes the registered document's text, and a restricted client's
 * arbitrary documents are refused (see TrustedDocumentGate). APQ itself stays Apollo's.
 */
export function trustedDocumentRequests(gate: TrustedDocumentGate, render: RenderError): RequestHandler {
  return (req, res, next) => {
    const get = req.method === 'GET';
    const body: unknown = req.body;
    // Batches are refused by Apollo (allowBatchedHttpRequests: false); anything else not an object too.
    if (!get && (!body || typeof body !== 'object' || Array.isArray(body))) return next();
    const search = get ? new URL(req.url, 'http://gateway').searchParams : undefined;
    const params: OperationParams = search ? paramsOf(search) : (body as OperationParams);

    gate.decide(clientOf(req.headers), params, true).then((decision) => {
      if ('refused' in decision) return render(res, decision.refused);
      if ('query' in decision) {
        if (search) {
          search.delete('documentId');
          search.set('query', decision.query);
          req.url = `${new URL(req.url, 'http://gateway').pathname}?${search.toString()}`;
        } else {
          const operation = body as Record<string, unknown>;
          delete operation.documentId;
          operation.query = decision.query;
        }
      }
      next();
    }, next);
  };
}

/** A GET request's parameters; `extensions` as Apollo reads it (JSON), left to Apollo to refuse when malformed. */
function paramsOf(search: URLSearchParams): OperationParams {
  let extensions: unknown;
  try {
    extensions = search.has('extensions') ? JSON.parse(search.get('extensions')!) : undefined;
  } catch {
    extensions = undefined;
  }
  return { query: search.get('query') ?? undefined, documentId: search.get('documentId') ?? undefined, extensions };
}

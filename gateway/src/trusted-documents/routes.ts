import { createHash, timingSafeEqual } from 'node:crypto';
import type { Express, Request, RequestHandler, Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import {
  ANONYMOUS,
  CLIENT_NAME_PATTERN,
  CLIENT_NAME_RULE,
  ErrorCode,
  manifestDigest,
  type DocumentManifestSummary,
} from '@salesgraph/platform';
import { tooMany } from '../admission.js';
import { addressOr } from '../client-ip.js';
import { jsonBody, renderDetailError } from '../doors.js';
import type { RateLimiter } from '../rate-limit.js';
import { readManifest, refusedOperations, type ManifestProblem } from './manifest.js';
import type { TrustedDocumentStore } from './store.js';

/** Where a deployment's CI registers and lists trusted documents. */
export const DOCUMENTS_PATH = '/graphql/documents';
/** The largest manifest accepted. */
const MANIFEST_LIMIT = '4mb';

export interface TrustedDocumentRoutesOptions {
  /** Undefined when no subgraph keeps trusted documents. */
  store: TrustedDocumentStore | undefined;
  /** `TRUSTED_DOCUMENTS_TOKEN`; unset, every route answers 503. */
  token: string | undefined;
  rateLimiter: RateLimiter;
  /** The API schema manifests are validated against (undefined while the gateway starts). */
  apiSchema: () => GraphQLSchema | undefined;
}

/**
 * The registration API of trusted documents, for a deployment's CI (not a tenant's user): authorized by the
 * deployment token, answered `{detail, error}` like the other non-legacy routes.
 *
 * - `PUT /graphql/documents/:client/:version` with `persisted-documents.json`: 201 when stored, 200 when the
 *   same documents are already registered under that version, 409 when others are.
 * - `GET /graphql/documents[/:client]`: the registered versions; `GET …/:client/:version`: that manifest.
 */
export function mountTrustedDocumentRoutes(app: Express, { store, token, rateLimiter, apiSchema }: TrustedDocumentRoutesOptions): void {
  const authorize = deploymentToken(token, rateLimiter);
  const available: RequestHandler = (_req, res, next) => {
    if (!store) return refuse(res, 503, ErrorCode.ServiceUnavailable, 'No subgraph keeps trusted documents in this deployment');
    next();
  };
  const names: RequestHandler = (req, res, next) => {
    for (const key of ['client', 'version'] as const) {
      const value = req.params[key] as string | undefined;
      if (value !== undefined && !CLIENT_NAME_PATTERN.test(value))
        return refuse(res, 400, ErrorCode.BadUserInput, `The client ${key === 'client' ? 'name' : 'version'} must be ${CLIENT_NAME_RULE}`);
    }
    next();
  };

  app.put(
    `${DOCUMENTS_PATH}/:client/:version`,
    authorize,
    available,
    names,
    jsonBody(renderDetailError, 400, MANIFEST_LIMIT),
    handled(async (req, res) => {
      const schema = apiSchema();
      if (!schema) return refuse(res, 503, ErrorCode.ServiceUnavailable, 'The gateway is starting, try again');
      if (!req.is('application/json'))
        return refuse(res, 415, ErrorCode.UnsupportedMediaType, 'Send the manifest as JSON (Content-Type: application/json)');
      const reading = readManifest(req.body);
      if ('error' in reading) return refuse(res, 400, ErrorCode.BadUserInput, reading.error);
      // One bad entry refuses the whole manifest, every problem named at once.
      if (reading.problems.length) return refuseDocuments(res, [...reading.problems, ...refusedOperations(reading.entries, schema)]);
      const { client, version } = req.params as { client: string; version: string };
      // A version registered already is answered from its digest, without validating again (CI retries).
      const digest = manifestDigest(reading.entries.map((e) => e.hash));
      const stored = (await store!.manifests(client)).find((m) => m.clientVersion === version);
      if (stored && stored.digest !== digest) return conflict(res, stored);
      if (stored) return res.status(200).json({ ...manifestJson(stored), created: false });

      const invalid = refusedOperations(reading.entries, schema);
      if (invalid.length) return refuseDocuments(res, invalid);
      const documents = reading.entries.map(({ hash, body }) => ({ hash, body }));
      const { outcome, manifest } = await store!.register(client, version, documents);
      if (outcome === 'conflict') return conflict(res, manifest);
      if (outcome === 'created')
        console.info(
          `trusted documents: ${client} ${version} registered (${plural(manifest.documentCount, 'document')}, digest ${manifest.digest})`,
        );
      res.status(outcome === 'created' ? 201 : 200).json({ ...manifestJson(manifest), created: outcome === 'created' });
    }),
  );

  app.get(
    [DOCUMENTS_PATH, `${DOCUMENTS_PATH}/:client`],
    authorize,
    available,
    names,
    handled(async (req, res) => {
      const manifests = await store!.manifests(req.params.client as string | undefined);
      res.json({ manifests: manifests.map(manifestJson) });
    }),
  );

  app.get(
    `${DOCUMENTS_PATH}/:client/:version`,
    authorize,
    available,
    names,
    handled(async (req, res) => {
      const { client, version } = req.params as { client: string; version: string };
      const documents = await store!.manifest(client, version);
      if (!documents) return refuse(res, 404, ErrorCode.NotFound, `Version ${version} of client "${client}" is not registered`);
      // The client preset's own format, so a manifest can be compared with the file a build wrote.
      res.json(Object.fromEntries(documents.map(({ hash, body }) => [`sha256:${hash}`, body])));
    }),
  );
}

/**
 * `Authorization: Bearer <TRUSTED_DOCUMENTS_TOKEN>`, compared in constant time. Every attempt counts against
 * the address's anonymous budget first, and a good token gives it back: guessing costs the guesser, while a
 * CI behind a shared address is never throttled.
 */
function deploymentToken(token: string | undefined, rateLimiter: RateLimiter): RequestHandler {
  const expected = token === undefined ? undefined : digest(token);
  return async (req, res, next) => {
    if (!expected)
      return refuse(res, 503, ErrorCode.ServiceUnavailable, 'Registering trusted documents needs TRUSTED_DOCUMENTS_TOKEN to be set');
    const ip = addressOr(req.ip, req.socket.remoteAddress ?? 'unknown');
    const claim = await rateLimiter.take(ANONYMOUS, ip);
    if (!claim.allowed) return renderDetailError(res, tooMany(claim.limit, claim.retryAfterSeconds));
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!presented || !timingSafeEqual(digest(presented), expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return refuse(
        res,
        401,
        ErrorCode.Unauthenticated,
        presented ? 'Invalid deployment token' : 'Send Authorization: Bearer <TRUSTED_DOCUMENTS_TOKEN>',
      );
    }
    await rateLimiter.giveBack(ip, claim);
    next();
  };
}

// Equal lengths for timingSafeEqual, whatever was presented.
const digest = (value: string) => createHash('sha256').update(value).digest();

/** A route's async work: a failure to reach the registry's subgraph is a 503, not a hung request. */
const handled =
  (work: (req: Request, res: Response) => Promise<unknown>): RequestHandler =>
  (req, res) =>
    void work(req, res).catch((error: unknown) => {
      console.error('trusted documents: the registry failed', (error as Error).message);
      if (!res.headersSent) refuse(res, 503, ErrorCode.ServiceUnavailable, 'Trusted documents are unavailable, try again');
    });

/** 409: the version holds other documents (a registered version never changes). */
function conflict(res: Response, registered: DocumentManifestSummary) {
  const { clientName, clientVersion } = registered;
  res.status(409).json({
    ...detailOf(
      ErrorCode.Conflict,
      `Version ${clientVersion} of client "${clientName}" is registered with other documents; a version's documents never change, so register this build under a new version`,
    ),
    registered: manifestJson(registered),
  });
}

function detailOf(code: string, message: string) {
  return { detail: message, error: { message, type: code.toLowerCase(), param: null, code } };
}

const refuse = (res: Response, status: number, code: string, message: string) => renderDetailError(res, { status, code, message });

/** 400 naming every refused document of a manifest (nothing of it is stored). */
function refuseDocuments(res: Response, problems: ManifestProblem[]) {
  const shown = problems.slice(0, 20).map((p) => `${p.id} ${p.problem}`);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  res.status(400).json({
    ...detailOf(ErrorCode.BadUserInput, `${plural(problems.length, 'document')} refused, nothing registered: ${shown.join('; ')}${more}`),
    documents: problems,
  });
}

function manifestJson(manifest: DocumentManifestSummary) {
  return {
    client: manifest.clientName,
    version: manifest.clientVersion,
    documents: manifest.documentCount,
    digest: manifest.digest,
    registeredAt: manifest.registeredAt,
  };
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

import type { Request, RequestHandler, Response, Router } from 'express';
import { print, type GraphQLFormattedError } from 'graphql';
import { stringify } from 'csv-stringify/sync';
import { ErrorCode, httpStatusOf, log, requireRole, type AppError } from '@salesgraph/platform';
import { markDoor } from '../request-log.js';
import type { RenderError } from '../doors.js';
import {
  LeadsExportPageDocument,
  type LeadFilter,
  type LeadSource,
  type LeadStatus,
  type LeadsExportPageQuery,
  type ScoreCategory,
} from '../generated/graphql.js';
import type { FieldAccess } from './access.js';
import { contextOf, type OperationRunner } from './mount.js';
import type { RestError } from './route.js';

/** Leads per page the export asks for (the largest page the API serves). */
const EXPORT_PAGE = 200;

/** The export's columns; an import reads the same file back (it leaves id, phone_e164, score_category and dates alone). */
const COLUMNS = [
  'id',
  'name',
  'company',
  'email',
  'phone',
  'phone_e164',
  'source',
  'status',
  'budget',
  'notes',
  'quality_score',
  'score_category',
  'assigned_to',
  'campaign_id',
  'created_at',
  'updated_at',
] as const;

/** Seed 000's error shape. */
const render: RenderError = (res, { status, message, retryAfter }) => {
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  res.status(status).json({ detail: message });
};

const errorOf = (errors: readonly GraphQLFormattedError[]): RestError => {
  const given = errors[0]?.extensions?.code;
  const code = typeof given === 'string' ? given : ErrorCode.Internal;
  return { status: httpStatusOf(code), code, message: errors[0]?.message ?? 'Unexpected error' };
};

/** A spreadsheet would run a cell starting with = + - @ as a formula; a leading ' keeps it text (imports drop it). */
const cell = (value: string | null | undefined) =>
  value && /^[=+\-@]/.test(value) && !/^[+-]?[\d\s().-]+$/.test(value) ? `'${value}` : (value ?? '');

function recordOf(lead: LeadsExportPageQuery['leads']['nodes'][number]): string[] {
  return [
    lead.id,
    cell(lead.name),
    cell(lead.company),
    cell(lead.email),
    cell(lead.phone),
    lead.phoneE164 ?? '',
    lead.source.toLowerCase(),
    lead.status.toLowerCase(),
    lead.budget == null ? '' : String(lead.budget),
    cell(lead.notes),
    lead.qualityScore == null ? '' : String(lead.qualityScore),
    lead.scoreCategory?.toLowerCase() ?? '',
    lead.assignedUserId ?? '',
    lead.campaign?.id ?? '',
    lead.createdAt,
    lead.updatedAt,
  ];
}

/** The leads list's query parameters (seed 000 names) as the GraphQL filter; a wrong value is the API's to refuse. */
function filterOf(query: Request['query']): LeadFilter | RestError {
  const text = (name: string) => (typeof query[name] === 'string' && query[name] !== '' ? query[name] : undefined);
  const day = (name: string, next: boolean): string | undefined | RestError => {
    const value = text(name);
    if (value === undefined) return undefined;
    const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(date.getTime()))
      return { status: 422, code: ErrorCode.BadUserInput, message: `${name}: must be a date (YYYY-MM-DD) or a date-time` };
    // date_to names the last day included.
    if (next && /^\d{4}-\d{2}-\d{2}$/.test(value)) date.setUTCDate(date.getUTCDate() + 1);
    return date.toISOString();
  };
  const createdFrom = day('date_from', false);
  const createdTo = day('date_to', true);
  if (typeof createdFrom === 'object') return createdFrom;
  if (typeof createdTo === 'object') return createdTo;
  const filter: LeadFilter = {
    status: text('status')?.toUpperCase() as LeadStatus | undefined,
    source: text('source')?.toUpperCase() as LeadSource | undefined,
    scoreCategory: text('score_category')?.toUpperCase() as ScoreCategory | undefined,
    assignedUserId: text('assigned_to'),
    campaignId: text('campaign_id'),
    search: text('search'),
    createdFrom,
    createdTo,
  };
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
}

/** Writes and waits while the client is slower than the pages. */
async function write(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    res.once('drain', resolve);
    res.once('close', () => reject(new Error('client went away')));
  });
}

/**
 * Seed 000's CSV export onto GraphQL: `GET /api/v1/leads/export.csv` pages through `leads` (the list's filters)
 * and streams each page as it comes, so a large export never sits in memory whole. Who may call it is the
 * operation's. The import (`POST /api/v1/leads/import`, a multipart upload) is a row of seed 000's table
 * (seed-000-lead-import.ts).
 */
export function mountLeadsCsv(
  router: Router,
  run: OperationRunner,
  guard: (render: RenderError) => RequestHandler,
  access: FieldAccess,
): void {
  const guarded = guard(render);
  const authorize =
    (operation: Parameters<FieldAccess['of']>[0]): RequestHandler =>
    (_req, res, next) => {
      try {
        requireRole(contextOf(res).identity, access.of(operation)?.roles);
      } catch (error) {
        const code = String((error as AppError).extensions.code);
        return render(res, { status: httpStatusOf(code), code, message: (error as AppError).message });
      }
      next();
    };

  const exportQuery = print(LeadsExportPageDocument);
  router.get('/api/v1/leads/export.csv', markDoor('rest'), guarded, authorize(LeadsExportPageDocument), async (req, res) => {
    const filter = filterOf(req.query);
    if ('code' in filter) return render(res, filter);
    let after: string | undefined;
    let first = true;
    try {
      for (;;) {
        const result = await run(exportQuery, { filter, first: EXPORT_PAGE, after }, contextOf(res));
        const body = result.body.kind === 'single' ? result.body.singleResult : undefined;
        if (!body?.data || body.errors?.length) {
          if (first) return render(res, errorOf(body?.errors ?? []));
          // Half a file must not pass for a whole one: the transfer is cut short.
          return void res.destroy();
        }
        const { nodes, pageInfo } = (body.data as LeadsExportPageQuery).leads;
        if (first) {
          res.status(200);
          res.setHeader('Content-Type', 'text/csv; charset=utf-8');
          res.setHeader('Content-Disposition', 'attachment; filename="leads.csv"');
          res.setHeader('Cache-Control', 'no-store');
        }
        // csv-stringify quotes a field holding the record delimiter (CRLF) but not a lone LF or CR, which would
        // then split the record: any line break is quoted.
        const options = { bom: first, header: first, columns: [...COLUMNS], record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const;
        await write(res, stringify(nodes.map(recordOf), options));
        first = false;
        if (!pageInfo.hasNextPage || !pageInfo.endCursor) break;
        after = pageInfo.endCursor;
      }
      res.end();
    } catch (error) {
      log.error({ reason: (error as Error).message }, 'the leads export failed');
      if (first) render(res, { status: 500, code: ErrorCode.Internal, message: 'Unexpected error' });
      else res.destroy();
    }
  });
}

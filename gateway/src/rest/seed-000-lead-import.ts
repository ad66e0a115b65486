import { ImportLeadsFileDocument, type ImportLeadsFileMutation } from '../generated/graphql.js';
import { LeadImportOutcome, LeadImportStatus } from '../generated/enums.js';
import { reply, route, type JsonSchema, type RestRoute } from './route.js';
import { dateTime, legacyValues, lower, nullableString } from './shapes.js';

// Seed 000's CSV import (`/leads/import`), the file as a multipart upload; spread into its route table (seed-000.ts).
// The export (`/leads/export.csv`) streams, so it is mounted apart (leads-csv.ts).

type LeadImport = ImportLeadsFileMutation['importLeads'];

const importOut = (job: LeadImport) => ({
  id: job.id,
  status: lower(job.status),
  file_name: job.fileName,
  merge: job.merge,
  total: job.total,
  processed: job.processed,
  created: job.created,
  updated: job.updated,
  skipped: job.skipped,
  rows: job.rows.map((r) => ({ line: r.line, outcome: lower(r.outcome), lead_id: r.leadId, reason: r.reason })),
  error: job.error,
  created_at: job.createdAt,
  finished_at: job.finishedAt,
});

const importSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: legacyValues(LeadImportStatus) },
    file_name: { type: 'string' },
    merge: { type: 'boolean' },
    total: { type: 'integer', description: 'Rows of the file' },
    processed: { type: 'integer' },
    created: { type: 'integer' },
    updated: { type: 'integer' },
    skipped: { type: 'integer' },
    rows: {
      type: 'array',
      description: 'Every row that did not create a lead, by its line in the file',
      items: {
        type: 'object',
        properties: {
          line: { type: 'integer' },
          outcome: { type: 'string', enum: legacyValues(LeadImportOutcome) },
          lead_id: { ...nullableString, format: 'uuid' },
          reason: nullableString,
        },
      },
    },
    error: nullableString,
    created_at: dateTime,
    finished_at: dateTime,
  },
};

/** `true` and `1` (any case) merge; anything else, or nothing, does not. */
const merges = (value: unknown) => typeof value === 'string' && ['true', '1'].includes(value.toLowerCase());

export const leadImportRoutes = (base: string): RestRoute[] => [
  route({
    method: 'post',
    path: `${base}/leads/import`,
    summary: 'Import leads from a CSV file (the export’s columns, or any with a name); a large file goes on as a job (202)',
    operation: ImportLeadsFileDocument,
    uploads: { field: 'file', maxFiles: 1, required: true, description: 'The CSV file (UTF-8, with or without a BOM; `,` or `;`)' },
    query: {
      merge: { type: 'string', description: '`true` updates the lead a row duplicates (same phone or e-mail) instead of skipping it' },
    },
    body: { type: 'object', properties: { merge: { type: 'string', description: 'As the query parameter' } } },
    variables: ({ files, query, body }) => ({ file: files[0], merge: merges(query.merge ?? body.merge) }),
    respond: (d) => (d.importLeads.status === LeadImportStatus.Running ? reply(202, importOut(d.importLeads)) : importOut(d.importLeads)),
    response: importSchema,
    otherResponses: { 202: 'The import runs on as a job: poll `leadImport(id:)` or subscribe to `leadImportProgress`' },
  }),
];

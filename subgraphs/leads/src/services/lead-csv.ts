import { parse } from 'csv-parse/sync';
import { validate } from 'class-validator';
import { AppError, ErrorCode, badInput } from '@salesgraph/platform';
import { LeadSource, LeadStatus } from '../types/enums.js';
import { CreateLeadInput } from '../types/inputs.js';

/** The most rows one import takes (the file is also bounded by the upload limit, `uploadLimits().maxBytes`). */
export const MAX_IMPORT_ROWS = 20_000;

type Column =
  'name' | 'company' | 'email' | 'phone' | 'source' | 'status' | 'budget' | 'notes' | 'qualityScore' | 'assignedTo' | 'campaignId';

/** The columns an import reads, as the file names them (`quality_score`, `qualityScore`, `Quality Score` alike). */
const COLUMNS: Record<string, Column> = {
  name: 'name',
  company: 'company',
  email: 'email',
  phone: 'phone',
  source: 'source',
  status: 'status',
  budget: 'budget',
  notes: 'notes',
  qualityscore: 'qualityScore',
  assignedto: 'assignedTo',
  campaignid: 'campaignId',
};
const COLUMN_NAMES = 'name, company, email, phone, source, status, budget, notes, quality_score, assigned_to, campaign_id';
/** Columns of an export that an import leaves alone, so an exported file imports as it is. */
const IGNORED = new Set(['id', 'phonee164', 'scorecategory', 'createdat', 'updatedat']);

/** How a reason names a field: by its column. */
const LABELS: Record<string, string> = {
  qualityScore: 'quality_score',
  assignedUserId: 'assigned_to',
  campaignId: 'campaign_id',
};

const keyOf = (header: string) => header.toLowerCase().replace(/[\s_-]/g, '');

/** A row of the file: the line it starts on, and the input it stands for or why it cannot be one. */
export type CsvRow = { line: number; input: CreateLeadInput; problem?: undefined } | { line: number; input?: undefined; problem: string };

/** `;` when the header has more of them than commas (outside quotes), else `,`. */
function delimiterOf(text: string): ';' | ',' {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '\n') break;
    else if (!quoted && char === ';') semicolons++;
    else if (!quoted && char === ',') commas++;
  }
  return semicolons > commas ? ';' : ',';
}

/**
 * Reads a CSV file of leads: UTF-8 (a BOM is skipped), `,` or `;` between fields, quoted fields may hold
 * separators, quotes and line breaks. Columns are found by their header; blank lines are skipped. Each row
 * carries the line it starts on, which a quoted multi-line field makes differ from its index.
 */
export async function readLeadsCsv(content: Buffer): Promise<CsvRow[]> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw badInput('The file must be UTF-8 text');
  }
  // One kind of line break, so lines count the same whatever wrote the file.
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let records: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter: delimiterOf(text),
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
      to: MAX_IMPORT_ROWS + 2,
    }) as unknown as typeof records;
  } catch (error) {
    const { message, lines } = error as { message: string; lines?: number };
    throw badInput(`The file is not valid CSV${lines ? ` (line ${lines})` : ''}: ${message.replace(/^Invalid /, '').split(':')[0]}`);
  }
  const [header, ...body] = records;
  if (!header) throw badInput('The file is empty: it needs a header row naming its columns');
  if (body.length > MAX_IMPORT_ROWS) throw new AppError(ErrorCode.PayloadTooLarge, `An import takes at most ${MAX_IMPORT_ROWS} rows`);
  const columns = header.record.map((name) => {
    const key = keyOf(name.trim());
    if (COLUMNS[key]) return COLUMNS[key];
    if (IGNORED.has(key) || key === '') return undefined;
    throw badInput(`Unknown column "${name.trim()}": the columns are ${COLUMN_NAMES}`);
  });
  if (!columns.includes('name')) throw badInput('The file needs a name column');
  const seen = new Set<Column>();
  for (const column of columns) {
    if (column && seen.has(column)) throw badInput(`The column ${column} appears twice`);
    if (column) seen.add(column);
  }
  const rows: CsvRow[] = [];
  for (const { record, raw, info } of body) {
    // info.lines is the line the record ends on; blank lines before it are part of its raw text.
    const breaks = raw.replace(/^\n+/, '').replace(/\n$/, '').split('\n').length - 1;
    const line = info.lines - breaks;
    const values: Partial<Record<Column, string>> = {};
    columns.forEach((column, i) => {
      const value = record[i]?.trim().replace(/^'(?=[=+\-@])/, '');
      if (column && value) values[column] = value;
    });
    const input = await inputOf(values);
    rows.push(typeof input === 'string' ? { line, problem: input } : { line, input });
  }
  return rows;
}

function enumValue<T extends Record<string, string>>(values: T, given: string): T[keyof T] | undefined {
  const key = given.toLowerCase().replace(/[\s-]/g, '_');
  return Object.values(values).find((v) => v === key) as T[keyof T] | undefined;
}

function numberOf(given: string): number | undefined {
  // People write 1 500,50 as often as 1500.50.
  const compact = given.replace(/[\s\u00a0]/g, '');
  const normalized = compact.includes('.') ? compact.replace(/,/g, '') : compact.replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(normalized)) return undefined;
  return Number(normalized);
}

/** The input a row stands for, checked by CreateLeadInput's own rules, or the first reason it is not one. */
async function inputOf(values: Partial<Record<Column, string>>): Promise<CreateLeadInput | string> {
  if (Object.values(values).some((v) => v?.includes('\u0000'))) return 'must not contain the NUL character (U+0000)';
  if (!values.name) return 'name is missing';
  const input = Object.assign(new CreateLeadInput(), {
    name: values.name,
    company: values.company,
    email: values.email,
    phone: values.phone,
    notes: values.notes,
    assignedUserId: values.assignedTo,
    campaignId: values.campaignId,
  });
  // A row that names no source came from this import.
  input.source = values.source ? enumValue(LeadSource, values.source) : LeadSource.IMPORT;
  if (!input.source) return `source must be one of ${Object.values(LeadSource).join(', ')}`;
  if (values.status) {
    input.status = enumValue(LeadStatus, values.status);
    if (!input.status) return `status must be one of ${Object.values(LeadStatus).join(', ')}`;
  }
  if (values.budget) {
    input.budget = numberOf(values.budget);
    if (input.budget === undefined) return 'budget must be a number';
  }
  if (values.qualityScore) {
    const score = numberOf(values.qualityScore);
    if (score === undefined || !Number.isInteger(score)) return 'quality_score must be a whole number';
    input.qualityScore = score;
  }
  for (const key of Object.keys(input) as (keyof CreateLeadInput)[]) if (input[key] === undefined) delete input[key];
  const errors = await validate(input, { forbidUnknownValues: false });
  if (errors.length) {
    const [first] = errors;
    const field = LABELS[first.property] ?? first.property;
    const message = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    return message.startsWith(first.property) ? `${field}${message.slice(first.property.length)}` : `${field} ${message}`;
  }
  return input;
}

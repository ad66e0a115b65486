import type { EntityManager } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { seesWholeOrganization, uuidOrNothing, type EventBus, type SignedIn, type UploadedFile } from '@salesgraph/platform';
import { LeadImport } from '../entities/index.js';
import type { CreateLeadInput } from '../types/inputs.js';
import { LeadImportOutcome, LeadImportStatus, type LeadImportRow } from '../types/lead-import.type.js';
import type { DuplicateMatch } from '../types/lead.type.js';
import { readLeadsCsv, type CsvRow } from './lead-csv.js';
import type { Assignees, CreateOutcome, LeadService } from './leads.js';

export const LEAD_IMPORT_TOPIC = 'leadImport';

export interface LeadImportEventPayload {
  [field: string]: unknown;
  importId: string;
  organizationId: string;
  startedByUserId: number;
}

/**
 * Rows per transaction: each batch commits, moves the totals and publishes progress. Small enough that a batch
 * holds the embedded database (one connection, run on this process's thread) for well under 100 ms.
 */
export const IMPORT_BATCH_ROWS = 50;
/**
 * The pause between batches, in which other requests get the database: long enough for a request that needs
 * several statements one after another (sign-in check, count, page) to finish, rather than wait a batch for each.
 */
const BATCH_PAUSE_MS = 30;
/** Files up to this many rows are imported before the mutation answers; larger ones answer at once, running. */
export const SYNC_IMPORT_ROWS = 500;
/** A running import whose totals have not moved for this long was interrupted (its process stopped). */
export const STALE_IMPORT_MS = 2 * 60_000;

const INTERRUPTED = 'Interrupted: the server stopped during the import; the rows counted as processed were imported';

/** Imports the caller may read: their own, or the organization's for managers, analysts and admins. */
export function visibleImports(caller: SignedIn) {
  return seesWholeOrganization(caller)
    ? { organizationId: caller.organizationId }
    : { organizationId: caller.organizationId, startedByUserId: caller.userId };
}

/** Whether an import event reaches a subscriber (the same rule as `visibleImports`). */
export function mayWatchImport(caller: SignedIn, payload: LeadImportEventPayload): boolean {
  return payload.organizationId === caller.organizationId && (seesWholeOrganization(caller) || payload.startedByUserId === caller.userId);
}

/**
 * CSV imports of leads as jobs. Rows go through `LeadService.createMany`, so each meets createLead's rules
 * and duplicate check (rows imported earlier in the same file included) and a refused row costs only
 * itself; rows commit in batches of IMPORT_BATCH_ROWS, each moving the import's totals in its transaction.
 *
 * A large file runs in this process once the mutation has answered, not as a pg-boss job: a job would have to
 * store the file (up to 4 MiB) and the caller's identity on the import, and its retry resume from the committed
 * totals. Instead an import whose process stops is reported failed with how far it got: its committed rows
 * stay, and importing the file again skips them as duplicates (or, with merge, updates them).
 */
export class LeadImportService {
  constructor(
    private readonly bus: EventBus,
    private readonly leads: LeadService,
  ) {}

  /** Reads the file, records the import and runs it; small files finish before this answers. */
  async start(em: EntityManager, caller: SignedIn, file: UploadedFile, merge: boolean): Promise<LeadImport> {
    const rows = await readLeadsCsv(file.content);
    const job = em.create(LeadImport, {
      organizationId: caller.organizationId,
      startedByUserId: caller.userId,
      fileName: file.filename,
      merge,
      status: LeadImportStatus.RUNNING,
      total: rows.length,
      processed: 0,
      created: 0,
      updated: 0,
      skipped: 0,
      rows: [],
    });
    await em.flush();
    const worker = em.fork({ clear: true });
    if (rows.length <= SYNC_IMPORT_ROWS) {
      await this.run(worker, caller, job.id, rows, merge);
      return worker.findOneOrFail(LeadImport, job.id);
    }
    // Larger files run once this request is answered, on their own entity manager.
    setImmediate(
      () =>
        void this.run(worker, caller, job.id, rows, merge).catch((error: unknown) => console.error(`lead import ${job.id} failed`, error)),
    );
    return job;
  }

  /** An import the caller may see, or null; one left running by a stopped process reads as failed. */
  async find(em: EntityManager, caller: SignedIn, id: string): Promise<LeadImport | null> {
    const uuid = uuidOrNothing(id);
    const job = uuid ? await em.findOne(LeadImport, { id: uuid, ...visibleImports(caller) }) : null;
    if (job?.status === LeadImportStatus.RUNNING && Date.now() - job.updatedAt.getTime() > STALE_IMPORT_MS) {
      await failStaleImports(em, { id: job.id });
      await em.refresh(job);
    }
    return job;
  }

  private async run(em: EntityManager, caller: SignedIn, id: string, rows: CsvRow[], merge: boolean): Promise<void> {
    const report: LeadImportRow[] = [];
    const totals = { processed: 0, created: 0, updated: 0, skipped: 0 };
    /** The line that created each lead of this import, to name it in a later duplicate's reason. */
    const createdOnLine = new Map<string, number>();
    /** Assignees checked with identity so far: each distinct id once per import. */
    const assignees: Assignees = new Map();
    try {
      for (let start = 0; start < rows.length || start === 0; start += IMPORT_BATCH_ROWS) {
        const batch = rows.slice(start, start + IMPORT_BATCH_ROWS);
        const last = start + IMPORT_BATCH_ROWS >= rows.length;
        const readable = batch.filter((row): row is CsvRow & { input: CreateLeadInput } => Boolean(row.input));
        // Identity is asked before the batch's transaction opens (a peer call must not hold one).
        const unchecked = readable.map((row) => row.input.assignedUserId).filter((uid) => uid != null && !assignees.has(uid));
        for (const [uid, checked] of await this.leads.checkedAssignees(caller, unchecked)) assignees.set(uid, checked);
        /** Leads this batch created, by line: known to later batches once it commits. */
        const lines = new Map<string, number>();
        let committed: LeadImport | undefined;
        const inputs = readable.map((row) => row.input);
        await this.leads.createMany(em, caller, inputs, merge, assignees, async (tx, outcomes) => {
          const byRow = new Map<CsvRow, CreateOutcome>(readable.map((row, i) => [row, outcomes[i]]));
          const done = batch.map((row) => reportOf(row, byRow.get(row), createdOnLine, lines));
          const count = (outcome: LeadImportOutcome) => done.filter((r) => r.outcome === outcome).length;
          const job = await tx.findOneOrFail(LeadImport, id);
          job.processed = totals.processed + done.length;
          job.created = totals.created + count(LeadImportOutcome.CREATED);
          job.updated = totals.updated + count(LeadImportOutcome.UPDATED);
          job.skipped = totals.skipped + count(LeadImportOutcome.SKIPPED);
          job.rows = [...report, ...done.filter((r) => r.outcome !== LeadImportOutcome.CREATED)];
          if (last) {
            job.status = LeadImportStatus.COMPLETED;
            job.finishedAt = new Date();
          }
          await tx.flush();
          await this.publish(tx, job);
          committed = job;
        });
        // Counted once the batch has committed.
        const job = committed!;
        Object.assign(totals, { processed: job.processed, created: job.created, updated: job.updated, skipped: job.skipped });
        report.splice(0, report.length, ...job.rows);
        for (const [leadId, line] of lines) createdOnLine.set(leadId, line);
        // The identity map would otherwise hold every lead of the file.
        em.clear();
        // Lets requests queued meanwhile reach the database before the next batch (the embedded one has a single connection).
        await new Promise((resolve) => setTimeout(resolve, BATCH_PAUSE_MS));
      }
    } catch (error) {
      em.clear();
      const reason = error instanceof GraphQLError ? error.message : 'The import stopped on an unexpected error';
      await em.transactional(async (tx) => {
        await tx.nativeUpdate(LeadImport, { id }, { status: LeadImportStatus.FAILED, error: reason, finishedAt: new Date() });
        const job = await tx.findOneOrFail(LeadImport, id);
        await this.publish(tx, job);
      });
      throw error;
    }
  }

  private publish(tx: EntityManager, job: LeadImport) {
    const payload: LeadImportEventPayload = {
      importId: job.id,
      organizationId: job.organizationId,
      startedByUserId: job.startedByUserId,
    };
    return this.bus.publish(tx, LEAD_IMPORT_TOPIC, payload);
  }
}

/**
 * Marks failed the imports left running by a process that stopped (their totals stopped moving): run at
 * start, and whenever one is read. The rows already committed stay imported; the report says how far it got.
 */
export async function failStaleImports(em: EntityManager, where: { id?: string } = {}): Promise<number> {
  return em.nativeUpdate(
    LeadImport,
    { ...where, status: LeadImportStatus.RUNNING, updatedAt: { $lt: new Date(Date.now() - STALE_IMPORT_MS) } },
    { status: LeadImportStatus.FAILED, error: INTERRUPTED, finishedAt: new Date() },
  );
}

/**
 * What became of one row: created, updated (merged), or skipped with why. A duplicate names the line that
 * created its lead, from earlier batches (`earlier`) or this one (`lines`, which takes this batch's creations).
 */
function reportOf(
  row: CsvRow,
  outcome: CreateOutcome | undefined,
  earlier: ReadonlyMap<string, number>,
  lines: Map<string, number>,
): LeadImportRow {
  const skipped = (reason: string, leadId: string | null = null): LeadImportRow => ({
    line: row.line,
    outcome: LeadImportOutcome.SKIPPED,
    leadId,
    reason,
  });
  if (!row.input || !outcome) return skipped(row.problem ?? 'The row could not be read');
  if ('error' in outcome) return skipped(outcome.error.message);
  const matched = (leadId: string, matchedOn: DuplicateMatch[]) => {
    const firstLine = earlier.get(leadId) ?? lines.get(leadId);
    return `${firstLine ? `the lead of line ${firstLine}` : 'an existing lead'} (same ${matchedOn.join(' and ')})`;
  };
  if ('existing' in outcome) return skipped(`Duplicate of ${matched(outcome.existing.id, outcome.matchedOn)}`, outcome.existing.id);
  const leadId = outcome.lead.id;
  if (outcome.merged)
    return {
      line: row.line,
      outcome: LeadImportOutcome.UPDATED,
      leadId,
      reason: `Merged into ${matched(leadId, outcome.matchedOn ?? [])}`,
    };
  lines.set(leadId, row.line);
  return { line: row.line, outcome: LeadImportOutcome.CREATED, leadId, reason: null };
}

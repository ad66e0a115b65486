import type { EntityManager } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { ErrorCode, seesWholeOrganization, type EventBus, type SignedIn, type UploadedFile } from '@salesgraph/platform';
import { LeadImport } from '../entities/index.js';
import { LeadImportOutcome, LeadImportStatus, type LeadImportRow } from '../types/lead-import.type.js';
import { uuidOrNothing } from './ids.js';
import { readLeadsCsv, type CsvRow } from './lead-csv.js';
import type { LeadService } from './leads.js';

export const LEAD_IMPORT_TOPIC = 'leadImport';

export interface LeadImportEventPayload {
  [field: string]: unknown;
  importId: string;
  organizationId: string;
  startedByUserId: number;
}

/** Rows per transaction: each batch commits, moves the totals and publishes progress. */
export const IMPORT_BATCH_ROWS = 100;
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
 * CSV imports of leads as jobs. Every row goes through `LeadService.create`, so it meets createLead's rules
 * and duplicate check (rows imported earlier in the same file included); rows commit in batches of
 * IMPORT_BATCH_ROWS, each row in its own savepoint, so a refused row costs only itself.
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
    try {
      for (let start = 0; start < rows.length || start === 0; start += IMPORT_BATCH_ROWS) {
        const batch = rows.slice(start, start + IMPORT_BATCH_ROWS);
        const last = start + IMPORT_BATCH_ROWS >= rows.length;
        const { job, created } = await em.transactional(async (tx) => {
          const done: LeadImportRow[] = [];
          const created = new Map<string, number>();
          for (const row of batch) done.push(await this.importRow(tx, caller, row, merge, createdOnLine, created));
          const job = await tx.findOneOrFail(LeadImport, id);
          job.processed = totals.processed + done.length;
          job.created = totals.created + done.filter((r) => r.outcome === LeadImportOutcome.CREATED).length;
          job.updated = totals.updated + done.filter((r) => r.outcome === LeadImportOutcome.UPDATED).length;
          job.skipped = totals.skipped + done.filter((r) => r.outcome === LeadImportOutcome.SKIPPED).length;
          job.rows = [...report, ...done.filter((r) => r.outcome !== LeadImportOutcome.CREATED)];
          if (last) {
            job.status = LeadImportStatus.COMPLETED;
            job.finishedAt = new Date();
          }
          await tx.flush();
          await this.publish(tx, job);
          return { job, created };
        });
        // Counted once the batch has committed.
        Object.assign(totals, { processed: job.processed, created: job.created, updated: job.updated, skipped: job.skipped });
        report.splice(0, report.length, ...job.rows);
        for (const [leadId, line] of created) createdOnLine.set(leadId, line);
        // The identity map would otherwise hold every lead of the file.
        em.clear();
        // Lets other requests reach the database between batches (the embedded one has a single connection).
        await new Promise((resolve) => setTimeout(resolve, 5));
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

  private async importRow(
    tx: EntityManager,
    caller: SignedIn,
    row: CsvRow,
    merge: boolean,
    createdOnLine: ReadonlyMap<string, number>,
    created: Map<string, number>,
  ): Promise<LeadImportRow> {
    const skipped = (reason: string, leadId: string | null = null): LeadImportRow => ({
      line: row.line,
      outcome: LeadImportOutcome.SKIPPED,
      leadId,
      reason,
    });
    if (!row.input) return skipped(row.problem);
    try {
      // First without merge, so a duplicate is known as one; with merge, the same call then updates it.
      const result = await this.leads.create(tx, caller, row.input, false);
      if (!('existing' in result)) {
        created.set(result.id, row.line);
        return { line: row.line, outcome: LeadImportOutcome.CREATED, leadId: result.id, reason: null };
      }
      const firstLine = createdOnLine.get(result.existing.id) ?? created.get(result.existing.id);
      const what = `${firstLine ? `the lead of line ${firstLine}` : 'an existing lead'} (same ${result.matchedOn.join(' and ')})`;
      if (!merge) return skipped(`Duplicate of ${what}`, result.existing.id);
      const updated = await this.leads.create(tx, caller, row.input, true);
      const leadId = 'existing' in updated ? updated.existing.id : updated.id;
      return { line: row.line, outcome: LeadImportOutcome.UPDATED, leadId, reason: `Merged into ${what}` };
    } catch (error) {
      // Refusals createLead would answer with (unknown campaign or assignee) skip the row; anything else stops the import.
      const code = error instanceof GraphQLError ? error.extensions.code : undefined;
      if (code === ErrorCode.BadUserInput || code === ErrorCode.NotFound || code === ErrorCode.Forbidden)
        return skipped((error as GraphQLError).message);
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

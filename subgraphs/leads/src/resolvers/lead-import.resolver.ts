import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver, Root, Subscription, type SubscriptionHandlerData } from 'type-graphql';
import { Hydrate, UploadScalar, WRITERS, requireRole, type SubgraphContext, type UploadedFile } from '@salesgraph/platform';
import type { LeadImport } from '../entities/index.js';
import {
  IMPORT_BATCH_ROWS,
  LEAD_IMPORT_TOPIC,
  SYNC_IMPORT_ROWS,
  mayWatchImport,
  type LeadImportEventPayload,
  type LeadImportService,
} from '../services/lead-import.js';
import { MAX_IMPORT_ROWS } from '../services/lead-csv.js';
import { LeadImportType } from '../types/lead-import.type.js';

type ImportFilterData = SubscriptionHandlerData<LeadImportEventPayload, { id: string }, SubgraphContext>;

/** CSV imports of leads: started by writers (not guests), read and watched by who started them or the organization's managers. */
@Resolver(() => LeadImportType)
export class LeadImportResolver {
  constructor(private readonly service: LeadImportService) {}

  @Authorized(WRITERS)
  @Mutation(() => LeadImportType, {
    description:
      `Imports leads from a CSV file (UTF-8, "," or ";", a header naming the columns name, company, email, phone, source, status, ` +
      `budget, notes, quality_score, assigned_to, campaign_id). Each row is checked and deduplicated as createLead does. Files of up to ` +
      `${SYNC_IMPORT_ROWS} rows answer finished; larger ones answer running (follow leadImportProgress). At most ${MAX_IMPORT_ROWS} rows.`,
  })
  importLeads(
    @Arg('file', () => UploadScalar) file: UploadedFile,
    @Arg('merge', { defaultValue: false, description: 'Update the matching lead of a duplicate row instead of skipping it' })
    merge: boolean,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<LeadImport> {
    return this.service.start(em, requireRole(identity, WRITERS), file, merge);
  }

  @Authorized()
  @Query(() => LeadImportType, {
    nullable: true,
    description: 'An import of leads you started (any of your organization for managers and admins)',
  })
  leadImport(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<LeadImport | null> {
    return this.service.find(em, requireRole(identity), id);
  }

  @Authorized()
  @Hydrate('leadImport')
  @Subscription(() => LeadImportType, {
    topics: LEAD_IMPORT_TOPIC,
    filter: ({ payload, context, args }: ImportFilterData) =>
      payload.importId === args.id.toLowerCase() && mayWatchImport(requireRole(context.identity), payload),
    description: `An import of leads moved: every ${IMPORT_BATCH_ROWS} rows, and when it completes or fails`,
  })
  leadImportProgress(@Root() payload: LeadImportEventPayload, @Arg('id', () => ID) _id: string): LeadImportType {
    return { id: payload.importId } as LeadImportType;
  }
}

import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum LeadImportStatus {
  RUNNING = 'running',
  COMPLETED = 'completed',
  FAILED = 'failed',
}
registerEnumType(LeadImportStatus, {
  name: 'LeadImportStatus',
  description: 'An import of leads still running, done, or stopped by an error',
});

export enum LeadImportOutcome {
  CREATED = 'created',
  UPDATED = 'updated',
  SKIPPED = 'skipped',
}
registerEnumType(LeadImportOutcome, { name: 'LeadImportOutcome' });

/** One row of the report, as stored. */
export interface LeadImportRow {
  line: number;
  outcome: LeadImportOutcome;
  leadId: string | null;
  reason: string | null;
}

@ObjectType('LeadImportRow', { description: 'What became of one row of an imported file' })
export class LeadImportRowType {
  @Field(() => Int, { description: 'The line of the file the row starts on (the header is line 1)' }) line!: number;
  @Field(() => LeadImportOutcome) outcome!: LeadImportOutcome;
  @Field(() => ID, { nullable: true, description: 'The lead created or updated, or the existing lead a duplicate matched' })
  leadId!: string | null;
  @Field(() => String, { nullable: true, description: 'Why the row was skipped, or what it matched' }) reason!: string | null;
}

@ObjectType('LeadImport', { description: 'A CSV import of leads: its progress, totals and the rows that did not simply create a lead' })
export class LeadImportType {
  @Field(() => ID) id!: string;
  @Field(() => LeadImportStatus) status!: LeadImportStatus;
  @Field() fileName!: string;
  @Field({ description: 'Duplicates update the existing lead instead of being skipped' }) merge!: boolean;
  @Field(() => Int, { description: 'Rows in the file, the header excluded' }) total!: number;
  @Field(() => Int) processed!: number;
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) skipped!: number;
  @Field(() => [LeadImportRowType], { description: 'Rows updated or skipped, in file order (created rows are only counted)' })
  rows!: LeadImportRow[];
  @Field(() => String, { nullable: true, description: 'Why the import stopped, when it failed' }) error!: string | null;
  @Field(() => ID) startedByUserId!: number;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
}

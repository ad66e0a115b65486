import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import { Connection } from '@salesgraph/platform';
import { NicheStatus } from './enums.js';

@Directive('@key(fields: "id")')
@ObjectType('Niche', { description: 'A market niche tested with campaigns (seed 001)' })
export class NicheType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: 'e.g. "electronics_repair"' }) category!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => NicheStatus) status!: NicheStatus;
  @Field(() => Float, { nullable: true, description: 'Target cost per lead' }) cplTarget!: number | null;
  @Field(() => Float, { nullable: true, description: 'Target return on investment, per cent' }) roiTarget!: number | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType('NicheConnection')
export class NicheConnection extends Connection(NicheType, 'Niche') {}

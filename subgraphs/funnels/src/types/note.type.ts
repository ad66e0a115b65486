import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '@salesgraph/platform';

@Directive('@key(fields: "id")')
@ObjectType('FunnelsNote', { description: 'A note of the funnels subgraph' })
export class FunnelsNoteType {
  @Field(() => ID) id!: number;
  @Field() title!: string;
  @Field(() => ID, { description: 'The user who wrote it' }) authorId!: number;
  @Field() createdAt!: Date;
}

@ObjectType('FunnelsNoteConnection')
export class FunnelsNoteConnection extends Connection(FunnelsNoteType, 'FunnelsNote') {}

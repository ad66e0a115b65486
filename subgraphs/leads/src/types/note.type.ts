import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '@salesgraph/platform';

@Directive('@key(fields: "id")')
@ObjectType('LeadsNote', { description: 'A note of the leads subgraph' })
export class LeadsNoteType {
  @Field(() => ID) id!: number;
  @Field() title!: string;
  @Field(() => ID, { description: 'The user who wrote it' }) authorId!: number;
  @Field() createdAt!: Date;
}

@ObjectType('LeadsNoteConnection')
export class LeadsNoteConnection extends Connection(LeadsNoteType, 'LeadsNote') {}

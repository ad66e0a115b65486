import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '@salesgraph/platform';

@Directive('@key(fields: "id")')
@ObjectType('SupportNote', { description: 'A note of the support subgraph' })
export class SupportNoteType {
  @Field(() => ID) id!: number;
  @Field() title!: string;
  @Field(() => ID, { description: 'The user who wrote it' }) authorId!: number;
  @Field() createdAt!: Date;
}

@ObjectType('SupportNoteConnection')
export class SupportNoteConnection extends Connection(SupportNoteType, 'SupportNote') {}

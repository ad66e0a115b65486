import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '@salesgraph/platform';

@Directive('@key(fields: "id")')
@ObjectType('AiNote', { description: 'A note of the ai subgraph' })
export class AiNoteType {
  @Field(() => ID) id!: number;
  @Field() title!: string;
  @Field(() => ID, { description: 'The user who wrote it' }) authorId!: number;
  @Field() createdAt!: Date;
}

@ObjectType('AiNoteConnection')
export class AiNoteConnection extends Connection(AiNoteType, 'AiNote') {}

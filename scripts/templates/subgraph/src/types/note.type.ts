import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '@salesgraph/platform';

@Directive('@key(fields: "id")')
@ObjectType('__Name__Note', { description: 'A note of the __name__ subgraph' })
export class __Name__NoteType {
  @Field(() => ID) id!: number;
  @Field() title!: string;
  @Field(() => ID, { description: 'The user who wrote it' }) authorId!: number;
  @Field() createdAt!: Date;
}

@ObjectType('__Name__NoteConnection')
export class __Name__NoteConnection extends Connection(__Name__NoteType, '__Name__Note') {}

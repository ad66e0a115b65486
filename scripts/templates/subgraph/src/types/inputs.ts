import { Field, InputType } from 'type-graphql';
import { Length } from 'class-validator';

@InputType()
export class Create__Name__NoteInput {
  @Field() @Length(1, 200) title!: string;
}

import { Field, InputType } from 'type-graphql';
import { Length } from 'class-validator';

@InputType()
export class CreateAiNoteInput {
  @Field() @Length(1, 200) title!: string;
}

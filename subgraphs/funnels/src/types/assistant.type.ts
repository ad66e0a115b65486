import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { MessageRole } from './enums.js';

/** One of the messages the assistant is given with its turn (internal). */
@Directive('@inaccessible')
@ObjectType('AssistantTurnMessage')
export class AssistantTurnMessageType {
  @Field(() => MessageRole) role!: MessageRole;
  @Field() text!: string;
}

/** The assistant's claimed turn to answer a client's message, and what it answers from (internal). */
@Directive('@inaccessible')
@ObjectType('AssistantTurn')
export class AssistantTurnType {
  @Field(() => ID) dialogId!: string;
  @Field(() => ID, { description: 'The client message it answers' }) messageId!: string;
  @Field(() => ID) organizationId!: string;
  @Field({ description: 'The text of that message' }) messageText!: string;
  @Field(() => String, {
    nullable: true,
    description: "The stage's assistant prompt (the funnel's first stage's when the dialog has none); null when empty",
  })
  prompt!: string | null;
  @Field(() => String, { nullable: true, description: "The stage's assistant name" }) assistantName!: string | null;
  @Field() clientName!: string;
  @Field(() => [AssistantTurnMessageType], { description: "The dialog's latest messages (at most 20), oldest first" })
  messages!: AssistantTurnMessageType[];
}

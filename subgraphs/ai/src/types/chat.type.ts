import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from '@salesgraph/platform';
import { ChatRole } from './enums.js';

@ObjectType('Persona', { description: 'A secretary persona (seed 004): built-in (anna, marina) or your organization’s' })
export class PersonaType {
  @Field({ description: 'Names it within your organization (a built-in one’s is the same everywhere)' }) code!: string;
  @Field() name!: string;
  @Field() systemPrompt!: string;
  @Field(() => String, { nullable: true }) voice!: string | null;
  @Field(() => String, { nullable: true }) defaultModel!: string | null;
  @Field({ description: 'A built-in persona, not stored by your organization' }) builtIn!: boolean;
}

@ObjectType('AiModel', { description: 'A model you may use: a provider’s, or a persona on a backend ({persona}-secretary-{backend})' })
export class AiModelType {
  @Field({ description: 'What to ask for as `model` (OpenAI’s model id)' }) name!: string;
  @Field({ description: 'local, openai, or a provider’s slug' }) provider!: string;
  @Field(() => String, { nullable: true }) persona!: string | null;
  @Field() created!: Date;
}

@ObjectType('ChatMessage')
export class ChatMessageType {
  @Field(() => ID) id!: string;
  @Field(() => ChatRole) role!: ChatRole;
  @Field() content!: string;
  @Field(() => String, { nullable: true, description: 'What produced an assistant message: local, openai or a provider’s slug' })
  provider!: string | null;
  @Field(() => String, { nullable: true }) model!: string | null;
  @Field() createdAt!: Date;
}

@ObjectType('ChatMessageConnection')
export class ChatMessageConnection extends Connection(ChatMessageType, 'ChatMessage') {}

@ObjectType('ChatSession', { description: 'A conversation with a persona; yours, or any of the organization’s for admins' })
export class ChatSessionType {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field() persona!: string;
  @Field(() => String, { nullable: true }) model!: string | null;
  @Field(() => ID) ownerUserId!: number;
  @Field(() => Int) messagesCount!: number;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType('ChatSessionConnection')
export class ChatSessionConnection extends Connection(ChatSessionType, 'ChatSession') {}

@ObjectType('ChatReply', { description: 'Your message and the persona’s answer' })
export class ChatReplyType {
  @Field(() => ChatMessageType) message!: ChatMessageType;
  @Field(() => ChatMessageType) reply!: ChatMessageType;
}

@ObjectType('ChatCompletion', { description: 'One answer of a model, and what it used' })
export class ChatCompletionType {
  @Field() id!: string;
  @Field() content!: string;
  @Field({ description: 'The model id as asked (a persona model id stays one)' }) model!: string;
  @Field({ description: 'What produced it: local (the offline provider, no language model), openai, or a provider’s slug' })
  provider!: string;
  @Field(() => Int) promptTokens!: number;
  @Field(() => Int) completionTokens!: number;
  @Field(() => Float, { description: 'USD' }) cost!: number;
  @Field() created!: Date;
}

@ObjectType('LlmProvider', { description: 'An OpenAI-compatible provider; its key is never returned, only its end' })
export class LlmProviderType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() slug!: string;
  @Field() baseUrl!: string;
  @Field(() => String, { nullable: true, description: 'The end of the key (…a1b2)' }) apiKeyHint!: string | null;
  @Field(() => [String]) models!: string[];
  @Field() defaultModel!: string;
  @Field() enabled!: boolean;
  @Field(() => ID, { nullable: true, description: 'Who it belongs to; none: the whole organization' }) ownerUserId!: number | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType('LlmProviderTest', { description: 'Whether a provider answered with its stored key just now' })
export class LlmProviderTestType {
  @Field() ok!: boolean;
  @Field(() => [String], { description: 'What it lists (empty when it has no model list)' }) models!: string[];
  @Field(() => String, { nullable: true, description: 'Why it did not answer' }) error!: string | null;
}

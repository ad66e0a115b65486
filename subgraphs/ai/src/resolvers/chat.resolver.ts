import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { ALL_ROLES, PageArgs, Role, WRITERS, requireRole, type SubgraphContext } from '@salesgraph/platform';
import type { ChatMessage, ChatSession } from '../entities/index.js';
import type { ChatService, ChatStreamEvent } from '../services/chat.js';
import type { PersonaService, PersonaView } from '../services/personas.js';
import { personaModelId, type Providers } from '../services/providers/index.js';
import {
  AiModelType,
  ChatCompletionType,
  ChatMessageConnection,
  ChatReplyType,
  ChatSessionConnection,
  ChatSessionType,
  PersonaType,
} from '../types/chat.type.js';
import { ChatCompletionInput, CreateChatSessionInput, SavePersonaInput, UpdateChatSessionInput } from '../types/inputs.js';
import { ChatStreamEventScalar } from '../types/stream-event.js';
import { SendChatMessageArgs } from '../types/args.js';
import { checked } from '../services/checked.js';
import { chatServiceOf } from '../services/stream-registry.js';

const PERSONA_EDITORS = [Role.ADMIN, Role.MANAGER];
/** When the models list was made: ids are stable, so one fixed time (OpenAI's `created`) is honest enough. */
const LISTED_SINCE = new Date('2026-01-01T00:00:00Z');

@Resolver(() => ChatSessionType)
export class ChatResolver {
  constructor(
    private readonly chat: ChatService,
    private readonly personaService: PersonaService,
    private readonly providers: Providers,
  ) {}

  @Authorized(ALL_ROLES)
  @Query(() => [AiModelType], { description: 'Models you may use: each backend’s, then every persona on every backend (seed 004)' })
  async aiModels(@Ctx() { em, identity }: SubgraphContext): Promise<AiModelType[]> {
    const caller = requireRole(identity);
    const backends = await this.providers.backends(em, caller);
    const personas = await this.personaService.list(em, caller);
    const models: AiModelType[] = [];
    for (const backend of backends) {
      for (const id of await backend.models()) models.push({ id, provider: backend.name, persona: null, created: LISTED_SINCE });
    }
    for (const persona of personas) {
      for (const backend of backends)
        models.push({
          id: personaModelId(persona.code, backend.name),
          provider: backend.name,
          persona: persona.code,
          created: LISTED_SINCE,
        });
    }
    return models;
  }

  @Authorized(ALL_ROLES)
  @Query(() => [PersonaType], { description: 'Your organization’s personas and the built-in ones it has not replaced' })
  personas(@Ctx() { em, identity }: SubgraphContext): Promise<PersonaView[]> {
    return this.personaService.list(em, requireRole(identity));
  }

  @Authorized(PERSONA_EDITORS)
  @Mutation(() => PersonaType, { description: 'Creates or replaces your organization’s persona with this code (managers and admins)' })
  savePersona(@Arg('input') input: SavePersonaInput, @Ctx() { em, identity }: SubgraphContext): Promise<PersonaView> {
    return this.personaService.save(em, requireRole(identity, PERSONA_EDITORS), input);
  }

  @Authorized(PERSONA_EDITORS)
  @Mutation(() => String, { description: 'Deletes your organization’s persona; a built-in one it replaced comes back' })
  deletePersona(@Arg('code') code: string, @Ctx() { em, identity }: SubgraphContext): Promise<string> {
    return this.personaService.delete(em, requireRole(identity, PERSONA_EDITORS), code);
  }

  @Authorized(ALL_ROLES)
  @Query(() => ChatSessionConnection, { description: 'Chat sessions: yours, or the organization’s for admins; latest first' })
  chatSessions(@Args() page: PageArgs, @Ctx() { em, identity }: SubgraphContext) {
    return this.chat.sessions(em, requireRole(identity), page);
  }

  @Authorized(ALL_ROLES)
  @Query(() => ChatSessionType)
  chatSession(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<ChatSession> {
    return this.chat.session(em, requireRole(identity), id);
  }

  @FieldResolver(() => String)
  persona(@Root() session: ChatSession): string {
    return session.personaCode;
  }

  @FieldResolver(() => ChatMessageConnection, { description: 'Oldest first' })
  messages(@Root() session: ChatSession, @Args() page: PageArgs, @Ctx() { em }: SubgraphContext) {
    return this.chat.messages(em, session, page);
  }

  @Authorized(WRITERS)
  @Mutation(() => ChatSessionType)
  createChatSession(@Arg('input') input: CreateChatSessionInput, @Ctx() { em, identity }: SubgraphContext): Promise<ChatSession> {
    return this.chat.create(em, requireRole(identity, WRITERS), input);
  }

  @Authorized(WRITERS)
  @Mutation(() => ChatSessionType)
  updateChatSession(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateChatSessionInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<ChatSession> {
    return this.chat.update(em, requireRole(identity, WRITERS), id, input);
  }

  @Authorized(WRITERS)
  @Mutation(() => ID)
  deleteChatSession(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<string> {
    return this.chat.delete(em, requireRole(identity, WRITERS), id);
  }

  @Authorized(WRITERS)
  @Mutation(() => ChatSessionType, { description: 'Forgets the session’s messages; the session stays' })
  resetChatSession(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<ChatSession> {
    return this.chat.reset(em, requireRole(identity, WRITERS), id);
  }

  @Authorized(WRITERS)
  @Mutation(() => ChatSessionType, { description: 'Your latest session with the persona, forgotten (seed 004 /reset_conversation)' })
  async resetConversation(
    @Arg('persona', { defaultValue: 'anna' }) persona: string,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<ChatSession> {
    const caller = requireRole(identity, WRITERS);
    const session = await this.chat.current(em, caller, persona);
    return this.chat.reset(em, caller, session.id);
  }

  @Authorized(WRITERS)
  @Mutation(() => ChatReplyType, {
    description: 'Sends a message in a session (or, without one, in your latest session with the persona) and answers it',
  })
  async sendChatMessage(
    @Args() args: SendChatMessageArgs,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<{ message: ChatMessage; reply: ChatMessage }> {
    const caller = requireRole(identity, WRITERS);
    const session = args.sessionId
      ? await this.chat.session(em, caller, args.sessionId)
      : await this.chat.current(em, caller, args.persona ?? 'anna');
    return this.chat.send(em, caller, session, args.content);
  }

  @Authorized(WRITERS)
  @Mutation(() => ChatCompletionType, { description: 'A completion of the conversation given (OpenAI /v1/chat/completions)' })
  async createChatCompletion(
    @Arg('input') input: ChatCompletionInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<ChatCompletionType> {
    const answer = await this.chat.complete(em, requireRole(identity, WRITERS), input);
    return { ...answer, model: answer.requested, created: new Date() };
  }

  @Authorized(WRITERS)
  @Subscription(() => ChatStreamEventScalar, {
    description: 'A completion of the conversation given, streamed; stopping the subscription stops the provider',
    subscribe: async ({ args, context }) => {
      const { em, identity } = context as SubgraphContext;
      const input = await checked(ChatCompletionInput, (args as { input: unknown }).input);
      return chatServiceOf(em).completeStreamed(em, requireRole(identity, WRITERS), input);
    },
  })
  chatCompletionStream(@Root() event: ChatStreamEvent, @Arg('input', { validate: false }) _input: ChatCompletionInput): ChatStreamEvent {
    return event;
  }

  @Authorized(WRITERS)
  @Subscription(() => ChatStreamEventScalar, {
    description: 'sendChatMessage, streamed: the answer’s pieces as they come; both messages are stored when it ends',
    subscribe: async ({ args, context }) => {
      const { em, identity } = context as SubgraphContext;
      const caller = requireRole(identity, WRITERS);
      const chat = chatServiceOf(em);
      const { sessionId, persona, content } = await checked(SendChatMessageArgs, args);
      const session = sessionId ? await chat.session(em, caller, sessionId) : await chat.current(em, caller, persona ?? 'anna');
      return chat.sendStreamed(em, caller, session, content);
    },
  })
  chatMessageStream(@Root() event: ChatStreamEvent, @Args({ validate: false }) _args: SendChatMessageArgs): ChatStreamEvent {
    return event;
  }
}

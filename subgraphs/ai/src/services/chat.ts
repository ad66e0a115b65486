import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { Role, badInput, notFound, uuidOrNothing, windowOf, type PageArgs, type SignedIn, findPage } from '@salesgraph/platform';
import { ChatMessage, ChatSession } from '../entities/index.js';
import { AiObjectType, AiOperation, ChatRole } from '../types/enums.js';
import type { ChatCompletionInput, CreateChatSessionInput, UpdateChatSessionInput } from '../types/inputs.js';
import type { PersonaService, PersonaView } from './personas.js';
import type { PromptMessage } from './providers/index.js';
import type { RunResult, RunStream, Runner } from './runner.js';

/** How many earlier messages of a session go with a new one. */
const HISTORY = 20;
const DEFAULT_PERSONA = 'anna';

/** One streamed completion's events: text pieces, then what produced it and what it used. */
export type ChatStreamEvent =
  | { delta: string }
  | { done: true; id: string; model: string; provider: string; promptTokens: number; completionTokens: number; cost: number };

const roleOf: Record<ChatRole, PromptMessage['role']> = {
  [ChatRole.SYSTEM]: 'system',
  [ChatRole.USER]: 'user',
  [ChatRole.ASSISTANT]: 'assistant',
};

/** Sessions a caller may see (seed 004): admins the organization's, everyone else their own. */
export function visibleSessions(caller: SignedIn): { organizationId: string; ownerUserId?: number } {
  return caller.role === Role.ADMIN
    ? { organizationId: caller.organizationId }
    : { organizationId: caller.organizationId, ownerUserId: caller.userId };
}

/**
 * Chat with personas: sessions that keep their history (seed 004's `/chat`, `/admin/chat/sessions`), and
 * stateless completions in OpenAI's manner (`/v1/chat/completions`), answered whole or streamed.
 */
export class ChatService {
  constructor(
    private readonly runner: Runner,
    private readonly personas: PersonaService,
  ) {}

  async sessions(em: EntityManager, caller: SignedIn, page: PageArgs) {
    const window = windowOf(page);
    return findPage(
      em,
      ChatSession,
      visibleSessions(caller),
      {
        orderBy: { updatedAt: 'desc', id: 'desc' },
      },
      window,
    );
  }

  async session(em: EntityManager, caller: SignedIn, id: string): Promise<ChatSession> {
    const uuid = uuidOrNothing(id);
    const session = uuid ? await em.findOne(ChatSession, { id: uuid, ...visibleSessions(caller) }) : null;
    if (!session) throw notFound('Chat session');
    return session;
  }

  async create(em: EntityManager, caller: SignedIn, input: CreateChatSessionInput): Promise<ChatSession> {
    const persona = await this.personas.find(em, caller, input.persona ?? DEFAULT_PERSONA);
    if (input.model) await this.runner.route(em, caller, input.model);
    const session = em.create(ChatSession, {
      organizationId: caller.organizationId,
      ownerUserId: caller.userId,
      title: input.title?.trim() || 'New chat',
      personaCode: persona.code,
      model: input.model ?? null,
      messagesCount: 0,
    });
    await em.persist(session).flush();
    return session;
  }

  async update(em: EntityManager, caller: SignedIn, id: string, input: UpdateChatSessionInput): Promise<ChatSession> {
    const session = await this.session(em, caller, id);
    if (input.persona) session.personaCode = (await this.personas.find(em, caller, input.persona)).code;
    if (input.title !== undefined) session.title = input.title.trim() || session.title;
    if (input.model !== undefined) {
      if (input.model) await this.runner.route(em, caller, input.model);
      session.model = input.model;
    }
    await em.flush();
    return session;
  }

  async delete(em: EntityManager, caller: SignedIn, id: string): Promise<string> {
    const session = await this.session(em, caller, id);
    await em.remove(session).flush();
    return session.id;
  }

  /** Forgets a session's history (seed 004's `/reset_conversation`); the session stays. */
  async reset(em: EntityManager, caller: SignedIn, id: string): Promise<ChatSession> {
    const session = await this.session(em, caller, id);
    await em.nativeDelete(ChatMessage, { session });
    session.messagesCount = 0;
    await em.flush();
    return session;
  }

  async messages(em: EntityManager, session: ChatSession, page: PageArgs) {
    const window = windowOf(page, 50);
    return findPage(em, ChatMessage, { session }, { orderBy: { id: 'asc' } }, window);
  }

  /** The caller's latest session with `persona`, or a new one (seed 004's `/chat` keeps one conversation per persona). */
  async current(em: EntityManager, caller: SignedIn, persona: string): Promise<ChatSession> {
    const code = (await this.personas.find(em, caller, persona)).code;
    const latest = await em.findOne(
      ChatSession,
      { organizationId: caller.organizationId, ownerUserId: caller.userId, personaCode: code },
      { orderBy: { updatedAt: 'desc', id: 'desc' } },
    );
    return latest ?? this.create(em, caller, { persona: code });
  }

  /** Sends a message in a session and stores it with the persona's answer. */
  async send(
    em: EntityManager,
    caller: SignedIn,
    session: ChatSession,
    content: string,
  ): Promise<{ message: ChatMessage; reply: ChatMessage }> {
    const { prompt, route, persona } = await this.prepare(em, caller, session, content);
    const answer = await this.runner.complete(em, caller, this.served(session), route, { messages: prompt, personaName: persona.name });
    return this.store(em, session, content, answer);
  }

  /** `send`, streamed: the pieces as they come; both messages are stored once it ends (with what came, if cut short). */
  async *sendStreamed(
    em: EntityManager,
    caller: SignedIn,
    session: ChatSession,
    content: string,
    signal?: AbortSignal,
  ): AsyncGenerator<ChatStreamEvent> {
    const { prompt, route, persona } = await this.prepare(em, caller, session, content);
    const stream = await this.runner.stream(em, caller, this.served(session), route, {
      messages: prompt,
      personaName: persona.name,
      signal,
    });
    yield* this.relay(stream, session.model ?? route.model, async (result) => {
      const { reply } = await this.store(em, session, content, result);
      return reply.id.toString();
    });
  }

  /** A stateless completion: the conversation as given, led by the persona's prompt when one is named. */
  async complete(em: EntityManager, caller: SignedIn, input: ChatCompletionInput): Promise<RunResult & { id: string; requested: string }> {
    const { prompt, route, persona } = await this.stateless(em, caller, input);
    const answer = await this.runner.complete(em, caller, { operation: AiOperation.CHAT }, route, {
      messages: prompt,
      personaName: persona?.name,
      maxTokens: input.maxTokens ?? undefined,
      temperature: input.temperature ?? undefined,
    });
    return { ...answer, id: `chatcmpl-${randomUUID()}`, requested: input.model ?? route.model };
  }

  /** `complete`, streamed; the provider request is aborted when the consumer stops early or `signal` fires. */
  async *completeStreamed(
    em: EntityManager,
    caller: SignedIn,
    input: ChatCompletionInput,
    signal?: AbortSignal,
  ): AsyncGenerator<ChatStreamEvent> {
    const { prompt, route, persona } = await this.stateless(em, caller, input);
    const stream = await this.runner.stream(em, caller, { operation: AiOperation.CHAT }, route, {
      messages: prompt,
      personaName: persona?.name,
      maxTokens: input.maxTokens ?? undefined,
      temperature: input.temperature ?? undefined,
      signal,
    });
    yield* this.relay(stream, input.model ?? route.model, () => Promise.resolve(`chatcmpl-${randomUUID()}`));
  }

  private async *relay(
    stream: RunStream,
    model: string,
    finished: (result: RunResult) => Promise<string>,
  ): AsyncGenerator<ChatStreamEvent> {
    for await (const delta of stream) yield { delta };
    const result = stream.result();
    const id = await finished(result);
    yield {
      done: true,
      id,
      model,
      provider: result.provider,
      promptTokens: result.promptTokens,
      completionTokens: result.completionTokens,
      cost: result.cost,
    };
  }

  private served(session: ChatSession) {
    return { operation: AiOperation.CHAT, objectType: AiObjectType.CHAT_SESSION, objectId: session.id };
  }

  private async prepare(em: EntityManager, caller: SignedIn, session: ChatSession, content: string) {
    if (!content.trim()) throw badInput('The message is empty', [{ field: 'content', message: 'blank' }]);
    const persona = await this.personas.find(em, caller, session.personaCode);
    const route = await this.runner.route(em, caller, session.model ?? persona.defaultModel);
    const history = (await em.find(ChatMessage, { session }, { orderBy: { id: 'desc' }, limit: HISTORY })).reverse();
    const prompt: PromptMessage[] = [
      { role: 'system', content: persona.systemPrompt },
      ...history.map((m) => ({ role: roleOf[m.role], content: m.content })),
      { role: 'user', content },
    ];
    return { prompt, route, persona };
  }

  private async stateless(em: EntityManager, caller: SignedIn, input: ChatCompletionInput) {
    if (!input.messages.length) throw badInput('messages must hold at least one message', [{ field: 'messages', message: 'empty' }]);
    const route = await this.runner.route(em, caller, input.model);
    const code = input.persona ?? route.persona;
    const persona: PersonaView | undefined = code ? await this.personas.find(em, caller, code) : undefined;
    const given = input.messages.map((m) => ({ role: roleOf[m.role], content: m.content }));
    // A persona's prompt leads unless the client brought its own system message (OpenWebUI may).
    const prompt: PromptMessage[] =
      persona && !given.some((m) => m.role === 'system') ? [{ role: 'system', content: persona.systemPrompt }, ...given] : given;
    return { prompt, route, persona };
  }

  private async store(em: EntityManager, session: ChatSession, content: string, answer: RunResult) {
    const message = em.create(ChatMessage, { session, role: ChatRole.USER, content, provider: null, model: null });
    const reply = em.create(ChatMessage, {
      session,
      role: ChatRole.ASSISTANT,
      content: answer.content,
      provider: answer.provider,
      model: answer.model,
    });
    session.messagesCount += 2;
    session.updatedAt = new Date();
    await em.persist([message, reply]).flush();
    return { message, reply };
  }
}

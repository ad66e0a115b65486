import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { ChatService } from './chat.js';

/**
 * The chat service of each running ai subgraph, by its ORM's configuration. type-graphql hands a
 * subscription's `subscribe` function only the request (no resolver instance), and a process may serve more
 * than one ai subgraph (tests do): the request's EntityManager, a fork of its subgraph's ORM, tells which.
 */
const services = new WeakMap<object, ChatService>();

export function registerChatService(orm: MikroORM, chat: ChatService): void {
  services.set(orm.config, chat);
}

export function chatServiceOf(em: EntityManager): ChatService {
  const chat = services.get(em.config);
  if (!chat) throw new Error('the ai subgraph was not started');
  return chat;
}

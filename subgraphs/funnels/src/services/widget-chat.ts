import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import {
  AppError,
  ErrorCode,
  forbidden,
  notFound,
  rateLimited,
  windowOf,
  uuidOrNothing,
  type Loaders,
  type PageArgs,
  findPage,
} from '@salesgraph/platform';
import { DialogMessage, WidgetInstance, WidgetVisitor } from '../entities/index.js';
import { MessageRole } from '../types/enums.js';
import type { DialogService } from './dialogs.js';

/** Messages one visitor may send per minute. */
export const VISITOR_MESSAGES_PER_MINUTE = 20;
const MINUTE_MS = 60_000;

/** The SHA-256 a visitor token is stored as. */
export const visitorTokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

const unknownVisitor = () =>
  new AppError(ErrorCode.Unauthenticated, 'Unknown visitor token: start a new widget session (its widget may have been removed)');

/** An origin as browsers send it (`scheme://host[:port]`), lower-case, or null for anything else. */
function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? null : url.origin.toLowerCase();
  } catch {
    return null;
  }
}

/** Whether a request from `origin` may use the widget: any when it names no origins, else one of them. */
export function originAllowed(widget: Pick<WidgetInstance, 'allowedOrigins'>, origin: string | null | undefined): boolean {
  if (!widget.allowedOrigins.length || origin === null || origin === undefined) return true;
  const normalized = originOf(origin);
  return normalized !== null && widget.allowedOrigins.some((allowed) => originOf(allowed) === normalized);
}

/**
 * The web chat widget's visitors: anonymous, each known only by a random token their browser keeps (stored
 * as its SHA-256). A token reads and writes its own visitor's chat and nothing else; it is no credential of
 * the gateway, so every operation here takes it as an argument. A visitor's dialog is opened, with its
 * client, by their first message, as any messenger's first message opens one (`DialogService.receive`).
 */
export class WidgetChatService {
  constructor(
    private readonly dialogs: DialogService,
    private readonly messagesPerMinute = VISITOR_MESSAGES_PER_MINUTE,
  ) {}

  /** An active widget anyone may see the page of, or NOT_FOUND (unknown, removed or turned off alike). */
  async activeWidget(em: EntityManager, widgetId: string): Promise<WidgetInstance> {
    const id = uuidOrNothing(widgetId);
    const widget = id ? await em.findOne(WidgetInstance, { id, isActive: true }) : null;
    if (!widget) throw notFound('Widget');
    return widget;
  }

  /** A new visitor of an active widget, from an origin it allows (`origin` null: its own page); the token is returned once. */
  async start(
    em: EntityManager,
    widgetId: string,
    name: string | null | undefined,
    origin: string | null | undefined,
  ): Promise<{ visitorToken: string; widget: WidgetInstance }> {
    const widget = await this.activeWidget(em, widgetId);
    if (!originAllowed(widget, origin)) throw forbidden('This widget may not be used from this site');
    const visitorToken = randomBytes(32).toString('base64url');
    em.create(WidgetVisitor, {
      widget,
      organizationId: widget.organizationId,
      tokenHash: visitorTokenHash(visitorToken),
      name: name?.trim().slice(0, 200) || null,
    });
    await em.flush();
    return { visitorToken, widget };
  }

  /** The visitor a token stands for, with their widget; UNAUTHENTICATED when none. */
  async visitor(em: EntityManager, visitorToken: string): Promise<WidgetVisitor> {
    const visitor = await em.findOne(WidgetVisitor, { tokenHash: visitorTokenHash(visitorToken) }, { populate: ['widget'] });
    if (!visitor) throw unknownVisitor();
    return visitor;
  }

  /**
   * A visitor's message into their dialog (opened with its client on the first one), as the widget's inbox
   * receives it. Refused while the widget is off, and past the visitor's messages per minute.
   */
  async send(em: EntityManager, visitorToken: string, text: string): Promise<DialogMessage> {
    const visitor = await this.visitor(em, visitorToken);
    const widget = visitor.widget;
    if (!widget.isActive) throw forbidden('This widget is turned off');
    const now = Date.now();
    const recent = await em.count(DialogMessage, {
      dialog: { widget, externalChatId: visitor.id },
      role: MessageRole.USER,
      createdAt: { $gt: new Date(now - MINUTE_MS) },
    });
    if (recent >= this.messagesPerMinute) {
      throw rateLimited(`At most ${this.messagesPerMinute} messages per minute: wait a little`, 60);
    }
    const message = await this.dialogs.receive(
      em,
      { widget },
      {
        externalChatId: visitor.id,
        externalMessageId: randomUUID(),
        text,
        senderName: visitor.name ?? null,
        senderPhone: null,
        senderUsername: null,
        sentAt: new Date(now),
      },
    );
    visitor.lastSeenAt = new Date(now);
    await em.flush();
    return message!;
  }

  /** The visitor's messages, newest first (none before their first). */
  async messages(em: EntityManager, visitorToken: string, page: PageArgs) {
    const visitor = await this.visitor(em, visitorToken);
    const window = windowOf(page, 50);
    return findPage(
      em,
      DialogMessage,
      { dialog: { widget: visitor.widget, externalChatId: visitor.id } },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
      window,
    );
  }

  /** One message of the visitor's own dialog, or null (another's, or none). */
  async message(em: EntityManager, visitorToken: string, id: string): Promise<DialogMessage | null> {
    const visitor = await this.visitor(em, visitorToken);
    const uuid = uuidOrNothing(id);
    if (!uuid) return null;
    return em.findOne(DialogMessage, { id: uuid, dialog: { widget: visitor.widget, externalChatId: visitor.id } });
  }
}

/**
 * The visitor id a token stands for, or null; asked once per subscription (its loaders live as long as it
 * does), so later events cost no query.
 */
export function visitorIdOf(em: EntityManager, loaders: Loaders, visitorToken: string): Promise<string | null> {
  return loaders
    .get<string, string | null>('widgetVisitorIdByTokenHash', async (hashes) => {
      const rows = await em.find(WidgetVisitor, { tokenHash: { $in: [...hashes] } }, { fields: ['id', 'tokenHash'] });
      return hashes.map((hash) => rows.find((row) => row.tokenHash === hash)?.id ?? null);
    })
    .load(visitorTokenHash(visitorToken));
}

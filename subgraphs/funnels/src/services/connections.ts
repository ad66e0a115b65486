import { timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { badInput, notFound, secretHint, uuidOrNothing, type SecretBox, type SignedIn } from '@salesgraph/platform';
import { MessengerConnection } from '../entities/index.js';
import { ConnectionState, MessengerType } from '../types/enums.js';
import type { CreateMessengerConnectionInput, UpdateMessengerConnectionInput } from '../types/inputs.js';
import { findFunnel, findOwnedConnection } from './access.js';
import { ChannelError, newWebhookSecret, verifyWhatsAppSignature, type MessengerChannels } from './channels/index.js';
import type { DialogService } from './dialogs.js';
import { credentialsOf } from './outbox.js';

/** Where a messenger posts a connection's updates, on the gateway. */
export const webhookPathOf = (connection: MessengerConnection) => `/webhooks/${connection.messengerType}/${connection.id}`;

/**
 * Messenger connections (seed 003) and Telegram bots (seed 004): tokens sealed at rest, verified with the
 * messenger before they are kept, webhooks registered on start and removed on stop, inbound updates checked
 * against the connection's secret before they reach its dialogs.
 */
export class ConnectionService {
  constructor(
    private readonly box: SecretBox,
    private readonly channels: MessengerChannels,
    private readonly dialogs: DialogService,
    /** The gateway's public address messengers post to (`PUBLIC_URL`); without it webhooks can't be registered. */
    private readonly publicUrl: string | undefined,
  ) {}

  async create(em: EntityManager, caller: SignedIn, input: CreateMessengerConnectionInput): Promise<MessengerConnection> {
    const funnel = input.funnelId ? await findFunnel(em, caller, input.funnelId) : null;
    const settings: Record<string, string> = {};
    if (input.messengerType === MessengerType.WHATSAPP) {
      if (!input.phoneNumberId)
        throw badInput('A WhatsApp connection needs its phoneNumberId', [{ field: 'phoneNumberId', message: 'required' }]);
      // Meta signs every webhook with the app secret: without it, updates could not be told from forgeries.
      if (!input.appSecret)
        throw badInput('A WhatsApp connection needs the app secret that signs its webhooks', [{ field: 'appSecret', message: 'required' }]);
      settings.phoneNumberId = input.phoneNumberId;
    }
    const token = input.token.trim();
    // A token the messenger refuses is never stored.
    const account = await this.verify(input.messengerType, { token, settings });
    const connection = em.create(MessengerConnection, {
      organizationId: caller.organizationId,
      ownerUserId: caller.userId,
      funnel,
      messengerType: input.messengerType,
      name: input.name?.trim() || null,
      tokenSealed: this.box.seal(token),
      tokenHint: secretHint(token),
      settings,
      webhookSecretSealed: this.box.seal(newWebhookSecret()),
      appSecretSealed: input.appSecret ? this.box.seal(input.appSecret) : null,
      state: ConnectionState.STOPPED,
      accountName: account?.accountName ?? null,
      lastError: account ? null : 'The messenger could not be reached to check the token',
    });
    await em.flush();
    if (input.start ?? true) await this.start(em, connection);
    return connection;
  }

  async update(em: EntityManager, caller: SignedIn, id: string, input: UpdateMessengerConnectionInput): Promise<MessengerConnection> {
    const connection = await findOwnedConnection(em, caller, id);
    if (input.name !== undefined) connection.name = input.name?.trim() || null;
    if (input.funnelId !== undefined) connection.funnel = input.funnelId ? await findFunnel(em, caller, input.funnelId) : null;
    const running = connection.state === ConnectionState.RUNNING;
    if (input.token !== undefined) {
      const token = input.token.trim();
      const account = await this.verify(connection.messengerType, { token, settings: connection.settings });
      if (running) await this.stop(em, connection);
      connection.tokenSealed = this.box.seal(token);
      connection.tokenHint = secretHint(token);
      connection.accountName = account?.accountName ?? connection.accountName;
    }
    if (input.isActive !== undefined) connection.isActive = input.isActive;
    await em.flush();
    if (!connection.isActive && connection.state === ConnectionState.RUNNING) await this.stop(em, connection);
    else if (connection.isActive && running && connection.state !== ConnectionState.RUNNING) await this.start(em, connection);
    return connection;
  }

  /** Removes the connection (its webhook first, as far as the messenger answers); its dialogs stay. */
  async delete(em: EntityManager, caller: SignedIn, id: string, funnelId?: string | null): Promise<string> {
    const connection = await findOwnedConnection(em, caller, id);
    if (funnelId && connection.funnel?.id !== funnelId.toLowerCase()) throw notFound('Messenger connection');
    if (connection.state === ConnectionState.RUNNING) await this.stop(em, connection);
    await em.remove(connection).flush();
    return connection.id;
  }

  /** Registers the webhook with the messenger: RUNNING, or FAILED with the reason in `lastError`. */
  async start(em: EntityManager, connection: MessengerConnection): Promise<MessengerConnection> {
    if (!connection.isActive) throw badInput('The connection is deactivated: activate it first');
    try {
      if (!this.publicUrl) throw new ChannelError('permanent', 'PUBLIC_URL is not set: the messenger has no address to post updates to');
      const channel = this.channels.of(connection.messengerType);
      const credentials = credentialsOf(this.box, connection);
      const account = await channel.verify(credentials);
      await channel.start(credentials, {
        url: this.publicUrl + webhookPathOf(connection),
        secret: this.box.open(connection.webhookSecretSealed),
      });
      connection.accountName = account.accountName;
      connection.state = ConnectionState.RUNNING;
      connection.lastError = null;
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      connection.state = ConnectionState.FAILED;
      connection.lastError = error.message;
    }
    await em.flush();
    return connection;
  }

  /** Removes the webhook; the connection is STOPPED even when the messenger can't be told (it then keeps posting to a URL that ignores it). */
  async stop(em: EntityManager, connection: MessengerConnection): Promise<MessengerConnection> {
    try {
      await this.channels.of(connection.messengerType).stop(credentialsOf(this.box, connection));
      connection.lastError = null;
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      connection.lastError = `Stopped, but the messenger was not told: ${error.message}`;
    }
    connection.state = ConnectionState.STOPPED;
    await em.flush();
    return connection;
  }

  /** Checks the token with the messenger and, given a chat, sends it a test message. */
  async test(
    em: EntityManager,
    connection: MessengerConnection,
    chatId?: string,
    text?: string,
  ): Promise<{ ok: boolean; error: string | null }> {
    try {
      const channel = this.channels.of(connection.messengerType);
      const credentials = credentialsOf(this.box, connection);
      const account = await channel.verify(credentials);
      connection.accountName = account.accountName;
      if (chatId) await channel.send(credentials, chatId, text ?? 'Test message');
      connection.lastError = null;
      await em.flush();
      return { ok: true, error: null };
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      connection.lastError = error.message;
      await em.flush();
      return { ok: false, error: error.message };
    }
  }

  /**
   * An update a messenger posted to a connection's webhook: accepted only with the connection's secret
   * (Telegram) or signature (WhatsApp), then each text message goes to its dialog.
   * Returns how many messages were new; a stopped or deactivated connection's updates are ignored.
   */
  async receive(em: EntityManager, id: string, secret: string | undefined, body: string, signature?: string): Promise<number> {
    const uuid = uuidOrNothing(id);
    const connection = uuid ? await em.findOne(MessengerConnection, { id: uuid }, { populate: ['funnel'] }) : null;
    if (!connection || !this.authentic(connection, secret, body, signature)) throw notFound('Messenger connection');
    const channel = this.channels.of(connection.messengerType);
    if (!connection.isActive || connection.state !== ConnectionState.RUNNING) return 0;
    let messages;
    try {
      messages = channel.parseUpdate(body);
    } catch (error) {
      if (error instanceof ChannelError) throw badInput(error.message);
      throw error;
    }
    let received = 0;
    for (const message of messages) if (await this.dialogs.receive(em, { connection }, message)) received++;
    return received;
  }

  /** Whether a WhatsApp webhook's verification (hub.verify_token) names this connection's secret. */
  async verifiesWebhook(em: EntityManager, id: string, verifyToken: string): Promise<boolean> {
    const uuid = uuidOrNothing(id);
    const connection = uuid ? await em.findOne(MessengerConnection, { id: uuid }) : null;
    return !!connection && sameSecret(this.box.open(connection.webhookSecretSealed), verifyToken);
  }

  /** Telegram sends the secret its webhook was registered with; Meta signs the body with the app secret. */
  private authentic(connection: MessengerConnection, secret: string | undefined, body: string, signature: string | undefined): boolean {
    if (connection.messengerType === MessengerType.WHATSAPP) {
      return !!connection.appSecretSealed && verifyWhatsAppSignature(body, signature, this.box.open(connection.appSecretSealed));
    }
    return secret !== undefined && sameSecret(this.box.open(connection.webhookSecretSealed), secret);
  }

  /** What to paste as the verify token in Meta's console (WhatsApp only: Telegram's secret is registered by `start`). */
  verifyTokenOf(connection: MessengerConnection): string | null {
    return connection.messengerType === MessengerType.WHATSAPP ? this.box.open(connection.webhookSecretSealed) : null;
  }

  /** The account name, or undefined when the messenger could not be reached; a refused token is BAD_USER_INPUT. */
  private async verify(type: MessengerType, credentials: { token: string; settings: Record<string, string> }) {
    try {
      return await this.channels.of(type).verify(credentials);
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      if (error.kind === 'transient') return undefined;
      throw badInput(`The messenger refused the token: ${error.message}`, [{ field: 'token', message: 'refused by the messenger' }]);
    }
  }
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ALL_ROLES, WRITERS, requireRole, type SubgraphContext } from '@salesgraph/platform';
import { type Funnel, MessengerConnection } from '../entities/index.js';
import { findFunnel, findOwnedConnection, ownedBy } from '../services/access.js';
import { funnelOf } from '../services/loaders.js';
import { webhookPathOf, type ConnectionService } from '../services/connections.js';
import { ConnectionDataType, ConnectionTestResult, MessengerConnectionType } from '../types/connection.type.js';
import { MessengerType } from '../types/enums.js';
import { FunnelType } from '../types/funnel.type.js';
import { CreateMessengerConnectionInput, UpdateMessengerConnectionInput } from '../types/inputs.js';

/** Connections are owner-scoped (seed 004): managers, analysts and admins see the organization's, others their own. */
@Resolver(() => MessengerConnectionType)
export class MessengerConnectionResolver {
  constructor(private readonly service: ConnectionService) {}

  @Authorized(ALL_ROLES)
  @Query(() => [MessengerConnectionType], { description: 'Messenger connections you may see, newest first' })
  async messengerConnections(
    @Ctx() { em, identity }: SubgraphContext,
    @Arg('funnelId', () => ID, { nullable: true }) funnelId?: string,
    @Arg('messengerType', () => MessengerType, { nullable: true }) messengerType?: MessengerType,
  ): Promise<MessengerConnection[]> {
    const caller = requireRole(identity);
    const funnel = funnelId ? await findFunnel(em, caller, funnelId) : undefined;
    return em.find(
      MessengerConnection,
      { ...ownedBy(caller), ...(funnel ? { funnel } : {}), ...(messengerType ? { messengerType } : {}) },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
  }

  @Authorized()
  @Query(() => MessengerConnectionType)
  messengerConnection(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<MessengerConnection> {
    return findOwnedConnection(em, requireRole(identity), id);
  }

  @Authorized(WRITERS)
  @Mutation(() => MessengerConnectionType, {
    description:
      'Connect a messenger account: the token is checked with the messenger, stored encrypted, and (unless start: false) its webhook registered',
  })
  createMessengerConnection(
    @Arg('input') input: CreateMessengerConnectionInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<MessengerConnection> {
    const caller = requireRole(identity, WRITERS);
    return this.service.create(em, caller, input);
  }

  @Authorized(WRITERS)
  @Mutation(() => MessengerConnectionType)
  updateMessengerConnection(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateMessengerConnectionInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<MessengerConnection> {
    return this.service.update(em, requireRole(identity, WRITERS), id, input);
  }

  @Authorized(WRITERS)
  @Mutation(() => ID, { description: 'Remove a connection (its webhook first); its dialogs stay' })
  deleteMessengerConnection(
    @Arg('id', () => ID) id: string,
    @Ctx() { em, identity }: SubgraphContext,
    @Arg('funnelId', () => ID, { nullable: true, description: 'Only within this funnel: a connection of another is NOT_FOUND' })
    funnelId?: string,
  ): Promise<string> {
    const caller = requireRole(identity, WRITERS);
    return this.service.delete(em, caller, id, funnelId);
  }

  @Authorized(WRITERS)
  @Mutation(() => MessengerConnectionType, { description: 'Register the webhook: running, or failed with lastError' })
  async startMessengerConnection(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<MessengerConnection> {
    return this.service.start(em, await findOwnedConnection(em, requireRole(identity, WRITERS), id));
  }

  @Authorized(WRITERS)
  @Mutation(() => MessengerConnectionType, { description: 'Remove the webhook: nothing is received until started again' })
  async stopMessengerConnection(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<MessengerConnection> {
    return this.service.stop(em, await findOwnedConnection(em, requireRole(identity, WRITERS), id));
  }

  @Authorized(WRITERS)
  @Mutation(() => ConnectionTestResult, { description: 'Check the token with the messenger and, given a chat id, send it a test message' })
  async testMessengerConnection(
    @Arg('id', () => ID) id: string,
    @Ctx() { em, identity }: SubgraphContext,
    @Arg('chatId', () => String, { nullable: true }) chatId?: string,
    @Arg('text', () => String, { nullable: true }) text?: string,
  ): Promise<ConnectionTestResult> {
    return this.service.test(em, await findOwnedConnection(em, requireRole(identity, WRITERS), id), chatId, text);
  }

  @FieldResolver(() => FunnelType, { nullable: true })
  funnel(@Root() connection: MessengerConnection, @Ctx() ctx: SubgraphContext): Promise<Funnel | null> | null {
    return funnelOf(ctx, connection.funnel);
  }

  @FieldResolver(() => ConnectionDataType)
  connectionData(@Root() connection: MessengerConnection): ConnectionDataType {
    return {
      tokenHint: connection.tokenHint,
      accountName: connection.accountName ?? null,
      phoneNumberId: connection.settings.phoneNumberId ?? null,
      webhookPath: webhookPathOf(connection),
      verifyToken: this.service.verifyTokenOf(connection),
    };
  }
}

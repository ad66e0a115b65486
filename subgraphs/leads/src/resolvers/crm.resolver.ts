import { Arg, Args, Authorized, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Role, requireRole, type SubgraphContext } from '@salesgraph/platform';
import type { CrmConnection, Lead } from '../entities/index.js';
import { LeadType } from '../types/lead.type.js';
import type { AmocrmWebhook } from '../services/crm/amocrm-webhook.js';
import type { CrmConnections } from '../services/crm/connections.js';
import {
  AmocrmWebhookArgs,
  CreateCrmConnectionInput,
  CreatedCrmConnection,
  CrmConnectionType,
  CrmSyncStatusType,
  CrmWebhookResult,
  UpdateCrmConnectionInput,
} from '../types/crm.type.js';

const ADMIN = [Role.ADMIN];

export const webhookUrlOf = (connection: CrmConnection, secret: string) =>
  `/webhooks/amocrm?connection=${connection.id}&secret=${encodeURIComponent(secret)}`;

export const statusOf = (c: CrmConnection): CrmSyncStatusType => ({
  connectionId: c.id,
  state: c.syncState,
  lastSyncAt: c.lastSyncAt ?? null,
  lastSyncStartedAt: c.lastSyncStartedAt ?? null,
  pulled: c.lastSyncPulled,
  pushed: c.lastSyncPushed,
  created: c.lastSyncCreated,
  updated: c.lastSyncUpdated,
  lastError: c.lastError ?? null,
  lastWebhookAt: c.lastWebhookAt ?? null,
});

/** CRM connections (seed 000's «CRM Интеграции»): admins only; credentials are written, never read back. */
@Resolver(() => CrmConnectionType)
export class CrmConnectionResolver {
  constructor(
    private readonly connections: CrmConnections,
    private readonly webhook: AmocrmWebhook,
  ) {}

  @Authorized(ADMIN)
  @Query(() => [CrmConnectionType], { description: "Your organization's CRM connections (admins only)" })
  crmConnections(@Ctx() { em, identity }: SubgraphContext): Promise<CrmConnection[]> {
    return this.connections.list(em, requireRole(identity, ADMIN));
  }

  @Authorized(ADMIN)
  @Query(() => CrmConnectionType, { nullable: true, description: 'A CRM connection of your organization (admins only)' })
  crmConnection(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<CrmConnection | null> {
    return this.connections.find(em, requireRole(identity, ADMIN), id).catch(() => null);
  }

  @Authorized(ADMIN)
  @Query(() => CrmSyncStatusType, { description: "A CRM connection's synchronisation status (admins only)" })
  async crmConnectionStatus(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<CrmSyncStatusType> {
    return statusOf(await this.connections.find(em, requireRole(identity, ADMIN), id));
  }

  @FieldResolver(() => CrmSyncStatusType, { description: 'Synchronisation state, last run and its counts' })
  status(@Root() connection: CrmConnection): CrmSyncStatusType {
    return statusOf(connection);
  }

  @Authorized(ADMIN)
  @Mutation(() => CreatedCrmConnection, { description: 'Connects a CRM; the webhook secret is shown once (admins only)' })
  async createCrmConnection(
    @Arg('input') input: CreateCrmConnectionInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<CreatedCrmConnection> {
    const { connection, webhookSecret } = await this.connections.create(em, requireRole(identity, ADMIN), input);
    return { connection, webhookSecret, webhookUrl: webhookUrlOf(connection, webhookSecret) };
  }

  @Authorized(ADMIN)
  @Mutation(() => CrmConnectionType, { description: 'Changes a CRM connection; new credentials replace the stored ones (admins only)' })
  updateCrmConnection(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateCrmConnectionInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<CrmConnection> {
    return this.connections.update(em, requireRole(identity, ADMIN), id, input);
  }

  @Authorized(ADMIN)
  @Mutation(() => CreatedCrmConnection, { description: 'Issues a new webhook secret, shown once; the old one stops working (admins only)' })
  async rotateCrmWebhookSecret(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<CreatedCrmConnection> {
    const { connection, webhookSecret } = await this.connections.rotateWebhookSecret(em, requireRole(identity, ADMIN), id);
    return { connection, webhookSecret, webhookUrl: webhookUrlOf(connection, webhookSecret) };
  }

  @Authorized(ADMIN)
  @Mutation(() => ID, { description: 'Deletes a CRM connection; its leads stay, unlinked (admins only)' })
  deleteCrmConnection(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<string> {
    return this.connections.delete(em, requireRole(identity, ADMIN), id);
  }

  @Authorized(ADMIN)
  @Mutation(() => CrmConnectionType, {
    description:
      'Queues a synchronisation (pull and push) in the background; while one is queued or running, asking again changes nothing (admins only)',
  })
  syncCrmConnection(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<CrmConnection> {
    return this.connections.requestSync(em, requireRole(identity, ADMIN), id);
  }

  @Directive('@inaccessible')
  @Mutation(() => CrmWebhookResult, { description: 'Internal: the gateway hands over an amoCRM webhook request, unverified' })
  receiveAmocrmWebhook(
    @Args() { connectionId, secret, body }: AmocrmWebhookArgs,
    @Ctx() { em }: SubgraphContext,
  ): Promise<CrmWebhookResult> {
    return this.webhook.receive(em, connectionId, secret, body);
  }
}

/** A lead's link with a CRM, on the lead. */
@Resolver(() => LeadType)
export class LeadCrmLinkResolver {
  @FieldResolver(() => ID, { nullable: true, description: 'The CRM connection the lead is synchronised with' })
  crmConnectionId(@Root() lead: Lead): string | null {
    return lead.crmConnectionId ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The lead's id in that CRM" })
  crmExternalId(@Root() lead: Lead): string | null {
    return lead.crmExternalId ?? null;
  }
}

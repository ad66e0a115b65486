import { randomBytes } from 'node:crypto';
import { Arg, Args, Authorized, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Role, isUuid, notFound, requireRole, secretHint, type SecretBox, type SubgraphContext } from '@salesgraph/platform';
import { TelephonyIntegration } from '../entities/index.js';
import type { TelephonyWebhook } from '../services/telephony.js';
import {
  CreateTelephonyIntegrationInput,
  CreatedTelephonyIntegration,
  TelephonyEventArgs,
  TelephonyIntegrationType,
  TelephonyReceiptResult,
} from '../types/telephony.type.js';

@Resolver(() => TelephonyIntegrationType)
export class TelephonyResolver {
  constructor(
    private readonly webhook: TelephonyWebhook,
    private readonly box: SecretBox,
  ) {}

  @Authorized([Role.ADMIN])
  @Query(() => [TelephonyIntegrationType], { description: "Your organization's PBX integrations (admin only)" })
  telephonyIntegrations(@Ctx() { em, identity }: SubgraphContext): Promise<TelephonyIntegration[]> {
    return em.find(
      TelephonyIntegration,
      { organizationId: requireRole(identity, [Role.ADMIN]).organizationId },
      { orderBy: { createdAt: 'asc' } },
    );
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => CreatedTelephonyIntegration, { description: 'Connects a PBX; its signing secret is shown once (admin only)' })
  async createTelephonyIntegration(
    @Arg('input') input: CreateTelephonyIntegrationInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<CreatedTelephonyIntegration> {
    const caller = requireRole(identity, [Role.ADMIN]);
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const integration = em.create(TelephonyIntegration, {
      organizationId: caller.organizationId,
      name: input.name.trim(),
      secretSealed: this.box.seal(secret),
      secretHint: secretHint(secret),
      ringTimeoutSeconds: input.ringTimeoutSeconds ?? null,
    });
    await em.flush();
    return { integration, secret, webhookPath: `/webhooks/telephony/${integration.id}` };
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => Boolean, { description: 'Disconnects a PBX: its events are refused from now on (admin only)' })
  async deleteTelephonyIntegration(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<boolean> {
    const caller = requireRole(identity, [Role.ADMIN]);
    const integration = isUuid(id) ? await em.findOne(TelephonyIntegration, { id, organizationId: caller.organizationId }) : null;
    if (!integration) throw notFound('Telephony integration');
    await em.remove(integration).flush();
    return true;
  }

  @Directive('@inaccessible')
  @Mutation(() => TelephonyReceiptResult, { description: 'Internal: the gateway hands over a PBX webhook request, unverified' })
  receiveTelephonyEvent(
    @Args() { integrationId, timestamp, signature, body }: TelephonyEventArgs,
    @Ctx() { em }: SubgraphContext,
  ): Promise<TelephonyReceiptResult> {
    return this.webhook.receive(em, integrationId, timestamp, signature, body);
  }
}

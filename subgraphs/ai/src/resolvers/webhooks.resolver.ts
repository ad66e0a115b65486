import { Arg, Args, Authorized, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscriptionHandlerData } from 'type-graphql';
import { Hydrate, PageArgs, Role, requireRole, type SubgraphContext } from '@salesgraph/platform';
import type { GithubIntegration } from '../entities/index.js';
import { INTEGRATION_EVENT_TOPIC, type GithubIntegrations, type IntegrationEventPayload } from '../services/github.js';
import type { Payments } from '../services/payments.js';
import { GithubDeliveryOutcome, PaymentOutcome } from '../types/webhooks.enums.js';
import {
  AiBalanceType,
  AiPaymentConnection,
  CreateGithubIntegrationInput,
  GithubDeliveryArgs,
  GithubIntegrationSecretType,
  GithubIntegrationType,
  IntegrationEventConnection,
  IntegrationEventType,
  IntegrationEventsArgs,
  UpdateGithubIntegrationInput,
  YooMoneyNotificationArgs,
} from '../types/webhooks.type.js';

const ADMINS = [Role.ADMIN];

/** Payments that top up the AI balance (YooMoney), for admins; and what the gateway's `/webhooks/yoomoney` calls. */
@Resolver()
export class PaymentsResolver {
  constructor(readonly payments: Payments) {}

  @Authorized(ADMINS)
  @Query(() => AiPaymentConnection, { description: 'Your organization’s AI top-up payments, newest first (admins only)' })
  aiPayments(@Args() page: PageArgs, @Ctx() { em, identity }: SubgraphContext) {
    return this.payments.list(em, requireRole(identity, ADMINS), page);
  }

  @Authorized(ADMINS)
  @Query(() => AiBalanceType, {
    nullable: true,
    description: 'Your organization’s prepaid AI balance; null until a payment is credited, and no balance applies (admins only)',
  })
  aiBalance(@Ctx() { em, identity }: SubgraphContext) {
    return this.payments.balance(em, requireRole(identity, ADMINS).organizationId);
  }

  @Authorized(ADMINS)
  @Query(() => String, {
    description:
      'The label a YooMoney payment must carry (the payment form’s `label`) to top up your organization’s AI balance (admins only)',
  })
  aiPaymentLabel(@Ctx() { identity }: SubgraphContext): string {
    return this.payments.labelOf(requireRole(identity, ADMINS).organizationId);
  }

  @Directive('@inaccessible')
  @Mutation(() => PaymentOutcome, { description: 'Internal: a YooMoney HTTP notification, verified and credited once' })
  receiveYooMoneyNotification(
    @Args() { body, contentType }: YooMoneyNotificationArgs,
    @Ctx() { em }: SubgraphContext,
  ): Promise<PaymentOutcome> {
    return this.payments.receive(em, body, contentType);
  }
}

type EventFilterData = SubscriptionHandlerData<IntegrationEventPayload, { integrationId?: string | null }, SubgraphContext>;

/** GitHub integrations and their event feed, for admins; and what the gateway's `/webhooks/github` calls. */
@Resolver(() => GithubIntegrationType)
export class GithubIntegrationResolver {
  constructor(readonly github: GithubIntegrations) {}

  @FieldResolver(() => String)
  webhookPath(@Root() integration: GithubIntegration): string {
    return `/webhooks/github/${integration.id}`;
  }

  @Authorized(ADMINS)
  @Query(() => [GithubIntegrationType], { description: 'Your organization’s GitHub integrations (admins only)' })
  githubIntegrations(@Ctx() { em, identity }: SubgraphContext) {
    return this.github.list(em, requireRole(identity, ADMINS));
  }

  @Authorized(ADMINS)
  @Mutation(() => GithubIntegrationSecretType, { description: 'Adds a GitHub integration; its secret is shown this once (admins only)' })
  createGithubIntegration(@Arg('input') input: CreateGithubIntegrationInput, @Ctx() { em, identity }: SubgraphContext) {
    return this.github.create(em, requireRole(identity, ADMINS), input);
  }

  @Authorized(ADMINS)
  @Mutation(() => GithubIntegrationSecretType, {
    description: 'Gives a GitHub integration a new secret, shown this once; the old one stops working (admins only)',
  })
  rotateGithubIntegrationSecret(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext) {
    return this.github.rotate(em, requireRole(identity, ADMINS), id);
  }

  @Authorized(ADMINS)
  @Mutation(() => GithubIntegrationType, { description: 'Renames a GitHub integration or sets its hook id (admins only)' })
  updateGithubIntegration(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateGithubIntegrationInput,
    @Ctx() { em, identity }: SubgraphContext,
  ) {
    return this.github.update(em, requireRole(identity, ADMINS), id, input);
  }

  @Authorized(ADMINS)
  @Mutation(() => ID, { description: 'Removes a GitHub integration; its events stay in the feed (admins only)' })
  deleteGithubIntegration(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<string> {
    return this.github.delete(em, requireRole(identity, ADMINS), id);
  }

  @Authorized(ADMINS)
  @Query(() => IntegrationEventConnection, { description: 'CI events your GitHub integrations delivered, newest first (admins only)' })
  integrationEvents(@Args() args: IntegrationEventsArgs, @Ctx() { em, identity }: SubgraphContext) {
    return this.github.events(em, requireRole(identity, ADMINS), args);
  }

  @Authorized(ADMINS)
  @Query(() => IntegrationEventType, { nullable: true, description: 'One event of the integration event feed (admins only)' })
  integrationEvent(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext) {
    return this.github.event(em, requireRole(identity, ADMINS), id);
  }

  // Only the id leaves the subgraph: the gateway hydrates the subscriber's selection through integrationEvent.
  @Authorized(ADMINS)
  @Hydrate('integrationEvent')
  @Subscription(() => IntegrationEventType, {
    topics: INTEGRATION_EVENT_TOPIC,
    filter: ({ payload, context, args }: EventFilterData) => {
      const caller = requireRole(context.identity, ADMINS);
      return (
        payload.organizationId === caller.organizationId &&
        (!args.integrationId || args.integrationId.toLowerCase() === payload.integrationId)
      );
    },
    description: 'A CI event one of your GitHub integrations delivered, or one integration’s (admins only)',
  })
  integrationEventReceived(
    @Root() payload: IntegrationEventPayload,
    @Arg('integrationId', () => ID, { nullable: true }) _integrationId?: string,
  ): IntegrationEventType {
    return { id: payload.id } as IntegrationEventType;
  }

  @Directive('@inaccessible')
  @Mutation(() => GithubDeliveryOutcome, { description: 'Internal: a GitHub webhook delivery, verified and recorded once' })
  receiveGithubDelivery(@Args() delivery: GithubDeliveryArgs, @Ctx() { em }: SubgraphContext): Promise<GithubDeliveryOutcome> {
    return this.github.receive(em, delivery);
  }
}

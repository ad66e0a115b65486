import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ALL_ROLES, WRITERS, requireRole, type SubgraphContext } from '@salesgraph/platform';
import type { LlmProvider } from '../entities/index.js';
import type { LlmProviderService } from '../services/llm-providers.js';
import { LlmProviderTestType, LlmProviderType } from '../types/chat.type.js';
import { CreateLlmProviderInput, UpdateLlmProviderInput } from '../types/inputs.js';

/** Owner-scoped (seed 004): admins see the organization's providers, others theirs and the shared ones. */
@Resolver(() => LlmProviderType)
export class LlmProviderResolver {
  constructor(private readonly service: LlmProviderService) {}

  @Authorized(ALL_ROLES)
  @Query(() => [LlmProviderType], { description: 'Providers you may use: your own first, then your organization’s' })
  llmProviders(@Ctx() { em, identity }: SubgraphContext): Promise<LlmProvider[]> {
    return this.service.list(em, requireRole(identity));
  }

  @Authorized(ALL_ROLES)
  @Query(() => LlmProviderType, { description: 'A provider you may use' })
  llmProvider(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<LlmProvider> {
    return this.service.get(em, requireRole(identity), id);
  }

  @Authorized(WRITERS)
  @Mutation(() => LlmProviderTestType, { description: 'Asks a provider you manage for its models now, with its stored key' })
  testLlmProvider(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<LlmProviderTestType> {
    return this.service.test(em, requireRole(identity, WRITERS), id);
  }

  @Authorized(WRITERS)
  @Mutation(() => LlmProviderType, {
    description: 'Adds a provider; its key is stored encrypted. An admin’s is shared unless shared: false',
  })
  createLlmProvider(@Arg('input') input: CreateLlmProviderInput, @Ctx() { em, identity }: SubgraphContext): Promise<LlmProvider> {
    return this.service.create(em, requireRole(identity, WRITERS), input);
  }

  @Authorized(WRITERS)
  @Mutation(() => LlmProviderType)
  updateLlmProvider(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateLlmProviderInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<LlmProvider> {
    return this.service.update(em, requireRole(identity, WRITERS), id, input);
  }

  @Authorized(WRITERS)
  @Mutation(() => ID)
  deleteLlmProvider(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<string> {
    return this.service.delete(em, requireRole(identity, WRITERS), id);
  }
}

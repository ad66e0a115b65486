import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ALL_ROLES, WRITERS, requireRole, type SubgraphContext } from '@salesgraph/platform';
import { type Funnel, WidgetInstance } from '../entities/index.js';
import { findOwnedWidget, ownedBy } from '../services/access.js';
import { funnelOf } from '../services/loaders.js';
import type { WidgetService } from '../services/widgets.js';
import { FunnelType } from '../types/funnel.type.js';
import { WidgetInput } from '../types/inputs.js';
import { WidgetInstanceType } from '../types/widget.type.js';

/** Widgets are owner-scoped (seed 004): managers, analysts and admins see the organization's, others their own. */
@Resolver(() => WidgetInstanceType)
export class WidgetResolver {
  constructor(private readonly service: WidgetService) {}

  @Authorized(ALL_ROLES)
  @Query(() => [WidgetInstanceType], { description: 'Web chat widgets you may see, newest first' })
  widgets(@Ctx() { em, identity }: SubgraphContext): Promise<WidgetInstance[]> {
    return em.find(WidgetInstance, ownedBy(requireRole(identity)), { orderBy: { createdAt: 'desc', id: 'desc' } });
  }

  @Authorized()
  @Query(() => WidgetInstanceType)
  widget(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<WidgetInstance> {
    return findOwnedWidget(em, requireRole(identity), id);
  }

  @Authorized(WRITERS)
  @Mutation(() => WidgetInstanceType)
  createWidget(@Arg('input') input: WidgetInput, @Ctx() { em, identity }: SubgraphContext): Promise<WidgetInstance> {
    return this.service.create(em, requireRole(identity, WRITERS), input);
  }

  @Authorized(WRITERS)
  @Mutation(() => WidgetInstanceType)
  updateWidget(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: WidgetInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<WidgetInstance> {
    return this.service.update(em, requireRole(identity, WRITERS), id, input);
  }

  @Authorized(WRITERS)
  @Mutation(() => ID, { description: 'Remove a widget; its dialogs stay' })
  deleteWidget(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<string> {
    return this.service.delete(em, requireRole(identity, WRITERS), id);
  }

  @FieldResolver(() => FunnelType, { nullable: true })
  funnel(@Root() widget: WidgetInstance, @Ctx() ctx: SubgraphContext): Promise<Funnel | null> | null {
    return funnelOf(ctx, widget.funnel);
  }
}

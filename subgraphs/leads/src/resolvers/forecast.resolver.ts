import { Arg, Args, Authorized, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { EntityManager, FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import {
  ANALYSTS,
  Role,
  SortDirection,
  containsPattern,
  requireRole,
  windowOf,
  type SignedIn,
  type SubgraphContext,
  findPage,
} from '@salesgraph/platform';
import { Forecast } from '../entities/index.js';
import { findForecast, forecastId, invalid, periodOf, toCents } from '../services/forecasts.js';
import { ForecastMethod, ForecastOrderField } from '../types/forecast-enums.js';
import { CreateForecastInput, ForecastsArgs, UpdateForecastInput } from '../types/forecast.inputs.js';
import { ForecastConnection, ForecastType } from '../types/forecast.type.js';
import { UserRef } from '../types/user.type.js';

/** Sales forecasts (seed 000): everyone signed in reads their organization's, analysts and admins write them, admins delete. */
@Resolver(() => ForecastType)
export class ForecastResolver {
  @Authorized()
  @Query(() => ForecastConnection, {
    description: "Your organization's forecasts; filter by period (overlapping dateFrom–dateTo), method, kind or text; sort; page",
  })
  async forecasts(@Args() args: ForecastsArgs, @Ctx() { em, identity }: SubgraphContext) {
    const caller = requireRole(identity);
    const window = windowOf(args);
    if (args.dateFrom && args.dateTo && args.dateTo < args.dateFrom)
      throw invalid('dateTo', `must not be before dateFrom (${args.dateFrom})`);
    const like = containsPattern(args.search);
    const where: FilterQuery<Forecast> = {
      organizationId: caller.organizationId,
      ...(args.dateFrom && { periodEnd: { $gte: args.dateFrom } }),
      ...(args.dateTo && { periodStart: { $lte: args.dateTo } }),
      ...(args.method && { method: args.method }),
      ...(args.periodKind && { periodKind: args.periodKind }),
      ...(like && { $or: [{ name: { $ilike: like } }, { notes: { $ilike: like } }] }),
    };
    const field = args.orderBy ?? ForecastOrderField.PERIOD_START;
    // Forecasts without a confidence come last either way; equal values keep one order from page to page.
    const direction = args.direction === SortDirection.ASC ? 'asc nulls last' : 'desc nulls last';
    const orderBy: QueryOrderMap<Forecast>[] = [{ [field]: direction }, { createdAt: 'desc' }, { id: 'asc' }];
    return findPage(em, Forecast, where, { orderBy }, window);
  }

  @Authorized()
  @Query(() => ForecastType, { nullable: true, description: 'A forecast of your organization' })
  forecast(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<Forecast | null> {
    return em.findOne(Forecast, { id: forecastId(id), organizationId: requireRole(identity).organizationId });
  }

  @Authorized(ANALYSTS)
  @Mutation(() => ForecastType, { description: 'Records a forecast made by hand (analysts and admins)' })
  createForecast(@Arg('input') input: CreateForecastInput, @Ctx() { em, identity }: SubgraphContext): Promise<Forecast> {
    return this.record(em, requireRole(identity, ANALYSTS), input, ForecastMethod.MANUAL);
  }

  /** Only the ai subgraph (which made the figures) records an AI forecast, as the analyst who asked for it. */
  @Directive('@inaccessible')
  @Authorized(ANALYSTS)
  @Mutation(() => ForecastType, { description: 'Internal: records a forecast the ai subgraph generated (method AI), as the caller' })
  recordAiForecast(@Arg('input') input: CreateForecastInput, @Ctx() { em, identity }: SubgraphContext): Promise<Forecast> {
    return this.record(em, requireRole(identity, ANALYSTS), input, ForecastMethod.AI);
  }

  private async record(em: EntityManager, caller: SignedIn, input: CreateForecastInput, method: ForecastMethod): Promise<Forecast> {
    const forecast = em.create(Forecast, {
      organizationId: caller.organizationId,
      createdById: caller.userId,
      name: input.name.trim(),
      ...periodOf(input.periodKind, input.periodStart, input.periodEnd),
      predictedRevenue: toCents(input.predictedRevenue),
      currency: input.currency,
      predictedDeals: input.predictedDeals ?? null,
      confidence: input.confidence ?? null,
      method,
      notes: input.notes ?? null,
    });
    await em.flush();
    return forecast;
  }

  @Authorized(ANALYSTS)
  @Mutation(() => ForecastType, { description: 'Changes a forecast of your organization (analysts and admins)' })
  async updateForecast(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateForecastInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Forecast> {
    const forecast = await findForecast(em, requireRole(identity, ANALYSTS), id);
    const kind = input.periodKind ?? forecast.periodKind;
    const start = input.periodStart ?? forecast.periodStart;
    em.assign(forecast, {
      ...(input.name !== undefined && { name: input.name.trim() }),
      ...periodOf(kind, start, input.periodEnd, forecast.periodEnd),
      ...(input.predictedRevenue !== undefined && { predictedRevenue: toCents(input.predictedRevenue) }),
      ...(input.currency !== undefined && { currency: input.currency }),
      ...(input.predictedDeals !== undefined && { predictedDeals: input.predictedDeals }),
      ...(input.confidence !== undefined && { confidence: input.confidence }),
      ...(input.notes !== undefined && { notes: input.notes }),
    });
    await em.flush();
    return forecast;
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => Boolean, { description: 'Deletes a forecast of your organization (admins only)' })
  async deleteForecast(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<boolean> {
    const forecast = await findForecast(em, requireRole(identity, [Role.ADMIN]), id);
    await em.remove(forecast).flush();
    return true;
  }

  @FieldResolver(() => UserRef)
  createdBy(@Root() forecast: Forecast): UserRef {
    return { id: forecast.createdById };
  }
}

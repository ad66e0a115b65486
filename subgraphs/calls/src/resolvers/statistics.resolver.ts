import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { requireRole, type SubgraphContext } from '@salesgraph/platform';
import { overview, perUser, scopeOf } from '../services/statistics.js';
import { StatisticsArgs } from '../types/inputs.js';
import { CallStatistics, UserCallStatistics } from '../types/statistics.type.js';

@Resolver()
export class StatisticsResolver {
  @Authorized()
  @Query(() => CallStatistics, { description: 'Call totals for a period (plain users: their own calls)' })
  callStatistics(@Args() args: StatisticsArgs, @Ctx() { em, identity }: SubgraphContext): Promise<CallStatistics> {
    const caller = requireRole(identity);
    return overview(em, caller, scopeOf(caller, args));
  }

  @Authorized()
  @Query(() => [UserCallStatistics], { description: 'Call totals per user for a period, busiest first' })
  userCallStatistics(@Args() args: StatisticsArgs, @Ctx() { em, identity }: SubgraphContext): Promise<UserCallStatistics[]> {
    const caller = requireRole(identity);
    return perUser(em, caller, scopeOf(caller, args));
  }
}

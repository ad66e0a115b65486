import type { EntityName } from '@mikro-orm/core';
import { byKeys, isUuid, type SubgraphContext } from '@salesgraph/platform';
import { Ad, Campaign, ConversationMessage, Forecast, Lead, Niche, OutboundMessage } from './entities/index.js';
import { visibleLeads } from './services/access.js';

/** One batched reference resolver per entity type, never across tenants (null when not visible). */
function reference<T extends { id: string }>(entity: EntityName<T>, name: string, scope: (ctx: SubgraphContext) => object | undefined) {
  return {
    __resolveReference: ({ id }: { id: string }, ctx: SubgraphContext) =>
      ctx.loaders
        .get<string, T | null>(`${name}Reference`, async (ids) => {
          const visible = scope(ctx);
          if (!visible) return ids.map(() => null);
          const rows = await ctx.em.find(entity, { ...visible, id: { $in: ids.filter(isUuid).map((i) => i.toLowerCase()) } } as never);
          return byKeys(ids, rows as T[], (row) => row.id);
        })
        .load(String(id).toLowerCase()),
  };
}

const signedIn = ({ identity }: SubgraphContext) =>
  identity.kind === 'anonymous' || identity.userId === undefined || identity.organizationId === undefined ? undefined : identity;
const organization = (ctx: SubgraphContext) => {
  const caller = signedIn(ctx);
  return caller ? { organizationId: caller.organizationId } : undefined;
};
const leadsOfCaller = (ctx: SubgraphContext) => {
  const caller = signedIn(ctx);
  return caller ? visibleLeads(caller as never) : undefined;
};

const ofVisibleLeads = (ctx: SubgraphContext) => {
  const leads = leadsOfCaller(ctx);
  return leads ? { lead: leads } : undefined;
};

export const referenceResolvers = {
  Lead: reference(Lead, 'lead', leadsOfCaller),
  Niche: reference(Niche, 'niche', organization),
  Campaign: reference(Campaign, 'campaign', organization),
  Ad: reference(Ad, 'ad', organization),
  ConversationMessage: reference(ConversationMessage, 'conversationMessage', ofVisibleLeads),
  OutboundMessage: reference(OutboundMessage, 'outboundMessage', ofVisibleLeads),
  Forecast: reference(Forecast, 'forecast', organization),
};

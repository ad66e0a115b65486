import type { EntityManager } from '@mikro-orm/core';
import { notFound, sqlOf, uuidOrNothing, type Loaders, type SignedIn } from '@salesgraph/platform';
import { Campaign, Niche } from '../entities/index.js';
import { QUALIFIED_STATUSES } from '../types/enums.js';

export interface CampaignFigures {
  adsCount: number;
  totalLeads: number;
  qualifiedLeads: number;
}

const QUALIFIED = QUALIFIED_STATUSES.map((s) => `'${s}'`).join(', ');

/** Ads and leads counts of a page of campaigns in one SQL statement, per request. */
export function campaignFigures(em: EntityManager, loaders: Loaders, organizationId: string) {
  return loaders.get<string, CampaignFigures>('campaignFigures', async (ids) => {
    const rows = await sqlOf(em).execute<{ id: string; ads_count: number; total_leads: number; qualified_leads: number }[]>(
      `select c.id,
         (select count(*) from leads.ads a where a.campaign_id = c.id)::int as ads_count,
         count(l.id)::int as total_leads,
         count(l.id) filter (where l.status in (${QUALIFIED}))::int as qualified_leads
       from leads.campaigns c left join leads.leads l on l.campaign_id = c.id
       where c.organization_id = ? and c.id in (${ids.map(() => '?').join(', ')})
       group by c.id`,
      [organizationId, ...ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const row = byId.get(id);
      return { adsCount: row?.ads_count ?? 0, totalLeads: row?.total_leads ?? 0, qualifiedLeads: row?.qualified_leads ?? 0 };
    });
  });
}

/** Statistics as seed 001 shows them: cost per lead and the share of qualified leads, in per cent with one decimal. */
export function statsOf(campaign: Campaign, figures: CampaignFigures) {
  const { totalLeads, qualifiedLeads } = figures;
  return {
    totalLeads,
    qualifiedLeads,
    cpl: totalLeads ? Math.round((campaign.spent / totalLeads) * 100) / 100 : null,
    conversionRate: totalLeads ? Math.round((qualifiedLeads / totalLeads) * 1000) / 10 : 0,
  };
}

export async function findCampaign(em: EntityManager, caller: SignedIn, id: string): Promise<Campaign> {
  const uuid = uuidOrNothing(id);
  const campaign = uuid ? await em.findOne(Campaign, { id: uuid, organizationId: caller.organizationId }) : null;
  if (!campaign) throw notFound('Campaign');
  return campaign;
}

export async function findNiche(em: EntityManager, caller: SignedIn, id: string): Promise<Niche> {
  const uuid = uuidOrNothing(id);
  const niche = uuid ? await em.findOne(Niche, { id: uuid, organizationId: caller.organizationId }) : null;
  if (!niche) throw notFound('Niche');
  return niche;
}

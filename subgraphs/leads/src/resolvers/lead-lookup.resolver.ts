import { Arg, Authorized, Ctx, Directive, ID, Query, Resolver } from 'type-graphql';
import { isUuid, requireRole, type SubgraphContext } from '@salesgraph/platform';
import { Campaign, Lead } from '../entities/index.js';
import { visibleLeads } from '../services/access.js';

/** What an E.164 number looks like: a plus, then 2–15 digits, the first not 0. */
const E164 = /^\+[1-9]\d{1,14}$/;
/** The most ids one `visibleLeadIds` answers (a batch of the gateway's `_entities` is one page, at most 200). */
const MAX_IDS = 1_000;

/**
 * What other subgraphs ask leads (the calls subgraph's screen-pop), never the public API: both fields are
 * `@inaccessible`, so clients can't select them through the gateway.
 */
@Resolver()
export class LeadLookupResolver {
  @Directive('@inaccessible')
  @Authorized()
  @Query(() => ID, {
    nullable: true,
    description:
      'Internal: the id of the caller organization’s lead with this E.164 phone, the oldest when several, whoever of the ' +
      'organization may see it (the call it is asked for is seen by others too)',
  })
  async leadIdByPhone(
    @Arg('e164', { description: 'E.164, e.g. +77771234567' }) e164: string,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<string | null> {
    const caller = requireRole(identity);
    if (!E164.test(e164)) return null;
    const lead = await em.findOne(
      Lead,
      { organizationId: caller.organizationId, phoneE164: e164 },
      { fields: ['id'], orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return lead?.id ?? null;
  }

  @Directive('@inaccessible')
  @Authorized()
  @Query(() => [ID], {
    description: 'Internal: those of `ids` that are leads the caller may see (the calls subgraph scopes `Lead.calls` by it)',
  })
  async visibleLeadIds(@Arg('ids', () => [ID]) ids: string[], @Ctx() { em, identity }: SubgraphContext): Promise<string[]> {
    const caller = requireRole(identity);
    const uuids = [
      ...new Set(
        ids
          .slice(0, MAX_IDS)
          .filter(isUuid)
          .map((id) => id.toLowerCase()),
      ),
    ];
    if (!uuids.length) return [];
    const rows = await em.find(Lead, { id: { $in: uuids }, ...visibleLeads(caller) }, { fields: ['id'] });
    return rows.map((lead) => lead.id);
  }

  @Directive('@inaccessible')
  @Authorized()
  @Query(() => [ID], {
    description:
      'Internal: those of `ids` that are campaigns of the caller’s organization (the ai subgraph scopes `Campaign.aiCost` by it)',
  })
  async visibleCampaignIds(@Arg('ids', () => [ID]) ids: string[], @Ctx() { em, identity }: SubgraphContext): Promise<string[]> {
    const caller = requireRole(identity);
    const uuids = [...new Set(ids.slice(0, MAX_IDS).map((id) => id.toLowerCase()))].filter(isUuid);
    if (!uuids.length) return [];
    const rows = await em.find(Campaign, { id: { $in: uuids }, organizationId: caller.organizationId }, { fields: ['id'] });
    return rows.map((campaign) => campaign.id);
  }
}

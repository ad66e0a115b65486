import { PhoneNumbers, defineSubgraph } from '@salesgraph/platform';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { CampaignResolver } from './resolvers/campaign.resolver.js';
import { LeadImportResolver } from './resolvers/lead-import.resolver.js';
import { LeadResolver } from './resolvers/lead.resolver.js';
import { OutboundMessageResolver } from './resolvers/outbound-message.resolver.js';
import { buildLeadsSchema } from './schema.js';
import { UserDirectory } from './services/directory.js';
import { LeadImportService, failStaleImports } from './services/lead-import.js';
import { LeadService } from './services/leads.js';
import { OutboundMail } from './services/outbound-mail.js';

/** Niches, campaigns, ads, leads, their conversations and e-mails to them (seeds 000 and 001); users are identity's. */
export const leads = defineSubgraph({
  name: 'leads',
  entities,
  migrations,
  schema: buildLeadsSchema,
  peers: ['identity'],
  async start({ bus, settings, peer, orm, jobs, mailer }) {
    const leadService = new LeadService(bus, new PhoneNumbers(settings.phones.defaultRegion), new UserDirectory(() => peer('identity')));
    const outboundMail = new OutboundMail(jobs, mailer);
    // Imports a stopped process left running are reported failed (their committed rows stay imported).
    await failStaleImports(orm.em.fork());
    return {
      resolvers: [
        [LeadResolver, new LeadResolver(leadService)],
        [LeadImportResolver, new LeadImportResolver(new LeadImportService(bus, leadService))],
        [CampaignResolver, new CampaignResolver(bus)],
        [OutboundMessageResolver, new OutboundMessageResolver(outboundMail)],
      ],
      queues: [outboundMail.queue],
    };
  },
});

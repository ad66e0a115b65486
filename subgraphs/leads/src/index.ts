import { PhoneNumbers, SecretBox, defineSubgraph } from '@salesgraph/platform';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { CampaignResolver } from './resolvers/campaign.resolver.js';
import { CrmConnectionResolver } from './resolvers/crm.resolver.js';
import { LeadImportResolver } from './resolvers/lead-import.resolver.js';
import { LeadResolver } from './resolvers/lead.resolver.js';
import { OutboundMessageResolver } from './resolvers/outbound-message.resolver.js';
import { buildLeadsSchema } from './schema.js';
import { UserDirectory } from './services/directory.js';
import { LeadImportService, failStaleImports } from './services/lead-import.js';
import { LeadService } from './services/leads.js';
import { AmocrmWebhook } from './services/crm/amocrm-webhook.js';
import { CrmConnections } from './services/crm/connections.js';
import { CrmSync, crmSyncJobs } from './services/crm/sync.js';
import { amocrmWebhooks } from './gateway/amocrm-webhook.js';
import { OutboundMail } from './services/outbound-mail.js';
import { playgroundExamples } from './gateway/playground.js';

/** Niches, campaigns, ads, leads, their conversations and e-mails to them (seeds 000 and 001); users are identity's. */
export const leads = defineSubgraph({
  name: 'leads',
  entities,
  migrations,
  schema: buildLeadsSchema,
  peers: ['identity'],
  async start({ bus, settings, peer, orm, jobs, mailer }) {
    const phones = new PhoneNumbers(settings.phones.defaultRegion);
    const leadService = new LeadService(bus, phones, new UserDirectory(() => peer('identity')));
    const outboundMail = new OutboundMail(jobs, mailer);
    const box = new SecretBox(settings.secretsKey);
    const crmSync = new CrmSync(leadService, phones, box);
    const crm = crmSyncJobs(crmSync, jobs);
    // Imports a stopped process left running are reported failed (their committed rows stay imported).
    await failStaleImports(orm.em.fork());
    return {
      resolvers: [
        [CrmConnectionResolver, new CrmConnectionResolver(new CrmConnections(box, crm.dispatcher), new AmocrmWebhook(crmSync))],
        [LeadResolver, new LeadResolver(leadService)],
        [LeadImportResolver, new LeadImportResolver(new LeadImportService(bus, leadService))],
        [CampaignResolver, new CampaignResolver(bus)],
        [OutboundMessageResolver, new OutboundMessageResolver(outboundMail)],
      ],
      queues: [outboundMail.queue, crm.queue],
    };
  },
  gateway: { routes: amocrmWebhooks, playground: playgroundExamples },
});

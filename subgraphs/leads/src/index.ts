import { PhoneNumbers, SecretBox, defineSubgraph } from '@salesgraph/platform';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { CampaignResolver } from './resolvers/campaign.resolver.js';
import { CrmConnectionResolver } from './resolvers/crm.resolver.js';
import { LeadResolver } from './resolvers/lead.resolver.js';
import { buildLeadsSchema } from './schema.js';
import { UserDirectory } from './services/directory.js';
import { LeadService } from './services/leads.js';
import { AmocrmWebhook } from './services/crm/amocrm-webhook.js';
import { CrmConnections, type CrmSyncDispatcher } from './services/crm/connections.js';
import { CrmSync } from './services/crm/sync.js';
import { amocrmWebhooks } from './gateway/amocrm-webhook.js';

/** Niches, campaigns, ads, leads and their conversations (seeds 000 and 001); users are identity's. */
export const leads = defineSubgraph({
  name: 'leads',
  entities,
  migrations,
  schema: buildLeadsSchema,
  peers: ['identity'],
  start({ bus, settings, peer, orm }) {
    const phones = new PhoneNumbers(settings.phones.defaultRegion);
    const leadService = new LeadService(bus, phones, new UserDirectory(() => peer('identity')));
    const box = new SecretBox(settings.secretsKey);
    const crmSync = new CrmSync(leadService, phones, box);
    // CRM sync runs here, in this process, once the transaction that queued it has committed (the run claims
    // the connection only while it reads it queued; a second request meanwhile queues nothing).
    // TODO(jobs): once the platform's job queue is on main, this becomes a `crm-sync` queue returned from start()
    // (handler: `crmSync.run(em, connectionId, { retrying })`) and `dispatch: (tx, connectionId) =>
    // jobs.send(crmSyncQueue, { connectionId }, { em: tx, singletonKey: connectionId })`, durable and retried.
    const dispatcher: CrmSyncDispatcher = {
      afterCommit: (connectionId) => {
        setImmediate(() => {
          crmSync
            .run(orm.em.fork(), connectionId)
            .catch((error: Error) => console.error(`leads: CRM sync of ${connectionId} failed: ${error.message}`));
        });
      },
    };
    return {
      resolvers: [
        [CrmConnectionResolver, new CrmConnectionResolver(new CrmConnections(box, dispatcher), new AmocrmWebhook(crmSync))],
        [LeadResolver, new LeadResolver(leadService)],
        [CampaignResolver, new CampaignResolver(bus)],
      ],
    };
  },
  gateway: { routes: amocrmWebhooks },
});

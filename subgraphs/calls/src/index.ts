import { BACKGROUND, PhoneNumbers, SecretBox, defineSubgraph } from '@salesgraph/platform';
import { entities } from './entities/index.js';
import { telephonyWebhook } from './gateway/telephony-webhook.js';
import { migrations } from './migrations/index.js';
import { CallResolver } from './resolvers/call.resolver.js';
import { CompanyResolver } from './resolvers/company.resolver.js';
import { LeadCallsResolver } from './resolvers/lead-calls.resolver.js';
import { TelephonyResolver } from './resolvers/telephony.resolver.js';
import { buildCallsSchema } from './schema.js';
import { UserDirectory } from './services/directory.js';
import { LeadDirectory } from './services/leads.js';
import { CallLifecycle } from './services/lifecycle.js';
import { TelephonyWebhook } from './services/telephony.js';
import { playgroundExamples } from './gateway/playground.js';

/** Calls, their events, tasks, companies, statistics and the telephony webhook; users are identity's, leads leads'. */
export const calls = defineSubgraph({
  name: 'calls',
  entities,
  migrations,
  schema: buildCallsSchema,
  peers: ['identity', 'leads'],
  async start({ bus, settings, peer, jobs, orm }) {
    const phones = new PhoneNumbers(settings.phones.defaultRegion);
    const leads = new LeadDirectory(() => peer('leads'));
    const lifecycle = new CallLifecycle(bus, new UserDirectory(() => peer('identity')), settings.ringTimeoutSeconds, phones, jobs, leads);
    // Each ringing call has a ring-timeout job; calls left ringing from before there were jobs are caught here.
    while ((await lifecycle.missOverdue(orm.em.fork(BACKGROUND))) > 0);
    const box = new SecretBox(settings.secretsKey);
    return {
      resolvers: [
        [CallResolver, new CallResolver(lifecycle)],
        [CompanyResolver, new CompanyResolver(phones)],
        [LeadCallsResolver, new LeadCallsResolver(leads)],
        [TelephonyResolver, new TelephonyResolver(new TelephonyWebhook(lifecycle, box), box)],
      ],
      queues: [lifecycle.ringTimeout],
    };
  },
  gateway: { routes: [telephonyWebhook], playground: playgroundExamples },
});

// For unit tests of the statistics periods, which need no running subgraph.
export { scopeOf, type StatisticsScope } from './services/statistics.js';
export { StatisticsPeriod } from './types/statistics.type.js';

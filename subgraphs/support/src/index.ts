import { defineSubgraph } from '@salesgraph/platform';
import { entities } from './entities/index.js';
import { downloadRoutes } from './gateway/downloads.js';
import { migrations } from './migrations/index.js';
import { DownloadResolver } from './resolvers/download.resolver.js';
import { AttachmentResolver, TicketResolver } from './resolvers/ticket.resolver.js';
import { buildSupportSchema } from './schema.js';
import { Attachments } from './services/attachments.js';
import { DownloadLinks } from './services/downloads.js';
import { Sla } from './services/sla.js';
import { fileStoreFrom } from './services/storage/index.js';
import { TicketService } from './services/tickets.js';
import { playgroundExamples } from './gateway/playground.js';

/**
 * Support tickets (seed 003 section 4): their messages with file attachments (local disk or S3-compatible
 * storage), SLA deadlines checked by durable jobs, and downloads through short-lived signed links.
 */
export const support = defineSubgraph({
  name: 'support',
  entities,
  migrations,
  schema: buildSupportSchema,
  peers: ['identity', 'funnels'],
  start({ bus, settings, peer, jobs }) {
    const attachments = new Attachments(fileStoreFrom(settings.files), () => ({
      maxBytes: settings.support.uploadMaxBytes,
      allowedTypes: settings.support.uploadAllowedTypes,
    }));
    const sla = new Sla(jobs, bus, () => ({
      firstResponseMinutes: settings.support.slaFirstResponseMinutes,
      resolutionMinutes: settings.support.slaResolutionMinutes,
    }));
    const links = new DownloadLinks(settings.secretsKey);
    const tickets = new TicketService(
      bus,
      attachments,
      sla,
      () => peer('identity'),
      () => peer('funnels'),
    );
    return {
      resolvers: [
        [TicketResolver, new TicketResolver(tickets)],
        [AttachmentResolver, new AttachmentResolver(links)],
        [DownloadResolver, new DownloadResolver(links, attachments)],
      ],
      queues: [sla.queue],
    };
  },
  gateway: { routes: downloadRoutes, playground: playgroundExamples },
});

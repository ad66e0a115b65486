import { PhoneNumbers, SecretBox, defineSubgraph } from '@salesgraph/platform';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { AssistantResolver } from './resolvers/assistant.resolver.js';
import { ClientResolver } from './resolvers/client.resolver.js';
import { MessengerConnectionResolver } from './resolvers/connection.resolver.js';
import { DialogResolver } from './resolvers/dialog.resolver.js';
import { FunnelResolver } from './resolvers/funnel.resolver.js';
import { MessengerWebhookResolver } from './resolvers/messenger-webhook.resolver.js';
import { WidgetChatResolver } from './resolvers/widget-chat.resolver.js';
import { CallDialogsResolver, LeadDialogsResolver } from './resolvers/screen-pop.resolver.js';
import { WidgetResolver } from './resolvers/widget.resolver.js';
import { messengerWebhooks } from './gateway/messenger-webhooks.js';
import { widgetRoutes } from './gateway/widget.js';
import { buildFunnelsSchema } from './schema.js';
import { MessengerChannels } from './services/channels/index.js';
import { ClientService } from './services/clients.js';
import { PhoneOwners } from './services/phone-owners.js';
import { ConnectionService } from './services/connections.js';
import { DialogService } from './services/dialogs.js';
import { UserDirectory } from './services/directory.js';
import { FunnelService } from './services/funnels.js';
import { Outbox } from './services/outbox.js';
import { WidgetChatService } from './services/widget-chat.js';
import { WidgetService } from './services/widgets.js';
import { playgroundExamples } from './gateway/playground.js';

/**
 * Funnels with their stages, assistants and follow-ups, clients, dialogs and their messages, and the
 * messenger connections and web chat widgets clients write through (seed 003, seed 004's bots and widgets), the
 * widgets' page and script served by the gateway, and their anonymous visitors.
 */
export const funnels = defineSubgraph({
  name: 'funnels',
  entities,
  migrations,
  schema: buildFunnelsSchema,
  peers: ['identity', 'leads', 'calls'],
  start({ bus, settings, peer, jobs }) {
    const phones = new PhoneNumbers(settings.phones.defaultRegion);
    const users = new UserDirectory(() => peer('identity'));
    const owners = new PhoneOwners(
      () => peer('calls'),
      () => peer('leads'),
    );
    const box = new SecretBox(settings.secretsKey);
    const channels = new MessengerChannels(settings.messengers);
    const outbox = new Outbox(jobs, bus, box, channels);
    const dialogs = new DialogService(bus, phones, users, outbox);
    const connections = new ConnectionService(box, channels, dialogs, settings.messengers.publicUrl);
    return {
      resolvers: [
        [FunnelResolver, new FunnelResolver(new FunnelService())],
        [ClientResolver, new ClientResolver(new ClientService(phones, users))],
        [DialogResolver, new DialogResolver(dialogs)],
        [AssistantResolver, new AssistantResolver(dialogs)],
        [MessengerConnectionResolver, new MessengerConnectionResolver(connections)],
        [MessengerWebhookResolver, new MessengerWebhookResolver(connections)],
        [CallDialogsResolver, new CallDialogsResolver(owners)],
        [LeadDialogsResolver, new LeadDialogsResolver(owners)],
        [WidgetResolver, new WidgetResolver(new WidgetService())],
        [WidgetChatResolver, new WidgetChatResolver(new WidgetChatService(dialogs))],
      ],
      queues: [outbox.delivery, outbox.followUps],
    };
  },
  gateway: { routes: [...messengerWebhooks, ...widgetRoutes], playground: playgroundExamples },
});

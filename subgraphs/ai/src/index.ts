import { EventBus, SecretBox, defineSubgraph, eventChannelOf } from '@salesgraph/platform';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { ChatResolver } from './resolvers/chat.resolver.js';
import { CallAnalysisResolver, CampaignAiCostResolver, DialogAiCostResolver, LeadAiCostResolver } from './resolvers/extensions.resolver.js';
import { AiFeaturesResolver } from './resolvers/features.resolver.js';
import { LlmProviderResolver } from './resolvers/provider.resolver.js';
import { SpeechResolver } from './resolvers/speech.resolver.js';
import { GithubIntegrationResolver, PaymentsResolver } from './resolvers/webhooks.resolver.js';
import { chatStreamRoutes } from './gateway/chat-stream.js';
import { openAiRoutes } from './gateway/openai.js';
import { speechHealth, speechRoutes } from './gateway/speech.js';
import { webhookRoutes } from './gateway/webhooks.js';
import { buildAiSchema } from './schema.js';
import { AutoReply } from './services/auto-reply.js';
import { ChatService } from './services/chat.js';
import { Crm } from './services/crm.js';
import { Extensions } from './services/extensions.js';
import { AiFeatures } from './services/features.js';
import { LlmProviderService } from './services/llm-providers.js';
import { Meter } from './services/meter.js';
import { GithubIntegrations } from './services/github.js';
import { Payments } from './services/payments.js';
import { PersonaService } from './services/personas.js';
import { Providers } from './services/providers/index.js';
import { Runner } from './services/runner.js';
import { UsageService } from './services/usage-stats.js';
import { registerChatService } from './services/stream-registry.js';
import { Espeak, SpeechService, TtsPresetService } from './services/speech/index.js';
import { ProcessCall } from './services/speech/process-call.js';
import { playgroundExamples } from './gateway/playground.js';

/**
 * The AI features: providers (OpenAI-compatible APIs, and the offline provider when none is configured),
 * personas and chat sessions, usage accounting and budgets (seeds 000 and 004); lead scoring, e-mail drafts, call
 * analysis and forecasts over the CRM's subgraphs, and the AI cost and call analyses it adds to their entities;
 * the assistant that answers clients in dialogs with `ai` set (`services/auto-reply.ts`).
 */
export const ai = defineSubgraph({
  name: 'ai',
  entities,
  migrations,
  schema: buildAiSchema,
  peers: ['identity', 'leads', 'calls', 'funnels'],
  async start({ settings, orm, db, peer, bus }) {
    const box = new SecretBox(settings.secretsKey);
    const providers = new Providers(box, settings.llm);
    const payments = new Payments(settings.payments, settings.secretsKey);
    const meter = new Meter(settings.llm, payments);
    const runner = new Runner(providers, meter);
    const crm = new Crm({
      identity: () => peer('identity'),
      leads: () => peer('leads'),
      calls: () => peer('calls'),
      funnels: () => peer('funnels'),
    });
    const extensions = new Extensions(crm);
    const personas = new PersonaService();
    const chat = new ChatService(runner, personas);
    registerChatService(orm, chat);
    const features = new AiFeatures(runner, crm);
    const espeak = new Espeak(settings.llm.espeak);
    const speech = new SpeechService(runner, espeak, new TtsPresetService(espeak), settings.llm);
    // Auto-replies: this process hears funnels' events on funnels' own channel (at most once, like any NOTIFY).
    const autoReply = new AutoReply(() => peer('funnels'), runner, orm);
    const funnelsEvents = new EventBus(eventChannelOf('funnels'));
    const stopHearing = funnelsEvents.on('dialog', (event) => autoReply.hear(event));
    const stopListening = await funnelsEvents.listen(db);
    return {
      onStop: async () => {
        stopHearing();
        await stopListening();
        await autoReply.stop();
      },
      resolvers: [
        [ChatResolver, new ChatResolver(chat, personas, providers)],
        [LlmProviderResolver, new LlmProviderResolver(new LlmProviderService(box, providers))],
        [AiFeaturesResolver, new AiFeaturesResolver(features, new UsageService(meter, crm))],
        [SpeechResolver, new SpeechResolver(speech, new ProcessCall(speech, chat, personas, crm, features))],
        [CallAnalysisResolver, new CallAnalysisResolver(extensions)],
        [LeadAiCostResolver, new LeadAiCostResolver(extensions)],
        [CampaignAiCostResolver, new CampaignAiCostResolver(extensions)],
        [DialogAiCostResolver, new DialogAiCostResolver(extensions)],
        [PaymentsResolver, new PaymentsResolver(payments)],
        [GithubIntegrationResolver, new GithubIntegrationResolver(new GithubIntegrations(box, bus))],
      ],
    };
  },
  gateway: {
    routes: [...openAiRoutes, ...chatStreamRoutes, ...speechRoutes, ...webhookRoutes],
    health: speechHealth,
    playground: playgroundExamples,
  },
});

// The offline provider's pure algorithms, the provider routing and the price arithmetic, for their unit tests
// (which need no running subgraph).
export * from './services/offline/index.js';
export { Providers } from './services/providers/index.js';
export { Meter } from './services/meter.js';
export { Payments } from './services/payments.js';
export * from './services/webhook-proofs.js';
export { asksForPerson } from './services/handover.js';
export { AudioCache, Espeak, audioFormatOf, readWav } from './services/speech/index.js';

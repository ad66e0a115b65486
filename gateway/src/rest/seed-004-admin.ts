import {
  AdminCreateLlmProviderDocument,
  AdminCreateTtsPresetDocument,
  AdminCreateWidgetDocument,
  AdminDeleteLlmProviderDocument,
  AdminDeleteTtsPresetDocument,
  AdminDeleteWidgetDocument,
  AdminLlmProviderDocument,
  AdminLlmProvidersDocument,
  AdminTestLlmProviderDocument,
  AdminTtsPresetDocument,
  AdminTtsPresetsDocument,
  AdminUpdateLlmProviderDocument,
  AdminUpdateTtsPresetDocument,
  AdminUpdateWidgetDocument,
  AdminWidgetDocument,
  AdminWidgetsDocument,
  type CreateLlmProviderInput,
  type CreateTtsPresetInput,
  type LlmProviderFieldsFragment,
  type TtsPresetFieldsFragment,
  type UpdateLlmProviderInput,
  type UpdateTtsPresetInput,
  type WidgetFieldsFragment,
  type WidgetInput,
} from '../generated/graphql.js';
import { BodyMapping } from './body.js';
import { route, type JsonSchema, type RestRoute } from './route.js';
import { isoTime, nullableString, uuid } from './shapes.js';

/**
 * Seed 004's admin resources with an `owner_id`, beyond bots (seed-004-bots.ts) and chat sessions
 * (seed-004-chat.ts), on its URL pattern: `GET|POST /admin/<resource>`, `GET|PUT|DELETE /admin/<resource>/<id>`,
 * `POST /admin/<resource>/<id>/<action>`. Each row runs the GraphQL operation every other door runs, so who sees
 * and changes what is the subgraph's rule (seed 004: admins all of the organization's, users and web their own,
 * guests read only), and errors are seed 004's `{detail}`.
 */
const WIDGETS = '/admin/widgets';
const PROVIDERS = '/admin/llm/providers';
const PRESETS = '/admin/tts/presets';

const byId = ({ params }: { params: Record<string, string> }) => ({ id: params.id });
const ownerId = (id: string | null | undefined) => (id === null || id === undefined ? null : Number(id));
const owner: JsonSchema = { type: 'integer', nullable: true, description: 'The user it belongs to; null: shared with the organization' };
const deleted: JsonSchema = { type: 'object', properties: { status: { type: 'string', example: 'ok' }, id: uuid } };

const widgetOut = (w: WidgetFieldsFragment) => ({
  id: w.id,
  name: w.name,
  title: w.title,
  greeting: w.greeting,
  allowed_origins: w.allowedOrigins,
  is_active: w.isActive,
  funnel_id: w.funnel?.id ?? null,
  owner_id: ownerId(w.ownerUserId),
  created_at: w.createdAt,
  updated_at: w.updatedAt,
});
const widgetSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    name: { type: 'string', example: 'Site chat' },
    title: { type: 'string', description: 'The heading visitors see' },
    greeting: nullableString,
    allowed_origins: { type: 'array', items: { type: 'string' }, description: 'Sites that may embed it; empty: any' },
    is_active: { type: 'boolean' },
    funnel_id: { ...uuid, nullable: true },
    owner_id: owner,
    created_at: isoTime,
    updated_at: isoTime,
  },
};
const widgetBody = new BodyMapping<WidgetInput>({
  name: { schema: { type: 'string', example: 'Site chat' } },
  title: { schema: { type: 'string', example: 'Ask us anything' } },
  greeting: { schema: { ...nullableString, example: 'Здравствуйте! Чем помочь?' } },
  funnelId: { schema: { ...uuid, nullable: true, description: 'The funnel its dialogs go to' } },
  allowedOrigins: { schema: { type: 'array', items: { type: 'string' }, example: ['https://shop.example.com'] } },
  isActive: { schema: { type: 'boolean' } },
});

const providerOut = (p: LlmProviderFieldsFragment) => ({
  id: p.id,
  name: p.name,
  slug: p.slug,
  base_url: p.baseUrl,
  api_key_hint: p.apiKeyHint,
  models: p.models,
  default_model: p.defaultModel,
  enabled: p.enabled,
  owner_id: ownerId(p.ownerUserId),
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});
const providerSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    name: { type: 'string', example: 'Our vLLM' },
    slug: { type: 'string', description: 'The backend in persona model ids: anna-secretary-<slug>', example: 'vllm' },
    base_url: { type: 'string', example: 'http://vllm.internal:8000/v1' },
    api_key_hint: { ...nullableString, description: 'The end of the key; the key itself is never returned', example: '…a1b2' },
    models: { type: 'array', items: { type: 'string' } },
    default_model: { type: 'string' },
    enabled: { type: 'boolean' },
    owner_id: owner,
    created_at: isoTime,
    updated_at: isoTime,
  },
};
const providerFields = {
  name: { schema: { type: 'string', example: 'Our vLLM' } },
  baseUrl: { schema: { type: 'string', example: 'http://vllm.internal:8000/v1', description: 'Asked for its models before it is saved' } },
  apiKey: { schema: { ...nullableString, description: 'Stored encrypted, never returned' } },
  models: { schema: { type: 'array', items: { type: 'string' }, description: 'Default: what the provider lists' } },
  defaultModel: { schema: { type: 'string', example: 'qwen2.5-7b-instruct' } },
} as const;
const createProviderBody = new BodyMapping<CreateLlmProviderInput>({
  ...providerFields,
  slug: { schema: { type: 'string', example: 'vllm' } },
  shared: { schema: { type: 'boolean', description: 'Admins: false keeps it for yourself (default true)' } },
});
const updateProviderBody = new BodyMapping<UpdateLlmProviderInput>({ ...providerFields, enabled: { schema: { type: 'boolean' } } });

const presetOut = (p: TtsPresetFieldsFragment) => ({
  id: p.id,
  voice_id: p.slug,
  name: p.name,
  espeak_voice: p.espeakVoice,
  provider_voice: p.providerVoice,
  rate: p.rate,
  pitch: p.pitch,
  owner_id: ownerId(p.ownerUserId),
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});
const presetSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    voice_id: { type: 'string', description: 'What /tts (voice_id) and /v1/audio/speech (voice) take', example: 'support_ru' },
    name: { type: 'string', example: 'Поддержка' },
    espeak_voice: { type: 'string', example: 'ru+f3' },
    provider_voice: { ...nullableString, example: 'nova' },
    rate: { type: 'integer', description: 'Words per minute', example: 170 },
    pitch: { type: 'integer', example: 55 },
    owner_id: owner,
    created_at: isoTime,
    updated_at: isoTime,
  },
};
const presetFields = {
  name: { schema: { type: 'string', example: 'Поддержка' } },
  espeakVoice: { schema: { type: 'string', example: 'ru+f3', description: 'A voice espeak-ng has (GET /v1/voices)' } },
  providerVoice: { schema: { ...nullableString, example: 'nova' } },
  rate: { schema: { type: 'integer', minimum: 80, maximum: 450 } },
  pitch: { schema: { type: 'integer', minimum: 0, maximum: 99 } },
} as const;
const createPresetBody = new BodyMapping<CreateTtsPresetInput>({
  slug: { name: 'voice_id', schema: { type: 'string', example: 'support_ru' } },
  ...presetFields,
  shared: { schema: { type: 'boolean', description: 'Admins: false keeps it for yourself (default true)' } },
});
const updatePresetBody = new BodyMapping<UpdateTtsPresetInput>(presetFields);

export const adminResourceRoutes: RestRoute[] = [
  route({
    method: 'get',
    path: WIDGETS,
    summary: 'Web chat widgets you may see (admins: the organization’s; users: their own), newest first',
    operation: AdminWidgetsDocument,
    respond: (d) => d.widgets.map(widgetOut),
    response: { type: 'array', items: widgetSchema },
  }),
  route({
    method: 'post',
    path: WIDGETS,
    summary: 'Add a web chat widget',
    status: 201,
    operation: AdminCreateWidgetDocument,
    body: widgetBody.schema(['name']),
    variables: ({ body }) => ({ input: widgetBody.input(body) }),
    respond: (d) => widgetOut(d.createWidget),
    response: widgetSchema,
  }),
  route({
    method: 'get',
    path: `${WIDGETS}/:id`,
    summary: 'A web chat widget',
    resource: 'Widget',
    operation: AdminWidgetDocument,
    variables: byId,
    respond: (d) => widgetOut(d.widget),
    response: widgetSchema,
  }),
  route({
    method: 'put',
    path: `${WIDGETS}/:id`,
    summary: 'Update a widget (the fields given)',
    resource: 'Widget',
    operation: AdminUpdateWidgetDocument,
    body: widgetBody.schema(),
    variables: ({ params, body }) => ({ id: params.id, input: widgetBody.input(body) }),
    respond: (d) => widgetOut(d.updateWidget),
    response: widgetSchema,
  }),
  route({
    method: 'delete',
    path: `${WIDGETS}/:id`,
    summary: 'Remove a widget; its dialogs stay',
    resource: 'Widget',
    operation: AdminDeleteWidgetDocument,
    variables: byId,
    respond: (d) => ({ status: 'ok', id: d.deleteWidget }),
    response: deleted,
  }),

  route({
    method: 'get',
    path: PROVIDERS,
    summary: 'Cloud LLM providers you may use: your own, then the organization’s (admins: all of them)',
    operation: AdminLlmProvidersDocument,
    respond: (d) => d.llmProviders.map(providerOut),
    response: { type: 'array', items: providerSchema },
  }),
  route({
    method: 'post',
    path: PROVIDERS,
    summary: 'Add an OpenAI-compatible provider: it is asked for its models first, and refused if it cannot answer',
    status: 201,
    operation: AdminCreateLlmProviderDocument,
    body: createProviderBody.schema(['name', 'slug', 'baseUrl', 'defaultModel']),
    variables: ({ body }) => ({ input: createProviderBody.input(body) }),
    respond: (d) => providerOut(d.createLlmProvider),
    response: providerSchema,
  }),
  route({
    method: 'get',
    path: `${PROVIDERS}/:id`,
    summary: 'A cloud LLM provider',
    resource: 'Provider',
    operation: AdminLlmProviderDocument,
    variables: byId,
    respond: (d) => providerOut(d.llmProvider),
    response: providerSchema,
  }),
  route({
    method: 'put',
    path: `${PROVIDERS}/:id`,
    summary: 'Update a provider (the fields given); a new address or key must answer before it is saved',
    resource: 'Provider',
    operation: AdminUpdateLlmProviderDocument,
    body: updateProviderBody.schema(),
    variables: ({ params, body }) => ({ id: params.id, input: updateProviderBody.input(body) }),
    respond: (d) => providerOut(d.updateLlmProvider),
    response: providerSchema,
  }),
  route({
    method: 'delete',
    path: `${PROVIDERS}/:id`,
    summary: 'Remove a provider',
    resource: 'Provider',
    operation: AdminDeleteLlmProviderDocument,
    variables: byId,
    respond: (d) => ({ status: 'ok', id: d.deleteLlmProvider }),
    response: deleted,
  }),
  route({
    method: 'post',
    path: `${PROVIDERS}/:id/test`,
    summary: 'Ask the provider for its models now, with its stored key',
    resource: 'Provider',
    operation: AdminTestLlmProviderDocument,
    variables: byId,
    respond: ({ testLlmProvider: t }) => ({ ok: t.ok, models: t.models, error: t.error }),
    response: {
      type: 'object',
      properties: { ok: { type: 'boolean' }, models: { type: 'array', items: { type: 'string' } }, error: nullableString },
    },
  }),

  route({
    method: 'get',
    path: PRESETS,
    summary: 'TTS presets: yours and the shared ones (admins: all of the organization’s)',
    operation: AdminTtsPresetsDocument,
    respond: (d) => d.ttsPresets.map(presetOut),
    response: { type: 'array', items: presetSchema },
  }),
  route({
    method: 'post',
    path: PRESETS,
    summary: 'Save a voice under an id (an espeak-ng voice it has, a rate and a pitch)',
    status: 201,
    operation: AdminCreateTtsPresetDocument,
    body: createPresetBody.schema(['slug', 'name', 'espeakVoice']),
    variables: ({ body }) => ({ input: createPresetBody.input(body) }),
    respond: (d) => presetOut(d.createTtsPreset),
    response: presetSchema,
  }),
  route({
    method: 'get',
    path: `${PRESETS}/:id`,
    summary: 'A TTS preset',
    resource: 'TTS preset',
    operation: AdminTtsPresetDocument,
    variables: byId,
    respond: (d) => presetOut(d.ttsPreset),
    response: presetSchema,
  }),
  route({
    method: 'put',
    path: `${PRESETS}/:id`,
    summary: 'Update a TTS preset (the fields given)',
    resource: 'TTS preset',
    operation: AdminUpdateTtsPresetDocument,
    body: updatePresetBody.schema(),
    variables: ({ params, body }) => ({ id: params.id, input: updatePresetBody.input(body) }),
    respond: (d) => presetOut(d.updateTtsPreset),
    response: presetSchema,
  }),
  route({
    method: 'delete',
    path: `${PRESETS}/:id`,
    summary: 'Remove a TTS preset',
    resource: 'TTS preset',
    operation: AdminDeleteTtsPresetDocument,
    variables: byId,
    respond: (d) => ({ status: 'ok', id: d.deleteTtsPreset }),
    response: deleted,
  }),
];

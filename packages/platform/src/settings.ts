import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import type { LoggingSettings } from './logging.js';
import type { TracingSettings } from './tracing.js';

/** One environment variable the product reads. */
export interface EnvironmentVariable {
  name: string;
  /** As documented: the value used when it is unset (a plain value is also what `loadSettings` parses then), or `—`. */
  default: string;
  description: string;
  /** Its value is never repeated in an error message (a key, a password, a URL that may hold one). */
  secret?: boolean;
}

/**
 * Every environment variable the product reads, once. `loadSettings` and `subgraphUrlsOf` read no other
 * (their reader only takes these names), and README's configuration table must list exactly these
 * (test/src/settings.test.ts compares them).
 */
export const ENVIRONMENT = [
  {
    name: 'NODE_ENV',
    default: 'development',
    description:
      '`production`, `development` or `test`; production refuses the dev defaults and turns off the playground, introspection, schema hints and (unless enabled) sign-up',
  },
  {
    name: 'HOST',
    default: '127.0.0.1 (0.0.0.0 in production)',
    description: 'where the gateway or a subgraph listens; beyond loopback needs the secrets and ADMIN_* as production does',
  },
  { name: 'PORT', default: '4000 (a subgraph run alone: its port in the registry)', description: 'port to listen on (0: any free port)' },
  { name: 'DATA_DIR', default: './.data', description: 'embedded database and development secrets' },
  { name: 'DATABASE_URL', default: '—', description: 'a PostgreSQL server (postgres://…) instead of the embedded database', secret: true },
  {
    name: 'REDIS_URL',
    default: '—',
    description:
      'a Redis server (redis:// or rediss://) the gateways keep their shared rate-limit counters in, instead of the PostgreSQL server',
    secret: true,
  },
  { name: 'DATABASE_POOL_MAX', default: '10', description: 'connections each subgraph may hold open to the PostgreSQL server' },
  { name: 'SQL_DEBUG', default: 'false', description: 'log every SQL statement the subgraphs run, without its parameters’ values' },
  {
    name: 'JWT_SECRET',
    default: 'generated per data folder in development',
    description: 'signs access tokens (≥ 32 characters)',
    secret: true,
  },
  {
    name: 'GATEWAY_SECRET',
    default: 'generated per data folder in development',
    description: 'signs the identity the gateway forwards to subgraphs (≥ 32 characters)',
    secret: true,
  },
  {
    name: 'SECRETS_KEY',
    default: 'generated per data folder in development',
    description: 'encrypts secrets stored in the database (≥ 32 characters)',
    secret: true,
  },
  { name: 'ACCESS_TOKEN_TTL_SECONDS', default: '900', description: 'lifetime of access tokens' },
  {
    name: 'SIGNUP_ENABLED',
    default: 'true (false in production)',
    description: 'whether the public signUp mutation may create organizations',
  },
  { name: 'SIGNUP_LIMIT_PER_HOUR', default: '5', description: 'signUp attempts one address may make in an hour' },
  { name: 'ADMIN_EMAIL', default: 'admin@example.com (none when exposed)', description: 'the first admin, created on an empty database' },
  { name: 'ADMIN_USERNAME', default: 'admin (none when exposed)', description: 'the first admin’s username' },
  {
    name: 'ADMIN_PASSWORD',
    default: 'admin (none when exposed)',
    description: 'the first admin’s password (≥ 12 characters and not the dev default when exposed)',
    secret: true,
  },
  { name: 'ADMIN_ORGANIZATION', default: 'Default organization', description: 'the name of the first organization' },
  { name: 'RATE_LIMIT_ANONYMOUS_PER_MINUTE', default: '100', description: 'requests per minute from one address without credentials' },
  { name: 'RATE_LIMIT_AUTHENTICATED_PER_MINUTE', default: '1000', description: 'requests per minute from one user or API key' },
  { name: 'RATE_LIMIT_WEBHOOK_PER_MINUTE', default: '600', description: 'events per minute one telephony integration may post' },
  { name: 'CORS_ORIGINS', default: '*', description: 'comma-separated origins allowed by CORS, or *' },
  {
    name: 'ENTITY_CACHE',
    default: 'true',
    description: 'whether the gateway keeps entities subgraphs announce changes of (users, organizations) between requests',
  },
  {
    name: 'TRUST_PROXY',
    default: 'false',
    description: 'Express `trust proxy`: true, a hop count, or comma-separated proxy addresses/subnets',
  },
  {
    name: 'TRUSTED_DOCUMENTS_TOKEN',
    default: '—',
    description:
      'the bearer token a deployment’s CI registers trusted documents with (PUT /graphql/documents/<client>/<version>), ≥ 32 characters; unset, registering answers 503',
    secret: true,
  },
  {
    name: 'TRUSTED_DOCUMENTS_ONLY',
    default: '—',
    description: 'comma-separated client names (graphql-client-name) that may only run documents registered for them',
  },
  { name: 'RING_TIMEOUT_SECONDS', default: '30', description: 'how long an unanswered call rings before it becomes missed' },
  { name: 'DEFAULT_PHONE_REGION', default: 'RU', description: 'country assumed for phone numbers written without one (ISO 3166 code)' },
  { name: 'OPENAI_BASE_URL', default: '—', description: 'an OpenAI-compatible API; /health then reports llm_backend "openai"' },
  { name: 'OPENAI_API_KEY', default: '—', description: 'the key of that API; /health then reports llm_backend "openai"', secret: true },
  { name: 'OPENAI_MODEL', default: 'gpt-4o-mini', description: 'the model of OPENAI_BASE_URL the AI features use unless told another' },
  { name: 'OPENAI_TTS_MODEL', default: 'tts-1', description: 'the text-to-speech model asked of a provider that offers /audio/speech' },
  { name: 'OPENAI_STT_MODEL', default: 'whisper-1', description: 'the speech-to-text model asked of a provider (/audio/transcriptions)' },
  { name: 'ESPEAK_NG', default: 'espeak-ng', description: 'the espeak-ng program: offline text-to-speech when no provider offers it' },
  { name: 'TTS_CACHE_MB', default: '32', description: 'how much synthesised audio each ai process keeps for repeated phrases' },
  { name: 'LLM_TIMEOUT_MS', default: '30000', description: 'how long one request to an LLM provider may take before it is given up' },
  {
    name: 'LLM_MAX_RETRIES',
    default: '2',
    description: 'retries of a provider request refused with 408, 409, 429 or 5xx, or not answered',
  },
  {
    name: 'AI_PRICES',
    default: 'gpt-4o-mini:0.15/0.6,gpt-4o:2.5/10,gpt-4.1-mini:0.4/1.6,gpt-4.1:2/8',
    description: 'USD per million prompt/completion tokens of each model, comma-separated model:prompt/completion; unlisted models cost 0',
  },
  {
    name: 'SMTP_URL',
    default: '—',
    description: 'the SMTP server e-mail is sent through (smtp:// or smtps://, credentials percent-encoded); unset, sending e-mail fails',
    secret: true,
  },
  { name: 'MAIL_FROM', default: 'Salesgraph <noreply@localhost>', description: 'the sender of e-mail that names none' },
  { name: 'TELEGRAM_API_ROOT', default: 'https://api.telegram.org', description: 'the Telegram Bot API server bots are driven through' },
  {
    name: 'WHATSAPP_API_ROOT',
    default: 'https://graph.facebook.com/v21.0',
    description: 'the WhatsApp Cloud API (Graph API root with its version)',
  },
  {
    name: 'PUBLIC_URL',
    default: '—',
    description:
      'the gateway’s public base URL (https://…), which messengers post their webhooks to; unset, no messenger webhook can be registered',
  },
  {
    name: 'FILES_DIR',
    default: '<DATA_DIR>/files',
    description: 'the folder attachments are stored in when no S3 bucket is configured',
  },
  {
    name: 'S3_ENDPOINT',
    default: '— (AWS itself)',
    description: 'an S3-compatible API (http(s) URL, such as MinIO) attachments are stored in, addressed path-style',
  },
  { name: 'S3_REGION', default: 'us-east-1', description: 'the region requests to S3 are signed for' },
  {
    name: 'S3_BUCKET',
    default: '—',
    description:
      'the bucket attachments are stored in; set, S3 is used instead of FILES_DIR (with S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY)',
  },
  { name: 'S3_ACCESS_KEY_ID', default: '—', description: 'the access key id requests to S3 are signed with' },
  { name: 'S3_SECRET_ACCESS_KEY', default: '—', description: 'the secret of that access key', secret: true },
  { name: 'UPLOAD_MAX_BYTES', default: '10485760', description: 'the largest attachment accepted, in bytes' },
  {
    name: 'UPLOAD_ALLOWED_TYPES',
    default:
      'image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,text/csv,application/zip,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    description: 'comma-separated media types attachments may have',
  },
  {
    name: 'SLA_FIRST_RESPONSE_MINUTES',
    default: 'urgent:60,high:240,medium:480,low:1440',
    description: 'minutes a ticket of each priority may wait for its first response',
  },
  {
    name: 'SLA_RESOLUTION_MINUTES',
    default: 'urgent:240,high:1440,medium:4320,low:10080',
    description: 'minutes a ticket of each priority may take to be resolved',
  },
  {
    name: 'YOOMONEY_NOTIFICATION_SECRET',
    default: '—',
    description: 'the notification secret of the YooMoney wallet organizations pay AI top-ups into; unset, /webhooks/yoomoney answers 503',
    secret: true,
  },
  {
    name: 'YOOMONEY_RUB_PER_USD',
    default: '—',
    description: 'roubles one USD of AI balance costs (a payment credits amount ÷ this); required with YOOMONEY_NOTIFICATION_SECRET',
  },
  {
    name: 'LOG_LEVEL',
    default: 'info',
    description: 'the least severe log lines written: fatal, error, warn, info, debug, trace or silent',
  },
  {
    name: 'LOG_FORMAT',
    default: 'pretty in development at a terminal, else json',
    description: 'json (one object a line) or pretty (for a person reading a terminal)',
  },
  {
    name: 'METRICS_TOKEN',
    default: '—',
    description: 'the bearer token /metrics asks for; unset, /metrics answers only while the process is not exposed',
    secret: true,
  },
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    default: '—',
    description:
      'an OpenTelemetry collector (OTLP over HTTP, e.g. http://collector:4318) each process sends its traces to (<endpoint>/v1/traces); unset, nothing is traced',
  },
  {
    name: 'OTEL_EXPORTER_OTLP_HEADERS',
    default: '—',
    description:
      'headers sent with every export, as key=value pairs separated by commas (values percent-encoded), e.g. Authorization=Bearer%20…',
    secret: true,
  },
  {
    name: 'OTEL_SERVICE_NAME',
    default: 'salesgraph-gateway (a subgraph run alone: salesgraph-<name>)',
    description: 'the service name the process’s spans carry',
  },
  {
    name: 'OTEL_TRACES_SAMPLER',
    default: 'parentbased_always_on',
    description:
      'which traces are recorded: always_on, always_off, traceidratio, or parentbased_ of one of them (follow a caller’s sampled flag when it sends one)',
  },
  { name: 'OTEL_TRACES_SAMPLER_ARG', default: '1', description: 'the share of traces a traceidratio sampler records, 0–1' },
  { name: 'OTEL_BSP_SCHEDULE_DELAY', default: '5000', description: 'milliseconds between exports of the spans ended meanwhile' },
  {
    name: 'OTEL_SDK_DISABLED',
    default: 'false',
    description: 'turns tracing off even when OTEL_EXPORTER_OTLP_ENDPOINT is set (true/false)',
  },
  {
    name: 'SHUTDOWN_TIMEOUT_SECONDS',
    default: '30',
    description: 'how long a stopping process may take to drain requests, sockets and jobs before it exits anyway',
  },
  { name: 'SUBGRAPH_<NAME>_URL', default: '—', description: 'reach that subgraph over HTTP instead of running it in this process' },
] as const satisfies readonly EnvironmentVariable[];

export type EnvironmentVariableName = (typeof ENVIRONMENT)[number]['name'];
type FixedName = Exclude<EnvironmentVariableName, 'SUBGRAPH_<NAME>_URL'>;

/** Everything the product reads from the environment, read once and checked. */
export interface Settings {
  production: boolean;
  /** Where the server listens (`HOST`): loopback by default, every interface in production. */
  host: string;
  /** `PORT`; unset, each process listens on its own default (gateway 4000, a subgraph its module's port). */
  port?: number;
  /**
   * Reachable from other machines: in production, or listening beyond loopback. The dev defaults (first
   * admin admin/admin, secrets generated per data folder) are then refused.
   */
  exposed: boolean;
  /** Embedded database folder (and dev secrets); `DATA_DIR`, default `./.data`. */
  dataDir: string;
  /** A PostgreSQL server instead of the embedded database. */
  databaseUrl?: string;
  /** `REDIS_URL`: where the gateways share their rate-limit counters, instead of `databaseUrl`. */
  redisUrl?: string;
  /** How each subgraph's ORM uses the database. */
  orm: OrmSettings;
  /** Signs access tokens (`JWT_SECRET`). */
  jwtSecret: string;
  /** Signs the identity the gateway forwards to subgraphs (`GATEWAY_SECRET`). */
  gatewaySecret: string;
  /** Encrypts secrets stored in the database (`SECRETS_KEY`). */
  secretsKey: string;
  accessTokenTtlSeconds: number;
  /** Public `signUp` creates organizations (`SIGNUP_ENABLED`; off by default in production). */
  signUpEnabled: boolean;
  /** Public sign-ups one address may make per hour (`SIGNUP_LIMIT_PER_HOUR`). */
  signUpLimitPerHour: number;
  firstAdmin?: { email: string; username: string; password: string; organizationName: string };
  /** Seconds a call rings before it counts as missed (`RING_TIMEOUT_SECONDS`). */
  ringTimeoutSeconds: number;
  /** The gateway's HTTP door. */
  gateway: {
    /** `CORS_ORIGINS`: normalised origins, or `*`. */
    corsOrigins: string[] | '*';
    /** `TRUST_PROXY`, in the form Express's `trust proxy` takes. */
    trustProxy: boolean | number | string;
    rateLimits: {
      anonymousPerMinute: number;
      authenticatedPerMinute: number;
      /** Events one telephony integration may post per minute. */
      webhookPerMinute: number;
    };
    trustedDocuments: TrustedDocumentSettings;
    /** `ENTITY_CACHE`: keep entities whose changes their subgraph announces between requests. */
    entityCache: boolean;
  };
  phones: {
    /** `DEFAULT_PHONE_REGION`: a region libphonenumber knows. */
    defaultRegion: CountryCode;
  };
  /** Outgoing e-mail (see `Mailer`). */
  mail: {
    /** `SMTP_URL`; unset, e-mail is not configured and sending fails saying so. */
    smtpUrl?: string;
    /** `MAIL_FROM`: the default sender. */
    from: string;
  };
  /** The OpenAI-compatible backend of the AI features, when one is configured; else the offline provider serves them. */
  llm: LlmSettings;
  /** Where messenger channels talk to Telegram and WhatsApp, and where those post back; URLs without a trailing slash. */
  messengers: {
    /** `TELEGRAM_API_ROOT`. */
    telegramApiRoot: string;
    /** `WHATSAPP_API_ROOT`: the Graph API root, version included. */
    whatsappApiRoot: string;
    /** `PUBLIC_URL`: the gateway as messengers reach it. Unset, no webhook can be registered (a loopback address is not one they can post to). */
    publicUrl?: string;
  };
  /** Where attachments are stored. */
  files: FileSettings;
  /** Support tickets: upload limits and service levels. */
  support: SupportSettings;
  /** Payments that top up organizations' AI balance. */
  payments: PaymentSettings;
  /** What each process logs, and how. */
  logging: LoggingSettings;
  /** `METRICS_TOKEN`: the bearer token `/metrics` asks for; unset, it answers only while the process is not exposed. */
  metricsToken?: string;
  /** `SHUTDOWN_TIMEOUT_SECONDS`, in milliseconds: the bound on a graceful stop. */
  shutdownTimeoutMs: number;
  /** OpenTelemetry traces (`OTEL_*`); undefined when no collector is set or `OTEL_SDK_DISABLED` is true: nothing is traced. */
  tracing?: TracingSettings;
}

/** Trusted documents (persisted operations): who may register them, and which clients may send nothing else. */
export interface TrustedDocumentSettings {
  /** `TRUSTED_DOCUMENTS_TOKEN`; unset, no document can be registered. */
  registrationToken?: string;
  /** `TRUSTED_DOCUMENTS_ONLY`: client names refused any document not registered for them. */
  onlyClients: string[];
}

export interface PaymentSettings {
  /** Set when `YOOMONEY_NOTIFICATION_SECRET` is: YooMoney's HTTP notifications are then accepted. */
  yoomoney?: {
    /** `YOOMONEY_NOTIFICATION_SECRET`: what each notification's `sha1_hash` is computed with. */
    notificationSecret: string;
    /** `YOOMONEY_RUB_PER_USD`: the exchange rate a payment in roubles is credited in USD at. */
    rubPerUsd: number;
  };
}

export interface LlmSettings {
  backend: 'openai' | 'local';
  /** `OPENAI_BASE_URL`; unset with a key, OpenAI itself. */
  baseUrl?: string;
  /** `OPENAI_API_KEY`. */
  apiKey?: string;
  /** `OPENAI_MODEL`. */
  model: string;
  /** `LLM_TIMEOUT_MS`. */
  timeoutMs: number;
  /** `LLM_MAX_RETRIES`. */
  maxRetries: number;
  /** `AI_PRICES`: USD per million tokens, by model name. */
  prices: Record<string, { prompt: number; completion: number }>;
  /** `OPENAI_TTS_MODEL`. */
  ttsModel: string;
  /** `OPENAI_STT_MODEL`. */
  sttModel: string;
  /** `ESPEAK_NG`: the offline speech engine's program. */
  espeak: string;
  /** `TTS_CACHE_MB`, in bytes. */
  ttsCacheBytes: number;
}

/** Where attachment bytes are stored: `FILES_DIR`, or an S3 bucket when `S3_BUCKET` is set. */
export interface FileSettings {
  /** `FILES_DIR`, absolute; default `<DATA_DIR>/files`. */
  dir: string;
  /** Set when `S3_BUCKET` is: files then go there instead of `dir`. */
  s3?: S3Settings;
}

export interface S3Settings {
  /** `S3_ENDPOINT` without a trailing slash (MinIO and other S3 APIs); unset, AWS itself. */
  endpoint?: string;
  /** `S3_REGION`. */
  region: string;
  /** `S3_BUCKET`. */
  bucket: string;
  /** `S3_ACCESS_KEY_ID`. */
  accessKeyId: string;
  /** `S3_SECRET_ACCESS_KEY`. */
  secretAccessKey: string;
}

export const SLA_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type SlaPriority = (typeof SLA_PRIORITIES)[number];

/** The support subgraph's limits and service levels. */
export interface SupportSettings {
  /** `UPLOAD_MAX_BYTES`. */
  uploadMaxBytes: number;
  /** `UPLOAD_ALLOWED_TYPES`: lower-case media types such as `image/png`. */
  uploadAllowedTypes: string[];
  /** `SLA_FIRST_RESPONSE_MINUTES`: per priority, minutes (possibly fractional) until the first response is due. */
  slaFirstResponseMinutes: Record<SlaPriority, number>;
  /** `SLA_RESOLUTION_MINUTES`: per priority, minutes (possibly fractional) until resolution is due. */
  slaResolutionMinutes: Record<SlaPriority, number>;
}

export interface OrmSettings {
  /** `DATABASE_POOL_MAX`: connections one ORM may hold open to a PostgreSQL server. */
  poolMax: number;
  /** `SQL_DEBUG`: log every statement. */
  sqlDebug: boolean;
}

/** Thrown by `loadSettings` and `subgraphUrlsOf` with every problem found, one a line, each naming its variable. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'SettingsError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const DEV_ADMIN = { email: 'admin@example.com', username: 'admin', password: 'admin' };
const NODE_ENVS = ['production', 'development', 'test'];

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const read = new EnvReader(env);
  const production =
    read.optional('NODE_ENV', (v) => (NODE_ENVS.includes(v) ? v : undefined), 'production, development or test') === 'production';
  const host = read.optional('HOST', hostName, 'an IP address or host name') ?? (production ? '0.0.0.0' : '127.0.0.1');
  const exposed = production || !isLoopbackHost(host);
  const dataDir = resolve(read.value('DATA_DIR', (v) => v, 'a folder'));
  const secrets = exposed ? undefined : devSecrets(dataDir);
  const secret = (name: keyof DevSecrets) => {
    const given = read.optional(name, (v) => (v.length >= 32 ? v : undefined), 'at least 32 characters');
    if (given === undefined && read.raw(name) === undefined && !secrets) {
      read.problem(`${name} must be set when NODE_ENV=production or HOST is not a loopback address`);
    }
    return given ?? secrets?.[name] ?? '';
  };
  const apiKey = read.optional('OPENAI_API_KEY', (v) => (/^[\x21-\x7e]+$/.test(v) ? v : undefined), 'printable characters without spaces');
  const baseUrl = read.optional('OPENAI_BASE_URL', httpUrl, 'an http(s) URL');
  const settings: Settings = {
    production,
    host,
    port: read.optional('PORT', port, 'a port number (0–65535)'),
    exposed,
    dataDir,
    databaseUrl: read.optional('DATABASE_URL', postgresUrl, 'a postgres:// or postgresql:// URL'),
    redisUrl: read.optional('REDIS_URL', redisUrl, 'a redis:// or rediss:// URL such as redis://:password@redis.example.internal:6379/0'),
    orm: ormSettings(read),
    jwtSecret: secret('JWT_SECRET'),
    gatewaySecret: secret('GATEWAY_SECRET'),
    secretsKey: secret('SECRETS_KEY'),
    accessTokenTtlSeconds: read.value('ACCESS_TOKEN_TTL_SECONDS', positiveInteger, POSITIVE_INTEGER),
    signUpEnabled: read.optional('SIGNUP_ENABLED', flag, TRUE_OR_FALSE) ?? !production,
    signUpLimitPerHour: read.value('SIGNUP_LIMIT_PER_HOUR', positiveInteger, POSITIVE_INTEGER),
    firstAdmin: firstAdmin(read, exposed),
    ringTimeoutSeconds: read.value('RING_TIMEOUT_SECONDS', positiveInteger, POSITIVE_INTEGER),
    gateway: {
      corsOrigins: read.value('CORS_ORIGINS', corsOrigins, '* or comma-separated origins such as https://app.example.com'),
      trustProxy: read.value(
        'TRUST_PROXY',
        trustProxy,
        'true, false, a hop count, or comma-separated IP addresses/subnets (or loopback, linklocal, uniquelocal)',
      ),
      rateLimits: {
        anonymousPerMinute: read.value('RATE_LIMIT_ANONYMOUS_PER_MINUTE', positiveInteger, POSITIVE_INTEGER),
        authenticatedPerMinute: read.value('RATE_LIMIT_AUTHENTICATED_PER_MINUTE', positiveInteger, POSITIVE_INTEGER),
        webhookPerMinute: read.value('RATE_LIMIT_WEBHOOK_PER_MINUTE', positiveInteger, POSITIVE_INTEGER),
      },
      trustedDocuments: {
        registrationToken: read.optional(
          'TRUSTED_DOCUMENTS_TOKEN',
          (v) => (/^[\x21-\x7e]{32,512}$/.test(v) ? v : undefined),
          '32–512 printable characters without spaces',
        ),
        onlyClients: read.optional('TRUSTED_DOCUMENTS_ONLY', clientNames, `comma-separated client names (${CLIENT_NAME_RULE})`) ?? [],
      },
      entityCache: read.optional('ENTITY_CACHE', flag, TRUE_OR_FALSE) ?? true,
    },
    phones: {
      defaultRegion: read.value(
        'DEFAULT_PHONE_REGION',
        (v) => (isSupportedCountry(v) ? v : undefined),
        'a region code libphonenumber knows, upper-case, such as RU or US',
      ),
    },
    mail: {
      smtpUrl: read.optional('SMTP_URL', smtpUrl, 'an smtp:// or smtps:// URL such as smtp://user:password@mail.example.com:587'),
      from: read.value('MAIL_FROM', mailbox, 'an e-mail address, optionally with a name: Name <address@example.com>'),
    },
    llm: {
      backend: baseUrl || apiKey ? 'openai' : 'local',
      baseUrl,
      apiKey,
      model: read.value('OPENAI_MODEL', (v) => (/^[\x21-\x7e]{1,200}$/.test(v) ? v : undefined), 'a model name'),
      timeoutMs: read.value('LLM_TIMEOUT_MS', positiveInteger, POSITIVE_INTEGER),
      maxRetries: read.value('LLM_MAX_RETRIES', nonNegativeInteger, 'a whole number, 0 or more'),
      prices: read.value('AI_PRICES', modelPrices, 'comma-separated model:prompt/completion USD per million tokens, e.g. gpt-4o:2.5/10'),
      ttsModel: read.value('OPENAI_TTS_MODEL', (v) => (/^[\x21-\x7e]{1,200}$/.test(v) ? v : undefined), 'a model name'),
      sttModel: read.value('OPENAI_STT_MODEL', (v) => (/^[\x21-\x7e]{1,200}$/.test(v) ? v : undefined), 'a model name'),
      espeak: read.value('ESPEAK_NG', (v) => (/^[^\0\n]{1,500}$/.test(v) ? v : undefined), 'a program name or path'),
      ttsCacheBytes: read.value('TTS_CACHE_MB', nonNegativeInteger, 'a whole number of megabytes, 0 or more') * 1024 * 1024,
    },
    messengers: {
      telegramApiRoot: read.value('TELEGRAM_API_ROOT', rootUrl, ROOT_URL),
      whatsappApiRoot: read.value('WHATSAPP_API_ROOT', rootUrl, ROOT_URL),
      publicUrl: read.optional('PUBLIC_URL', rootUrl, ROOT_URL),
    },
    files: fileSettings(read, dataDir),
    support: supportSettings(read),
    payments: paymentSettings(read),
    logging: {
      level: read.value('LOG_LEVEL', (v) => LOG_LEVELS.find((l) => l === v), LOG_LEVELS.join(', ')),
      format:
        read.optional('LOG_FORMAT', (v) => (v === 'json' || v === 'pretty' ? v : undefined), 'json or pretty') ??
        (!production && read.raw('NODE_ENV') !== 'test' && process.stdout.isTTY ? 'pretty' : 'json'),
    },
    metricsToken: read.optional('METRICS_TOKEN', (v) => (/^[\x21-\x7e]{16,200}$/.test(v) ? v : undefined), '16–200 printable characters'),
    shutdownTimeoutMs: read.value('SHUTDOWN_TIMEOUT_SECONDS', positiveInteger, POSITIVE_INTEGER) * 1000,
    tracing: tracingSettings(read),
  };
  read.done();
  return settings;
}

function modelPrices(value: string): Record<string, { prompt: number; completion: number }> | undefined {
  const prices: Record<string, { prompt: number; completion: number }> = {};
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    // The last colon separates: model names may hold colons themselves (Ollama's llama3:8b).
    const match = /^(\S+):(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(entry);
    if (!match) return undefined;
    prices[match[1]] = { prompt: Number(match[2]), completion: Number(match[3]) };
  }
  return prices;
}

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** The standard `OTEL_*` variables of traces; every one is checked, also when tracing stays off. */
function tracingSettings(read: EnvReader): TracingSettings | undefined {
  const endpoint = read.optional('OTEL_EXPORTER_OTLP_ENDPOINT', rootUrl, ROOT_URL);
  const headers = read.optional('OTEL_EXPORTER_OTLP_HEADERS', exportHeaders, 'comma-separated key=value pairs, values percent-encoded');
  const serviceName = read.optional(
    'OTEL_SERVICE_NAME',
    (v) => (/^[\x21-\x7e]{1,100}$/.test(v) ? v : undefined),
    '1–100 printable characters',
  );
  const sampler = read.value('OTEL_TRACES_SAMPLER', (v) => SAMPLERS.find((s) => s === v), SAMPLERS.join(', '));
  const ratio = read.value(
    'OTEL_TRACES_SAMPLER_ARG',
    (v) => (/^(0(\.\d+)?|1(\.0+)?)$/.test(v) ? Number(v) : undefined),
    'a number from 0 to 1',
  );
  const scheduleDelayMs = read.value('OTEL_BSP_SCHEDULE_DELAY', positiveInteger, POSITIVE_INTEGER);
  const disabled = read.value('OTEL_SDK_DISABLED', flag, TRUE_OR_FALSE);
  if (!endpoint || disabled) return undefined;
  return { endpoint, headers: headers ?? {}, serviceName, sampler, ratio, scheduleDelayMs };
}

/** `OTEL_EXPORTER_OTLP_HEADERS`: `key=value,key2=value2` with percent-encoded values (W3C baggage's form). */
function exportHeaders(value: string): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  for (const pair of value.split(',').map((p) => p.trim())) {
    if (!pair) continue;
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(.*)$/.exec(pair);
    if (!match) return undefined;
    let decoded: string;
    try {
      decoded = decodeURIComponent(match[2].trim());
    } catch {
      return undefined;
    }
    // A control character would end the header (or smuggle another) in the exporter's request.
    if ([...decoded].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return undefined;
    headers[match[1].toLowerCase()] = decoded;
  }
  return Object.keys(headers).length ? headers : undefined;
}

function ormSettings(read: EnvReader): OrmSettings {
  return {
    poolMax: read.value('DATABASE_POOL_MAX', positiveInteger, POSITIVE_INTEGER),
    sqlDebug: read.value('SQL_DEBUG', flag, TRUE_OR_FALSE),
  };
}

function fileSettings(read: EnvReader, dataDir: string): FileSettings {
  const dir = resolve(read.optional('FILES_DIR', (v) => v, 'a folder') ?? join(dataDir, 'files'));
  const endpoint = read.optional('S3_ENDPOINT', rootUrl, ROOT_URL);
  const region = read.value('S3_REGION', (v) => (/^[A-Za-z0-9_-]{1,64}$/.test(v) ? v : undefined), 'a region name such as us-east-1');
  const bucket = read.optional('S3_BUCKET', bucketName, 'a bucket name: 3–63 lower-case letters, digits, dots and hyphens');
  const accessKeyId = read.optional('S3_ACCESS_KEY_ID', printable, PRINTABLE);
  const secretAccessKey = read.optional('S3_SECRET_ACCESS_KEY', printable, PRINTABLE);
  if (read.raw('S3_BUCKET') === undefined) {
    const stray = (['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((n) => read.raw(n) !== undefined);
    if (stray.length) read.problem(`S3_BUCKET must be set when ${stray.join(', ')} is (files are otherwise stored in FILES_DIR)`);
    return { dir };
  }
  if (read.raw('S3_ACCESS_KEY_ID') === undefined || read.raw('S3_SECRET_ACCESS_KEY') === undefined) {
    read.problem('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must both be set when S3_BUCKET is');
  }
  if (!bucket || !accessKeyId || !secretAccessKey) return { dir };
  return { dir, s3: { endpoint, region, bucket, accessKeyId, secretAccessKey } };
}

function paymentSettings(read: EnvReader): PaymentSettings {
  const notificationSecret = read.optional(
    'YOOMONEY_NOTIFICATION_SECRET',
    (v) => (/^[\x21-\x7e]{8,200}$/.test(v) ? v : undefined),
    '8–200 printable characters without spaces',
  );
  const rubPerUsd = read.optional('YOOMONEY_RUB_PER_USD', positiveNumber, 'a positive number, such as 92.5');
  if (read.raw('YOOMONEY_NOTIFICATION_SECRET') !== undefined && read.raw('YOOMONEY_RUB_PER_USD') === undefined)
    read.problem('YOOMONEY_RUB_PER_USD must be set when YOOMONEY_NOTIFICATION_SECRET is (payments arrive in roubles, balances are in USD)');
  return notificationSecret && rubPerUsd ? { yoomoney: { notificationSecret, rubPerUsd } } : {};
}

function positiveNumber(value: string): number | undefined {
  if (!/^\d{1,9}(\.\d{1,6})?$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

function supportSettings(read: EnvReader): SupportSettings {
  return {
    uploadMaxBytes: read.value('UPLOAD_MAX_BYTES', positiveInteger, POSITIVE_INTEGER),
    uploadAllowedTypes: read.value('UPLOAD_ALLOWED_TYPES', mediaTypes, 'comma-separated media types such as image/png,application/pdf'),
    slaFirstResponseMinutes: read.value('SLA_FIRST_RESPONSE_MINUTES', minutesPerPriority, MINUTES_PER_PRIORITY),
    slaResolutionMinutes: read.value('SLA_RESOLUTION_MINUTES', minutesPerPriority, MINUTES_PER_PRIORITY),
  };
}

/**
 * `SUBGRAPH_<NAME>_URL` of each of `names` that has one (those subgraphs run elsewhere and are reached
 * over HTTP), checked to be http(s) URLs.
 */
export function subgraphUrlsOf(names: readonly string[], env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const read = new EnvReader(env);
  const urls: Record<string, string> = {};
  for (const name of names) {
    if (!/^[a-z][a-z0-9]*$/.test(name)) throw new Error(`"${name}" is not a subgraph name`);
    const url = read.optional(
      `SUBGRAPH_${name.toUpperCase()}_URL`,
      httpUrl,
      'an http(s) URL such as http://identity:4001/graphql',
      'SUBGRAPH_<NAME>_URL',
    );
    if (url) urls[name] = url;
  }
  read.done();
  return urls;
}

function firstAdmin(read: EnvReader, exposed: boolean): Settings['firstAdmin'] {
  const given = {
    email: read.optional(
      'ADMIN_EMAIL',
      (v) => (/^[^\s@]+@[^\s@]+$/.test(v) && v.length <= 254 ? v : undefined),
      'an e-mail address (at most 254 characters)',
    ),
    username: read.optional('ADMIN_USERNAME', (v) => (/^\S{1,64}$/.test(v) ? v : undefined), 'at most 64 characters without spaces'),
    password: read.optional('ADMIN_PASSWORD', (v) => (v.length <= 256 ? v : undefined), 'at most 256 characters'),
  };
  const organizationName = read.value('ADMIN_ORGANIZATION', (v) => (v.trim() && v.length <= 120 ? v : undefined), '1–120 characters');
  if (!exposed) {
    return {
      email: given.email ?? DEV_ADMIN.email,
      username: given.username ?? DEV_ADMIN.username,
      password: given.password ?? DEV_ADMIN.password,
      organizationName,
    };
  }
  // Reachable from other machines, the documented dev defaults are refused: no admin unless all three are
  // given, and never admin/admin.
  if (!given.email || !given.username || !given.password) return undefined;
  if (given.password === DEV_ADMIN.password || given.password.length < 12) {
    read.problem(
      'ADMIN_PASSWORD must be at least 12 characters and not the dev default when NODE_ENV=production or HOST is not a loopback address',
    );
  }
  return { email: given.email, username: given.username, password: given.password, organizationName };
}

const DECLARED = new Map<string, EnvironmentVariable>(ENVIRONMENT.map((v) => [v.name, v]));

/**
 * Reads declared variables only, and collects what is wrong with them, so one start names every bad
 * variable at once. An empty value is unset: compose passes `${X:-}` through as "".
 */
class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  raw(name: FixedName | `SUBGRAPH_${string}_URL`): string | undefined {
    const value = this.env[name];
    return value === undefined || value === '' ? undefined : value;
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  /**
   * The parsed value, or undefined when unset or wrong (then recorded as a problem). `declared` is the
   * list entry the name belongs to, for names built from a pattern.
   */
  optional<T>(
    name: FixedName | `SUBGRAPH_${string}_URL`,
    parse: (value: string) => T | undefined,
    expected: string,
    declared: EnvironmentVariableName = name as FixedName,
  ): T | undefined {
    const variable = DECLARED.get(declared);
    if (!variable) throw new Error(`${name} is not declared in ENVIRONMENT`);
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const parsed = parse(value);
    if (parsed === undefined) {
      this.problems.push(
        variable.secret
          ? `${name} must be ${expected} (its value is not shown)`
          : `${name} must be ${expected}, got ${JSON.stringify(value)}`,
      );
    }
    return parsed;
  }

  /** The parsed value, or the declared default when unset (or, recorded as a problem, when wrong). */
  value<T>(name: FixedName, parse: (value: string) => T | undefined, expected: string): T {
    const fallback = parse(DECLARED.get(name)!.default);
    if (fallback === undefined) throw new Error(`the declared default of ${name} does not parse`);
    return this.optional(name, parse, expected) ?? fallback;
  }

  done(): void {
    if (this.problems.length) throw new SettingsError(this.problems);
  }
}

const POSITIVE_INTEGER = 'a positive integer';
const TRUE_OR_FALSE = 'true or false';

function nonNegativeInteger(value: string): number | undefined {
  return /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

function positiveInteger(value: string): number | undefined {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function port(value: string): number | undefined {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n <= 65_535 ? n : undefined;
}

function flag(value: string): boolean | undefined {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return undefined;
}

function hostName(value: string): string | undefined {
  const bare = value.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return value;
  return /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(value) ? value : undefined;
}

function urlOf(value: string, protocols: string[]): URL | undefined {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) && url.hostname ? url : undefined;
  } catch {
    return undefined;
  }
}

const httpUrl = (value: string) => (urlOf(value, ['http:', 'https:']) ? value : undefined);
const postgresUrl = (value: string) => (urlOf(value, ['postgres:', 'postgresql:']) ? value : undefined);
const smtpUrl = (value: string) => (urlOf(value, ['smtp:', 'smtps:']) ? value : undefined);
const redisUrl = (value: string) => (urlOf(value, ['redis:', 'rediss:']) ? value : undefined);

const ROOT_URL = 'an http(s) URL without credentials, query or fragment, such as https://example.com/path';

/** An http(s) URL that paths are appended to, normalised and without its trailing slash. */
function rootUrl(value: string): string | undefined {
  const url = urlOf(value.trim(), ['http:', 'https:']);
  if (!url || url.username || url.password || /[?#]/.test(url.href)) return undefined;
  return url.href.replace(/\/+$/, '');
}

const PRINTABLE = 'printable characters without spaces';
const printable = (value: string) => (/^[\x21-\x7e]+$/.test(value) ? value : undefined);

/** An S3 bucket name as AWS allows them. */
function bucketName(value: string): string | undefined {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value) && !value.includes('..') && !isIP(value) ? value : undefined;
}

/** What a client name (`graphql-client-name`) and version may be: they appear in URLs and logs. */
export const CLIENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~+-]{0,99}$/;
export const CLIENT_NAME_RULE = '1–100 letters, digits and . _ ~ + -, starting with a letter or digit';

/** Comma-separated client names, each once. */
function clientNames(value: string): string[] | undefined {
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return names.length && names.every((n) => CLIENT_NAME_PATTERN.test(n)) ? [...new Set(names)] : undefined;
}

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/** Comma-separated media types, lower-cased, each once. */
function mediaTypes(value: string): string[] | undefined {
  const types = value
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  return types.length && types.every((t) => MEDIA_TYPE.test(t)) ? [...new Set(types)] : undefined;
}

const MINUTES_PER_PRIORITY = `priority:minutes pairs naming ${SLA_PRIORITIES.join(', ')} once each, minutes positive (fractions allowed), such as urgent:60,high:240,medium:480,low:1440`;

/** `priority:minutes` pairs, comma-separated, naming every priority once; minutes positive, fractions allowed. */
function minutesPerPriority(value: string): Record<SlaPriority, number> | undefined {
  const minutes: Partial<Record<SlaPriority, number>> = {};
  for (const part of value.split(',')) {
    const match = /^\s*([a-z]+)\s*:\s*(\d+(?:\.\d+)?|\.\d+)\s*$/.exec(part);
    const priority = SLA_PRIORITIES.find((p) => p === match?.[1]);
    const n = Number(match?.[2]);
    if (!priority || minutes[priority] !== undefined || !Number.isFinite(n) || n <= 0) return undefined;
    minutes[priority] = n;
  }
  return SLA_PRIORITIES.every((p) => minutes[p] !== undefined) ? (minutes as Record<SlaPriority, number>) : undefined;
}

/** `address@domain` or `Name <address@domain>`. */
function mailbox(value: string): string | undefined {
  const trimmed = value.trim();
  const address = /<([^<>\s]+)>$/.exec(trimmed)?.[1] ?? trimmed;
  return /^[^\s@<>]+@[^\s@<>]+$/.test(address) && trimmed.length <= 320 ? trimmed : undefined;
}

/** `*`, or origins as browsers send them (scheme://host[:port]), normalised so they compare equal. */
function corsOrigins(value: string): string[] | '*' | undefined {
  if (value.trim() === '*') return '*';
  const origins: string[] = [];
  for (const part of value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)) {
    const url = urlOf(part, ['http:', 'https:']);
    if (!url || url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
    origins.push(url.origin);
  }
  return origins.length ? origins : undefined;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** What Express's `trust proxy` accepts: a boolean, a hop count, or addresses, subnets and proxy-addr's names. */
function trustProxy(value: string): boolean | number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const parts = trimmed.split(',').map((p) => p.trim());
  const valid = parts.every((part) => {
    if (PROXY_NAMES.includes(part)) return true;
    const [address = '', range, ...rest] = part.split('/');
    const family = isIP(address);
    if (!family || rest.length) return false;
    if (range === undefined) return true;
    if (/^\d+$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
    return family === 4 && isIP(range) === 4;
  });
  return valid ? parts.join(',') : undefined;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** Whether listening on `host` keeps the server to this machine: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(host: string): boolean {
  const address = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (address === 'localhost') return true;
  const family = isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

type DevSecrets = Record<'JWT_SECRET' | 'GATEWAY_SECRET' | 'SECRETS_KEY', string>;

/** Development secrets, generated once per data folder so a restart keeps sessions and stored secrets valid. */
function devSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'dev-secrets.json');
  const existing: Partial<DevSecrets> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>) : {};
  const secrets: DevSecrets = {
    JWT_SECRET: existing.JWT_SECRET ?? randomBytes(32).toString('base64url'),
    GATEWAY_SECRET: existing.GATEWAY_SECRET ?? randomBytes(32).toString('base64url'),
    SECRETS_KEY: existing.SECRETS_KEY ?? randomBytes(32).toString('base64url'),
  };
  if (Object.keys(existing).length !== Object.keys(secrets).length) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  }
  return secrets;
}

/** The ORM's settings when nothing is set (scripts on a scratch database). */
// Last in the file: it runs the reader and parsers above as the module loads.
export const ORM_DEFAULTS: OrmSettings = ormSettings(new EnvReader({}));

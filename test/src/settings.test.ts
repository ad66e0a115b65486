import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ENVIRONMENT, isLoopbackHost, loadSettings, subgraphUrlsOf } from '@salesgraph/platform';
import { startProduct } from '@salesgraph/gateway';
import { tempDir } from './support/stack.js';

const SECRETS = { JWT_SECRET: 'j'.repeat(40), GATEWAY_SECRET: 'g'.repeat(40), SECRETS_KEY: 's'.repeat(40) };

describe('settings', () => {
  it('uses the documented dev defaults outside production, with secrets kept per data folder', () => {
    const dataDir = tempDir();
    const first = loadSettings({ DATA_DIR: dataDir });
    assert.deepEqual(
      [first.firstAdmin?.email, first.firstAdmin?.username, first.firstAdmin?.password],
      ['admin@example.com', 'admin', 'admin'],
    );
    assert.ok(first.jwtSecret.length >= 32 && first.jwtSecret !== first.gatewaySecret);
    assert.equal(loadSettings({ DATA_DIR: dataDir }).jwtSecret, first.jwtSecret, 'a restart keeps the generated secrets');
    assert.equal(loadSettings({ DATA_DIR: dataDir, SIGNUP_ENABLED: 'false' }).signUpEnabled, false);
  });

  it('refuses the dev defaults and missing secrets in production', () => {
    const production = { NODE_ENV: 'production', DATA_DIR: tempDir() };
    assert.throws(() => loadSettings(production), /JWT_SECRET must be set/);
    assert.equal(loadSettings({ ...production, ...SECRETS }).firstAdmin, undefined, 'no admin without ADMIN_*');
    const admin = { ADMIN_EMAIL: 'ops@example.com', ADMIN_USERNAME: 'ops' };
    assert.throws(() => loadSettings({ ...production, ...SECRETS, ...admin, ADMIN_PASSWORD: 'admin' }), /ADMIN_PASSWORD/);
    assert.equal(
      loadSettings({ ...production, ...SECRETS, ...admin, ADMIN_PASSWORD: 'a long secret password' }).firstAdmin?.email,
      'ops@example.com',
    );
    assert.throws(() => loadSettings({ ...production, ...SECRETS, JWT_SECRET: 'short' }), /JWT_SECRET must be at least 32 characters/);
  });

  it('refuses the dev defaults whenever HOST is beyond loopback, production or not', () => {
    for (const HOST of ['0.0.0.0', '::', '192.168.1.20', 'salesgraph.example.com', '::ffff:10.0.0.1']) {
      const env = { HOST, DATA_DIR: tempDir() };
      assert.throws(() => loadSettings(env), /JWT_SECRET must be set when NODE_ENV=production or HOST is not a loopback address/, HOST);
      const settings = loadSettings({ ...env, ...SECRETS });
      assert.deepEqual(
        [settings.exposed, settings.host, settings.firstAdmin],
        [true, HOST, undefined],
        `${HOST}: no admin without ADMIN_*`,
      );
      const admin = { ADMIN_EMAIL: 'ops@example.com', ADMIN_USERNAME: 'ops' };
      assert.throws(() => loadSettings({ ...env, ...SECRETS, ...admin, ADMIN_PASSWORD: 'admin' }), /ADMIN_PASSWORD/, HOST);
    }
    for (const HOST of ['127.0.0.1', '127.10.0.2', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) {
      const settings = loadSettings({ HOST, DATA_DIR: tempDir() });
      assert.deepEqual([settings.exposed, settings.firstAdmin?.password], [false, 'admin'], HOST);
      assert.ok(isLoopbackHost(HOST));
    }
    assert.deepEqual(
      [loadSettings({ DATA_DIR: tempDir() }).host, loadSettings({ NODE_ENV: 'production', ...SECRETS }).host],
      ['127.0.0.1', '0.0.0.0'],
    );
  });

  it('refuses to serve development settings beyond loopback', async () => {
    const settings = loadSettings({ DATA_DIR: tempDir() });
    await assert.rejects(
      startProduct({ settings, host: '0.0.0.0', port: 0, inMemory: true }),
      /Refusing to listen on 0.0.0.0 with development settings/,
    );
  });

  it('leaves public sign-up off in production unless enabled, and limits it per address', () => {
    const production = { NODE_ENV: 'production', DATA_DIR: tempDir(), ...SECRETS };
    assert.equal(loadSettings({ DATA_DIR: tempDir() }).signUpEnabled, true);
    assert.equal(loadSettings(production).signUpEnabled, false);
    assert.equal(loadSettings({ ...production, SIGNUP_ENABLED: '' }).signUpEnabled, false, 'an empty value (compose) is the default');
    assert.equal(loadSettings({ ...production, SIGNUP_ENABLED: 'true' }).signUpEnabled, true);
    assert.throws(() => loadSettings({ ...production, SIGNUP_ENABLED: 'yes please' }), /SIGNUP_ENABLED must be true or false/);
    assert.equal(loadSettings(production).signUpLimitPerHour, 5);
    assert.equal(loadSettings({ ...production, SIGNUP_LIMIT_PER_HOUR: '20' }).signUpLimitPerHour, 20);
    assert.throws(() => loadSettings({ ...production, SIGNUP_LIMIT_PER_HOUR: '0' }), /positive integer/);
  });

  it('rejects malformed numbers', () => {
    assert.throws(
      () => loadSettings({ DATA_DIR: tempDir(), RING_TIMEOUT_SECONDS: 'soon' }),
      /RING_TIMEOUT_SECONDS must be a positive integer, got "soon"/,
    );
  });

  it('refuses every bad value with a message naming the variable and the value', () => {
    const bad: Record<string, [string, RegExp]> = {
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: ['abc', /RATE_LIMIT_ANONYMOUS_PER_MINUTE must be a positive integer, got "abc"/],
      RATE_LIMIT_AUTHENTICATED_PER_MINUTE: ['12.5', /RATE_LIMIT_AUTHENTICATED_PER_MINUTE must be a positive integer, got "12.5"/],
      RATE_LIMIT_WEBHOOK_PER_MINUTE: ['-1', /RATE_LIMIT_WEBHOOK_PER_MINUTE must be a positive integer, got "-1"/],
      ACCESS_TOKEN_TTL_SECONDS: ['1e3', /ACCESS_TOKEN_TTL_SECONDS must be a positive integer, got "1e3"/],
      PORT: ['http', /PORT must be a port number \(0–65535\), got "http"/],
      DATABASE_POOL_MAX: ['0', /DATABASE_POOL_MAX must be a positive integer, got "0"/],
      SQL_DEBUG: ['yes', /SQL_DEBUG must be true or false, got "yes"/],
      DEFAULT_PHONE_REGION: ['XX', /DEFAULT_PHONE_REGION must be a region code .*, got "XX"/],
      CORS_ORIGINS: ['app.example.com', /CORS_ORIGINS must be \* or comma-separated origins .*, got "app.example.com"/],
      TRUST_PROXY: ['sometimes', /TRUST_PROXY must be .*, got "sometimes"/],
      OPENAI_BASE_URL: ['localhost:8080', /OPENAI_BASE_URL must be an http\(s\) URL, got "localhost:8080"/],
      NODE_ENV: ['prod', /NODE_ENV must be production, development or test, got "prod"/],
      HOST: ['my host', /HOST must be an IP address or host name, got "my host"/],
      ADMIN_EMAIL: ['admin', /ADMIN_EMAIL must be an e-mail address .*, got "admin"/],
      TRUSTED_DOCUMENTS_ONLY: ['web, -mobile', /TRUSTED_DOCUMENTS_ONLY must be comma-separated client names .*, got "web, -mobile"/],
      OTEL_EXPORTER_OTLP_ENDPOINT: ['collector:4318', /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL .*, got "collector:4318"/],
      OTEL_TRACES_SAMPLER: ['sometimes', /OTEL_TRACES_SAMPLER must be always_on, .*, got "sometimes"/],
      OTEL_TRACES_SAMPLER_ARG: ['1.5', /OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got "1.5"/],
      OTEL_BSP_SCHEDULE_DELAY: ['soon', /OTEL_BSP_SCHEDULE_DELAY must be a positive integer, got "soon"/],
      OTEL_SDK_DISABLED: ['yes', /OTEL_SDK_DISABLED must be true or false, got "yes"/],
      ENTITY_CACHE: ['off', /ENTITY_CACHE must be true or false, got "off"/],
    };
    for (const [name, [value, message]] of Object.entries(bad)) {
      assert.throws(() => loadSettings({ DATA_DIR: tempDir(), [name]: value }), message, name);
    }
    // One start names every bad variable at once.
    assert.throws(
      () => loadSettings({ DATA_DIR: tempDir(), RATE_LIMIT_ANONYMOUS_PER_MINUTE: 'abc', DATABASE_POOL_MAX: 'many' }),
      (error: Error) => /RATE_LIMIT_ANONYMOUS_PER_MINUTE/.test(error.message) && /DATABASE_POOL_MAX/.test(error.message),
    );
    assert.throws(
      () => subgraphUrlsOf(['identity', 'calls'], { SUBGRAPH_CALLS_URL: 'calls:4003' }),
      /SUBGRAPH_CALLS_URL must be an http\(s\) URL .*, got "calls:4003"/,
    );
  });

  it('names a bad secret but never repeats its value', () => {
    const secrets: Record<string, string> = {
      JWT_SECRET: 'too-short-secret-1',
      DATABASE_URL: 'mysql://app:hunter2-password@db/app',
      OPENAI_API_KEY: 'sk with spaces',
      ADMIN_PASSWORD: 'p'.repeat(300),
      TRUSTED_DOCUMENTS_TOKEN: 'short-deployment-token',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%0Ahunter2-header',
    };
    for (const [name, value] of Object.entries(secrets)) {
      assert.throws(
        () => loadSettings({ DATA_DIR: tempDir(), [name]: value }),
        (error: Error) => {
          assert.match(error.message, new RegExp(`^${name} must be`), name);
          assert.ok(!error.message.includes(value) && !error.message.includes('hunter2'), `${name}: the message repeats the value`);
          return true;
        },
      );
    }
  });

  it('reads the gateway, database, phone and LLM settings in the documented forms', () => {
    const dataDir = tempDir();
    const defaults = loadSettings({ DATA_DIR: dataDir });
    assert.deepEqual(defaults.gateway, {
      corsOrigins: '*',
      trustProxy: false,
      rateLimits: { anonymousPerMinute: 100, authenticatedPerMinute: 1000, webhookPerMinute: 600 },
      trustedDocuments: { registrationToken: undefined, onlyClients: [] },
      entityCache: true,
    });
    assert.deepEqual(
      [defaults.port, defaults.orm, defaults.phones.defaultRegion, defaults.llm.backend],
      [undefined, { poolMax: 10, sqlDebug: false }, 'RU', 'local'],
    );
    const set = loadSettings({
      DATA_DIR: dataDir,
      PORT: '8080',
      DATABASE_POOL_MAX: '25',
      SQL_DEBUG: 'true',
      DEFAULT_PHONE_REGION: 'US',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '7',
      RATE_LIMIT_AUTHENTICATED_PER_MINUTE: '70',
      RATE_LIMIT_WEBHOOK_PER_MINUTE: '700',
      CORS_ORIGINS: 'https://App.example.com, http://localhost:3000/',
      TRUST_PROXY: 'loopback, 10.0.0.0/8',
      OPENAI_API_KEY: 'sk-test',
      TRUSTED_DOCUMENTS_TOKEN: 'a-deployment-token-of-32-characters!',
      TRUSTED_DOCUMENTS_ONLY: 'web, mobile-app,web',
      ENTITY_CACHE: 'false',
    });
    assert.deepEqual(set.gateway, {
      corsOrigins: ['https://app.example.com', 'http://localhost:3000'],
      trustProxy: 'loopback,10.0.0.0/8',
      rateLimits: { anonymousPerMinute: 7, authenticatedPerMinute: 70, webhookPerMinute: 700 },
      trustedDocuments: { registrationToken: 'a-deployment-token-of-32-characters!', onlyClients: ['web', 'mobile-app'] },
      entityCache: false,
    });
    assert.deepEqual(
      [set.port, set.orm, set.phones.defaultRegion, set.llm.backend],
      [8080, { poolMax: 25, sqlDebug: true }, 'US', 'openai'],
    );
    assert.deepEqual(
      ['true', '2', 'false'].map((TRUST_PROXY) => loadSettings({ DATA_DIR: dataDir, TRUST_PROXY }).gateway.trustProxy),
      [true, 2, false],
    );
    assert.equal(
      loadSettings({ DATA_DIR: dataDir, RATE_LIMIT_ANONYMOUS_PER_MINUTE: '' }).gateway.rateLimits.anonymousPerMinute,
      100,
      'empty (compose) is unset',
    );
    assert.deepEqual(
      subgraphUrlsOf(['identity', 'calls'], { SUBGRAPH_CALLS_URL: 'http://calls:4003/graphql', SUBGRAPH_IDENTITY_URL: '' }),
      { calls: 'http://calls:4003/graphql' },
    );
  });

  it('reads the messenger API roots and the public URL as http(s) URLs without a trailing slash', () => {
    const dataDir = tempDir();
    assert.deepEqual(loadSettings({ DATA_DIR: dataDir }).messengers, {
      telegramApiRoot: 'https://api.telegram.org',
      whatsappApiRoot: 'https://graph.facebook.com/v21.0',
      publicUrl: undefined,
    });
    const set = loadSettings({
      DATA_DIR: dataDir,
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
      WHATSAPP_API_ROOT: 'https://graph.facebook.com/v22.0/',
      PUBLIC_URL: 'https://CRM.example.com/salesgraph/',
    });
    assert.deepEqual(set.messengers, {
      telegramApiRoot: 'http://127.0.0.1:8081',
      whatsappApiRoot: 'https://graph.facebook.com/v22.0',
      publicUrl: 'https://crm.example.com/salesgraph',
    });
    for (const [name, value] of [
      ['PUBLIC_URL', 'crm.example.com'],
      ['PUBLIC_URL', 'https://crm.example.com/?x=1'],
      ['TELEGRAM_API_ROOT', 'ftp://api.telegram.org'],
      ['WHATSAPP_API_ROOT', 'https://user:pass@graph.facebook.com'],
    ] as const) {
      assert.throws(
        () => loadSettings({ DATA_DIR: dataDir, [name]: value }),
        new RegExp(`${name} must be an http\\(s\\) URL without`),
        value,
      );
    }
  });

  it('traces only with a collector, reading the standard OTEL_* variables', () => {
    const dataDir = tempDir();
    assert.equal(loadSettings({ DATA_DIR: dataDir }).tracing, undefined);
    assert.deepEqual(loadSettings({ DATA_DIR: dataDir, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing, {
      endpoint: 'http://collector:4318',
      headers: {},
      serviceName: undefined,
      sampler: 'parentbased_always_on',
      ratio: 1,
      scheduleDelayMs: 5000,
    });
    const set = loadSettings({
      DATA_DIR: dataDir,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example.com/otlp',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20abc, x-tenant = sales',
      OTEL_SERVICE_NAME: 'crm-gateway',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_BSP_SCHEDULE_DELAY: '1000',
    });
    assert.deepEqual(set.tracing, {
      endpoint: 'https://otlp.example.com/otlp',
      headers: { authorization: 'Bearer abc', 'x-tenant': 'sales' },
      serviceName: 'crm-gateway',
      sampler: 'parentbased_traceidratio',
      ratio: 0.25,
      scheduleDelayMs: 1000,
    });
    // Turned off, yet still checked.
    assert.equal(
      loadSettings({ DATA_DIR: dataDir, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).tracing,
      undefined,
    );
    assert.throws(
      () => loadSettings({ DATA_DIR: dataDir, OTEL_SDK_DISABLED: 'true', OTEL_TRACES_SAMPLER: 'never' }),
      /OTEL_TRACES_SAMPLER must be/,
    );
  });

  it('stores files under the data folder unless an S3 bucket is set, which needs both keys', () => {
    const dataDir = tempDir();
    assert.deepEqual(loadSettings({ DATA_DIR: dataDir }).files, { dir: join(dataDir, 'files') });
    assert.equal(loadSettings({ DATA_DIR: dataDir, FILES_DIR: 'uploads' }).files.dir, resolve('uploads'), 'relative to the working folder');
    const keys = { S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY' };
    assert.deepEqual(loadSettings({ DATA_DIR: dataDir, S3_BUCKET: 'attachments', ...keys }).files.s3, {
      endpoint: undefined,
      region: 'us-east-1',
      bucket: 'attachments',
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY',
    });
    const minio = { S3_ENDPOINT: 'http://minio:9000/', S3_REGION: 'eu-central-1', S3_BUCKET: 'sg-files', ...keys };
    assert.deepEqual(
      [loadSettings({ DATA_DIR: dataDir, ...minio }).files.s3?.endpoint, loadSettings({ DATA_DIR: dataDir, ...minio }).files.s3?.region],
      ['http://minio:9000', 'eu-central-1'],
    );
    assert.throws(
      () => loadSettings({ DATA_DIR: dataDir, S3_BUCKET: 'attachments', S3_ACCESS_KEY_ID: 'AKIAEXAMPLE' }),
      /S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must both be set when S3_BUCKET is/,
    );
    assert.throws(
      () => loadSettings({ DATA_DIR: dataDir, ...keys }),
      /S3_BUCKET must be set when S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY is/,
    );
    assert.throws(() => loadSettings({ DATA_DIR: dataDir, ...minio, S3_ENDPOINT: 'minio:9000' }), /S3_ENDPOINT must be an http\(s\) URL/);
    assert.throws(() => loadSettings({ DATA_DIR: dataDir, ...minio, S3_BUCKET: 'Files_1' }), /S3_BUCKET must be a bucket name/);
    assert.throws(
      () => loadSettings({ DATA_DIR: dataDir, ...minio, S3_SECRET_ACCESS_KEY: 'has a space' }),
      (error: Error) => /^S3_SECRET_ACCESS_KEY must be/.test(error.message) && !error.message.includes('has a space'),
    );
  });

  it('reads the upload limits and the service levels per priority', () => {
    const dataDir = tempDir();
    const defaults = loadSettings({ DATA_DIR: dataDir }).support;
    assert.equal(defaults.uploadMaxBytes, 10_485_760);
    assert.deepEqual(defaults.uploadAllowedTypes.slice(0, 3), ['image/png', 'image/jpeg', 'image/gif']);
    assert.equal(defaults.uploadAllowedTypes.length, 10);
    assert.deepEqual(defaults.slaFirstResponseMinutes, { urgent: 60, high: 240, medium: 480, low: 1440 });
    assert.deepEqual(defaults.slaResolutionMinutes, { urgent: 240, high: 1440, medium: 4320, low: 10080 });
    const set = loadSettings({
      DATA_DIR: dataDir,
      UPLOAD_MAX_BYTES: '1024',
      UPLOAD_ALLOWED_TYPES: ' Image/PNG, text/plain,image/png ',
      SLA_FIRST_RESPONSE_MINUTES: 'low: 2, medium:1,high:0.5,urgent:0.05',
      SLA_RESOLUTION_MINUTES: 'urgent:.1,high:1,medium:2,low:3',
    }).support;
    assert.deepEqual(set, {
      uploadMaxBytes: 1024,
      uploadAllowedTypes: ['image/png', 'text/plain'],
      slaFirstResponseMinutes: { low: 2, medium: 1, high: 0.5, urgent: 0.05 },
      slaResolutionMinutes: { urgent: 0.1, high: 1, medium: 2, low: 3 },
    });
    const bad: [string, string][] = [
      ['UPLOAD_MAX_BYTES', '10MB'],
      ['UPLOAD_ALLOWED_TYPES', 'png,jpeg'],
      ['SLA_FIRST_RESPONSE_MINUTES', 'urgent:60,high:240,medium:480'],
      ['SLA_FIRST_RESPONSE_MINUTES', 'urgent:60,high:240,medium:480,low:0'],
      ['SLA_RESOLUTION_MINUTES', 'urgent:60,high:240,medium:480,low:1,low:2'],
      ['SLA_RESOLUTION_MINUTES', 'urgent:60,high:240,medium:480,low:1,critical:5'],
      ['SLA_RESOLUTION_MINUTES', 'urgent:-1,high:240,medium:480,low:1'],
    ];
    for (const [name, value] of bad) {
      assert.throws(() => loadSettings({ DATA_DIR: dataDir, [name]: value }), new RegExp(`${name} must be .*got "${value}"$`), value);
    }
  });

  it('declares exactly the variables it reads', () => {
    const names = ENVIRONMENT.map((v) => v.name);
    assert.equal(new Set(names).size, names.length, 'each variable once');
    const read = new Set<string>();
    const recording = (env: Record<string, string>) =>
      new Proxy(env, { get: (target, name) => (typeof name === 'string' && read.add(name), target[name as string]) });
    loadSettings(recording({ DATA_DIR: tempDir() }));
    subgraphUrlsOf(['identity'], recording({}));
    const declared = (name: string) =>
      names.some((n) => n === name || (n === 'SUBGRAPH_<NAME>_URL' && /^SUBGRAPH_[A-Z0-9]+_URL$/.test(name)));
    assert.deepEqual(
      [...read].filter((name) => !declared(name)),
      [],
      'read but not declared',
    );
    assert.deepEqual(
      names.filter((n) => !read.has(n === 'SUBGRAPH_<NAME>_URL' ? 'SUBGRAPH_IDENTITY_URL' : n)),
      [],
      'declared but never read',
    );
  });

  it("is what README's configuration table lists, no more and no less", () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'));
    // The header and the |---| line first, then one row per variable (or per group of them).
    const rows = takeFirstTable(section).slice(2);
    assert.ok(rows.length > 0, 'README has a configuration table');
    const documented = new Set(rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_<>]*)`/g)].map((m) => m[1])));
    const declared = new Set<string>(ENVIRONMENT.map((v) => v.name));
    assert.deepEqual(
      {
        missingFromReadme: [...declared].filter((n) => !documented.has(n)),
        notDeclaredInSettings: [...documented].filter((n) => !declared.has(n)),
      },
      { missingFromReadme: [], notDeclaredInSettings: [] },
    );
  });

  it('stops the gateway at start when a variable is bad, naming it', () => {
    const main = fileURLToPath(new URL('../../gateway/dist/main.js', import.meta.url));
    const run = spawnSync(process.execPath, [main], {
      env: { ...process.env, NODE_ENV: 'test', DATA_DIR: tempDir(), PORT: '0', RATE_LIMIT_ANONYMOUS_PER_MINUTE: 'abc' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /RATE_LIMIT_ANONYMOUS_PER_MINUTE must be a positive integer, got "abc"/);
  });
});

/** The lines of the first Markdown table in `text`. */
function takeFirstTable(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  return lines.slice(start, end < 0 ? undefined : end);
}

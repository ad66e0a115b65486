import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { configureLogging, JOB_SCHEMA, loadSettings, type Settings } from '@salesgraph/platform';
import { subgraphs } from '@salesgraph/registry';
import { COUNTER_SCHEMA, startProduct, type Product } from '@salesgraph/gateway';
import { createServer, type AddressInfo } from 'node:net';
import { TestSmtpServer } from './smtp.js';
import { TestTelegramApi } from './telegram.js';
import { TestS3Server } from './s3.js';
import { TestWhatsAppApi } from './whatsapp.js';

/**
 * One booted product for the whole test run (tests run in one process): on the embedded database by
 * default, on the PostgreSQL server when DATABASE_URL is set (its subgraph schemas are dropped first).
 */
export interface Stack {
  url: string;
  product: Product;
  settings: Settings;
  /** The first admin's access token (admin@example.com / admin). */
  adminToken: string;
  /** The SMTP server the stack's `SMTP_URL` points at: every e-mail the product sends lands here. */
  smtp: TestSmtpServer;
  /** The Bot API the stack's `TELEGRAM_API_ROOT` points at; it posts updates to the stack's webhooks. */
  telegram: TestTelegramApi;
  /** The Cloud API the stack's `WHATSAPP_API_ROOT` points at. */
  whatsapp: TestWhatsAppApi;
  /** The S3-compatible storage ticket attachments go to (`S3_*`). */
  s3: TestS3Server;
}

let booting: Promise<Stack> | undefined;
/** Telephony events per integration per minute in the test stack: low, so the limit is cheap to reach. */
export const WEBHOOK_PER_MINUTE = 60;
/** The deployment token trusted documents are registered with in the test stack. */
export const TRUSTED_DOCUMENTS_TOKEN = 'test-trusted-documents-token-0123456789abcdef';
const tempDirs: string[] = [];
let smtpServer: TestSmtpServer | undefined;
let standIns: { close(): Promise<void> }[] = [];

export function stack(): Promise<Stack> {
  return (booting ??= boot());
}

export function tempDir(prefix = 'salesgraph-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export const usingServer = Boolean(process.env.DATABASE_URL);

/**
 * Empties the subgraph schemas, the job queue and the rate-limit counters of the PostgreSQL server, so every run starts from a clean
 * database (and no job of an earlier run fires).
 */
export async function resetServerDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const {
      ormOptions: { schema },
    } of subgraphs)
      await client.query(`drop schema if exists "${schema}" cascade`);
    await client.query(`drop schema if exists "${JOB_SCHEMA}" cascade`);
    // The gateways' rate-limit counters, so no budget an earlier run spent is still counted.
    await client.query(`drop schema if exists "${COUNTER_SCHEMA}" cascade`);
  } finally {
    await client.end();
  }
}

/** A database of its own on the PostgreSQL server (`DATABASE_URL`), and how to drop it. */
export interface ServerDatabase {
  url: URL;
  drop(): Promise<void>;
}

/**
 * A fresh database on the PostgreSQL server for one test's processes, so they share nothing with the suite's
 * stack: its job workers and listeners would otherwise take the test's jobs and events on the same database.
 */
export async function freshServerDatabase(label: string): Promise<ServerDatabase> {
  const server = new URL(process.env.DATABASE_URL!);
  const name = `salesgraph_${label}_${process.pid}`;
  const onServer = async (sql: string) => {
    const admin = new pg.Client({ connectionString: server.href });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  await onServer(`drop database if exists ${name} with (force)`);
  await onServer(`create database ${name}`);
  const url = new URL(server.href);
  url.pathname = `/${name}`;
  return { url, drop: () => onServer(`drop database if exists ${name} with (force)`) };
}

/**
 * Deletes the rate-limit counters earlier runs left in Redis (the gateways' `salesgraph:` keys): some tests count
 * in hour-long windows from fixed addresses, so a run within the hour of another would start with spent budgets.
 */
export async function resetRedisCounters(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'salesgraph:*', 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function boot(): Promise<Stack> {
  if (process.env.DATABASE_URL) await resetServerDatabase(process.env.DATABASE_URL);
  if (process.env.REDIS_URL) await resetRedisCounters(process.env.REDIS_URL);
  const smtp = await new TestSmtpServer().start();
  smtpServer = smtp;
  const telegram = await new TestTelegramApi().start();
  const whatsapp = await new TestWhatsAppApi().start();
  const s3 = new TestS3Server();
  await s3.start();
  standIns = [telegram, whatsapp, s3];
  // Messengers post to PUBLIC_URL, so the port is chosen before the product starts.
  const port = await freePort();
  const settings = loadSettings({
    ...process.env,
    NODE_ENV: 'test',
    DATA_DIR: tempDir(),
    SMTP_URL: smtp.url,
    TELEGRAM_API_ROOT: telegram.url,
    WHATSAPP_API_ROOT: whatsapp.url,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    S3_ENDPOINT: s3.url,
    S3_BUCKET: s3.bucket,
    S3_REGION: s3.region,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    // A stalled AI provider is given up on within the tests.
    LLM_TIMEOUT_MS: '1500',
    LLM_MAX_RETRIES: '1',
    // Urgent tickets' deadlines come due within the tests.
    SLA_FIRST_RESPONSE_MINUTES: 'urgent:0.02,high:240,medium:480,low:1440',
    SLA_RESOLUTION_MINUTES: 'urgent:0.05,high:1440,medium:4320,low:10080',
    // YooMoney notifications are accepted (signed with this secret) and credited at 100 roubles per USD.
    YOOMONEY_NOTIFICATION_SECRET: 'test-yoomoney-notification-secret',
    YOOMONEY_RUB_PER_USD: '100',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // Trusted documents can be registered, and the client "web" may run nothing else.
    TRUSTED_DOCUMENTS_TOKEN: TRUSTED_DOCUMENTS_TOKEN,
    TRUSTED_DOCUMENTS_ONLY: 'web',
  });
  // As an entry point does. Only what goes wrong: an access line per request would bury the test report (tests
  // that read the lines raise the level while they do, see test/src/observability.test.ts).
  configureLogging(settings.logging);
  // trustProxy lets a test pose as many clients (X-Forwarded-For) to exercise per-IP limits.
  const product = await startProduct({ settings, port, inMemory: true, trustProxy: true, webhookPerMinute: WEBHOOK_PER_MINUTE });
  const adminToken = await loginToken(product.url, 'admin@example.com', 'admin');
  return { url: product.url, product, settings, adminToken, smtp, telegram, whatsapp, s3 };
}

/** A port free on loopback now (the operating system's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function loginToken(url: string, login: string, password: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      query: 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }',
      variables: { i: { login, password } },
    }),
  });
  const body = (await response.json()) as { data?: { login: { accessToken: string } }; errors?: unknown };
  if (!body.data) throw new Error(`login as ${login} failed: ${JSON.stringify(body.errors)}`);
  return body.data.login.accessToken;
}

after(async () => {
  if (booting) await (await booting).product.close();
  await smtpServer?.close();
  for (const standIn of standIns) await standIn.close();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs SQL on the stack's database directly (to check what is stored, never to set up state). */
export async function queryDatabase<T = Record<string, unknown>>(s: Stack, query: string, params: unknown[] = []): Promise<T[]> {
  const db = s.product.db!;
  if (db.kind === 'pglite') return (await db.pglite.query<T>(query, params)).rows;
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(query, params)).rows as T[];
  } finally {
    await client.end();
  }
}

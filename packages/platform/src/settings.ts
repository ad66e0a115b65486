import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { join, resolve } from 'node:path';

/** Everything the product reads from the environment, read once. */
export interface Settings {
  production: boolean;
  /** Where the server listens (`HOST`): loopback by default, every interface in production. */
  host: string;
  /**
   * Reachable from other machines: in production, or listening beyond loopback. The dev defaults (first
   * admin admin/admin, secrets generated per data folder) are then refused.
   */
  exposed: boolean;
  /** Embedded database folder (and dev secrets); `DATA_DIR`, default `./.data`. */
  dataDir: string;
  /** A PostgreSQL server instead of the embedded database. */
  databaseUrl?: string;
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
}

const DEV_ADMIN = { email: 'admin@example.com', username: 'admin', password: 'admin' };

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const production = env.NODE_ENV === 'production';
  const host = env.HOST || (production ? '0.0.0.0' : '127.0.0.1');
  const exposed = production || !isLoopbackHost(host);
  const dataDir = resolve(env.DATA_DIR ?? '.data');
  const secrets = exposed ? undefined : devSecrets(dataDir);
  const secret = (name: keyof DevSecrets) => {
    const value = env[name] ?? secrets?.[name];
    if (!value) throw new Error(`${name} must be set when NODE_ENV=production or HOST is not a loopback address`);
    if (value.length < 32) throw new Error(`${name} must be at least 32 characters`);
    return value;
  };
  return {
    production,
    host,
    exposed,
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    jwtSecret: secret('JWT_SECRET'),
    gatewaySecret: secret('GATEWAY_SECRET'),
    secretsKey: secret('SECRETS_KEY'),
    accessTokenTtlSeconds: positiveInt(env.ACCESS_TOKEN_TTL_SECONDS, 900),
    signUpEnabled: flag('SIGNUP_ENABLED', env.SIGNUP_ENABLED, !production),
    signUpLimitPerHour: positiveInt(env.SIGNUP_LIMIT_PER_HOUR, 5),
    firstAdmin: firstAdmin(env, exposed),
    ringTimeoutSeconds: positiveInt(env.RING_TIMEOUT_SECONDS, 30),
  };
}

function firstAdmin(env: NodeJS.ProcessEnv, exposed: boolean): Settings['firstAdmin'] {
  const given = { email: env.ADMIN_EMAIL, username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD };
  const organizationName = env.ADMIN_ORGANIZATION ?? 'Default organization';
  if (!exposed) {
    return { email: given.email ?? DEV_ADMIN.email, username: given.username ?? DEV_ADMIN.username, password: given.password ?? DEV_ADMIN.password, organizationName };
  }
  // Reachable from other machines, the documented dev defaults are refused: no admin unless all three are
  // given, and never admin/admin.
  if (!given.email || !given.username || !given.password) return undefined;
  if (given.password === DEV_ADMIN.password || given.password.length < 12) {
    throw new Error('ADMIN_PASSWORD must be at least 12 characters and not the dev default when NODE_ENV=production or HOST is not a loopback address');
  }
  return { email: given.email, username: given.username, password: given.password, organizationName };
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** Whether listening on `host` keeps the server to this machine: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(host: string): boolean {
  const address = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
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

function positiveInt(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`expected a positive integer, got "${value}"`);
  return n;
}

function flag(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new Error(`${name} must be true or false, got "${value}"`);
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopbackHost, loadSettings } from '@salesgraph/platform';
import { startProduct } from '@salesgraph/gateway';
import { tempDir } from './support/stack.js';

const SECRETS = { JWT_SECRET: 'j'.repeat(40), GATEWAY_SECRET: 'g'.repeat(40), SECRETS_KEY: 's'.repeat(40) };

describe('settings', () => {
  it('uses the documented dev defaults outside production, with secrets kept per data folder', () => {
    const dataDir = tempDir();
    const first = loadSettings({ DATA_DIR: dataDir });
    assert.deepEqual([first.firstAdmin?.email, first.firstAdmin?.username, first.firstAdmin?.password], ['admin@example.com', 'admin', 'admin']);
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
    assert.equal(loadSettings({ ...production, ...SECRETS, ...admin, ADMIN_PASSWORD: 'a long secret password' }).firstAdmin?.email, 'ops@example.com');
    assert.throws(() => loadSettings({ ...production, ...SECRETS, JWT_SECRET: 'short' }), /JWT_SECRET must be at least 32 characters/);
  });

  it('refuses the dev defaults whenever HOST is beyond loopback, production or not', () => {
    for (const HOST of ['0.0.0.0', '::', '192.168.1.20', 'salesgraph.example.com', '::ffff:10.0.0.1']) {
      const env = { HOST, DATA_DIR: tempDir() };
      assert.throws(() => loadSettings(env), /JWT_SECRET must be set when NODE_ENV=production or HOST is not a loopback address/, HOST);
      const settings = loadSettings({ ...env, ...SECRETS });
      assert.deepEqual([settings.exposed, settings.host, settings.firstAdmin], [true, HOST, undefined], `${HOST}: no admin without ADMIN_*`);
      const admin = { ADMIN_EMAIL: 'ops@example.com', ADMIN_USERNAME: 'ops' };
      assert.throws(() => loadSettings({ ...env, ...SECRETS, ...admin, ADMIN_PASSWORD: 'admin' }), /ADMIN_PASSWORD/, HOST);
    }
    for (const HOST of ['127.0.0.1', '127.10.0.2', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) {
      const settings = loadSettings({ HOST, DATA_DIR: tempDir() });
      assert.deepEqual([settings.exposed, settings.firstAdmin?.password], [false, 'admin'], HOST);
      assert.ok(isLoopbackHost(HOST));
    }
    assert.deepEqual([loadSettings({ DATA_DIR: tempDir() }).host, loadSettings({ NODE_ENV: 'production', ...SECRETS }).host], ['127.0.0.1', '0.0.0.0']);
  });

  it('refuses to serve development settings beyond loopback', async () => {
    const settings = loadSettings({ DATA_DIR: tempDir() });
    await assert.rejects(startProduct({ settings, host: '0.0.0.0', port: 0, inMemory: true }), /Refusing to listen on 0.0.0.0 with development settings/);
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
    assert.throws(() => loadSettings({ DATA_DIR: tempDir(), RING_TIMEOUT_SECONDS: 'soon' }), /positive integer/);
  });
});

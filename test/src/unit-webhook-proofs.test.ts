import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Payments, githubSignature, githubVerifies, yoomoneyHash, yoomoneyVerifies } from '@salesgraph/ai';
import { AppError, SettingsError, loadSettings } from '@salesgraph/platform';
import { tempDir } from './support/stack.js';

// YooMoney's documented example notification and the hash it gives with this secret.
const YOOMONEY_SECRET = '01234567890ABCDEF01234567890';
const NOTIFICATION = {
  notification_type: 'p2p-incoming',
  operation_id: '1234567',
  amount: '300.00',
  currency: '643',
  datetime: '2011-07-01T09:00:00.000+04:00',
  sender: '41001XXXXXXXX',
  codepro: 'false',
  label: 'YM.label.12345',
};
const NOTIFICATION_HASH = 'a2ee4a9195f4a90e893cff4f62eeba0b662321f9';
// GitHub's documented example delivery.
const GITHUB_SECRET = "It's a Secret to Everybody";
const GITHUB_SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

describe('webhook proofs (unit)', () => {
  it('computes YooMoney’s documented sha1_hash and verifies it, whatever its case', () => {
    assert.equal(yoomoneyHash(NOTIFICATION, YOOMONEY_SECRET), NOTIFICATION_HASH);
    assert.equal(yoomoneyVerifies(NOTIFICATION, YOOMONEY_SECRET, NOTIFICATION_HASH), true);
    assert.equal(yoomoneyVerifies(NOTIFICATION, YOOMONEY_SECRET, NOTIFICATION_HASH.toUpperCase()), true);
  });

  it('refuses a YooMoney hash under another secret, of changed fields, or malformed', () => {
    assert.equal(yoomoneyVerifies(NOTIFICATION, 'another secret', NOTIFICATION_HASH), false);
    assert.equal(yoomoneyVerifies({ ...NOTIFICATION, amount: '3000.00' }, YOOMONEY_SECRET, NOTIFICATION_HASH), false);
    assert.equal(yoomoneyVerifies({ ...NOTIFICATION, label: '' }, YOOMONEY_SECRET, NOTIFICATION_HASH), false);
    assert.equal(yoomoneyVerifies(NOTIFICATION, YOOMONEY_SECRET, NOTIFICATION_HASH.slice(0, 39)), false, 'shorter, no throw');
    assert.equal(yoomoneyVerifies(NOTIFICATION, YOOMONEY_SECRET, ''), false);
  });

  it('hashes the decoded form values: an encoded + survives, a raw + (a space once decoded) does not', () => {
    const encoded = new URLSearchParams(NOTIFICATION).toString();
    assert.match(encoded, /%2B04%3A00/);
    const decoded = Object.fromEntries(new URLSearchParams(encoded));
    assert.equal(yoomoneyHash(decoded, YOOMONEY_SECRET), NOTIFICATION_HASH);
    const raw = Object.fromEntries(new URLSearchParams(encoded.replace('%2B', '+')));
    assert.equal(raw.datetime, '2011-07-01T09:00:00.000 04:00');
    assert.notEqual(yoomoneyHash(raw, YOOMONEY_SECRET), NOTIFICATION_HASH);
  });

  it('computes GitHub’s documented X-Hub-Signature-256 and verifies it over the exact bytes', () => {
    assert.equal(githubSignature('Hello, World!', GITHUB_SECRET), GITHUB_SIGNATURE);
    assert.equal(githubVerifies('Hello, World!', GITHUB_SECRET, GITHUB_SIGNATURE), true);
    assert.equal(githubVerifies(Buffer.from('Hello, World!'), GITHUB_SECRET, GITHUB_SIGNATURE), true);
    assert.equal(githubVerifies('Hello, World!\n', GITHUB_SECRET, GITHUB_SIGNATURE), false, 'one byte more');
    assert.equal(githubVerifies('Hello, World!', 'another secret', GITHUB_SIGNATURE), false);
    assert.equal(githubVerifies('Hello, World!', GITHUB_SECRET, GITHUB_SIGNATURE.replace('sha256=', 'sha1=')), false);
    assert.equal(githubVerifies('Hello, World!', GITHUB_SECRET, 'sha256='), false);
  });
});

describe('payment labels and settings (unit)', () => {
  const organizationId = '0b8f6f2e-5c1a-4d8e-9a57-3f2d1c0b9a88';
  const payments = new Payments({}, 'a secrets key of at least thirty-two characters');

  it('names an organization by a label only this deployment makes, within YooMoney’s 64 characters', () => {
    const label = payments.labelOf(organizationId);
    assert.ok(label.length <= 64, label);
    assert.equal(payments.organizationOf(label), organizationId);
    assert.equal(payments.organizationOf(label.toUpperCase().replace(/\.([0-9A-F]+)$/, (m) => m.toLowerCase())), organizationId);
    const other = '1c9a7a3f-6d2b-4e9f-8b68-4a3e2d1c0b99';
    assert.equal(payments.organizationOf(`${other}.${label.split('.')[1]}`), undefined, 'another organization’s tag');
    assert.equal(payments.organizationOf(organizationId), undefined, 'the bare id');
    assert.equal(payments.organizationOf(''), undefined);
    assert.equal(new Payments({}, 'another secrets key, also thirty-two characters').organizationOf(label), undefined);
  });

  it('answers that YooMoney is not configured when the secret is unset, before reading anything', async () => {
    await assert.rejects(
      payments.receive(undefined as never, 'notification_type=p2p-incoming', 'application/x-www-form-urlencoded'),
      (error: unknown) =>
        error instanceof AppError && error.extensions.code === 'SERVICE_UNAVAILABLE' && /not configured/.test(error.message),
    );
  });

  it('reads the YooMoney settings, and wants the exchange rate with the secret', () => {
    const env = { NODE_ENV: 'test', DATA_DIR: tempDir() };
    assert.deepEqual(loadSettings(env).payments, {});
    const settings = loadSettings({ ...env, YOOMONEY_NOTIFICATION_SECRET: 'wallet-secret-1', YOOMONEY_RUB_PER_USD: '92.5' });
    assert.deepEqual(settings.payments, { yoomoney: { notificationSecret: 'wallet-secret-1', rubPerUsd: 92.5 } });
    assert.throws(
      () => loadSettings({ ...env, YOOMONEY_NOTIFICATION_SECRET: 'wallet-secret-1' }),
      (error: unknown) => error instanceof SettingsError && /YOOMONEY_RUB_PER_USD must be set/.test(error.message),
    );
    for (const rate of ['0', '-1', 'abc', '1e3'])
      assert.throws(
        () => loadSettings({ ...env, YOOMONEY_NOTIFICATION_SECRET: 'wallet-secret-1', YOOMONEY_RUB_PER_USD: rate }),
        (error: unknown) =>
          error instanceof SettingsError && /YOOMONEY_RUB_PER_USD/.test(error.message) && !error.message.includes('wallet-secret-1'),
        rate,
      );
  });
});

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { MailError, Mailer, loadSettings } from '@salesgraph/platform';
import { stack } from './support/stack.js';

const mailerOf = (env: Record<string, string>) => new Mailer(loadSettings({ NODE_ENV: 'test', DATA_DIR: '/nonexistent', ...env }).mail);

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('mailer', () => {
  it('delivers a Cyrillic message that reads back the same once decoded', async () => {
    const { settings, smtp } = await stack();
    const mailer = new Mailer(settings.mail);
    try {
      const subject = `Звонок пропущен: ООО «Ромашка» ${Date.now()}`;
      const text = 'Здравствуйте!\nВам звонили с номера +7 495 123-45-67. Перезвоните, пожалуйста.';
      const sent = await mailer.send({
        to: 'Менеджер <manager@example.test>',
        subject,
        text,
        html: '<p>Здравствуйте!</p>',
        from: '"Сервис" <noreply@example.test>',
      });
      assert.match(sent.messageId, /^<.+@.+>$/);
      assert.match(sent.response, /^250/);
      const mail = await smtp.waitFor((m) => m.parsed.subject === subject);
      assert.equal(mail.parsed.text?.trim(), text);
      assert.equal(mail.parsed.html, '<p>Здравствуйте!</p>');
      assert.equal(mail.parsed.from?.text, '"Сервис" <noreply@example.test>');
      assert.deepEqual(mail.envelopeTo, ['manager@example.test']);
      assert.equal(mail.parsed.messageId, sent.messageId);
      // Nothing 8-bit went over the wire: the headers and body are encoded, and decoding gave them back.
      assert.ok(![...mail.raw].some((c) => c.charCodeAt(0) > 0x7f), 'a 7-bit message');
    } finally {
      mailer.close();
    }
  });

  it('sends from MAIL_FROM when the message names no sender', async () => {
    const { smtp } = await stack();
    const mailer = mailerOf({ SMTP_URL: smtp.url, MAIL_FROM: 'Продажи <sales@example.test>' });
    try {
      const subject = `default sender ${Date.now()}`;
      await mailer.send({ to: 'someone@example.test', subject, text: 'hi' });
      const mail = await smtp.waitFor((m) => m.parsed.subject === subject);
      assert.equal(mail.envelopeFrom, 'sales@example.test');
      assert.equal(mail.parsed.from?.value[0].name, 'Продажи');
    } finally {
      mailer.close();
    }
  });

  it('tells a temporary refusal (4xx) from a permanent one (5xx), with the server’s reason', async () => {
    const { settings, smtp } = await stack();
    const mailer = new Mailer(settings.mail);
    try {
      smtp.rejectNext(1, 451, '4.3.0 Mailbox busy, try later');
      const temporary = await mailer.send({ to: 'a@example.test', subject: 'x', text: 'x' }).catch((e: unknown) => e);
      assert.ok(temporary instanceof MailError, String(temporary));
      assert.equal(temporary.kind, 'transient');
      assert.equal(temporary.retryable, true);
      assert.equal(temporary.responseCode, 451);
      assert.match(temporary.reason, /Mailbox busy, try later/);

      smtp.rejectNext(1, 550, '5.1.1 No such user here');
      const permanent = await mailer.send({ to: 'b@example.test', subject: 'x', text: 'x' }).catch((e: unknown) => e);
      assert.ok(permanent instanceof MailError, String(permanent));
      assert.equal(permanent.kind, 'permanent');
      assert.equal(permanent.retryable, false);
      assert.equal(permanent.responseCode, 550);
      assert.match(permanent.message, /No such user here/);

      // The refusals were one message each: the next one goes through.
      const subject = `after refusals ${Date.now()}`;
      await mailer.send({ to: 'c@example.test', subject, text: 'x' });
      await smtp.waitFor((m) => m.parsed.subject === subject);
    } finally {
      mailer.close();
    }
  });

  it('a malformed address is permanent, an unreachable server transient; credentials never show', async () => {
    const bad = await mailerOf({ SMTP_URL: 'smtp://127.0.0.1:25' })
      .send({ to: 'not an address', subject: 'x', text: 'x' })
      .catch((e: unknown) => e);
    assert.ok(bad instanceof MailError);
    assert.equal(bad.kind, 'permanent');

    const port = await closedPort();
    const mailer = mailerOf({ SMTP_URL: `smtp://mailuser:s3cret-pass@127.0.0.1:${port}` });
    const refused = await mailer.send({ to: 'a@example.test', subject: 'x', text: 'x' }).catch((e: unknown) => e);
    mailer.close();
    assert.ok(refused instanceof MailError, String(refused));
    assert.equal(refused.kind, 'transient');
    assert.doesNotMatch(`${refused.message} ${refused.reason} ${refused.stack}`, /s3cret-pass/);
  });

  it('without SMTP_URL, refuses to send and says e-mail is not configured', async () => {
    const mailer = mailerOf({});
    assert.equal(mailer.configured, false);
    const error = await mailer.send({ to: 'a@example.test', subject: 'x', text: 'x' }).catch((e: unknown) => e);
    assert.ok(error instanceof MailError);
    assert.equal(error.kind, 'not-configured');
    assert.match(error.message, /E-mail is not configured: set SMTP_URL/);
  });

  it('refuses an SMTP_URL that is not smtp(s) without repeating it', () => {
    assert.throws(
      () => loadSettings({ NODE_ENV: 'test', DATA_DIR: '/nonexistent', SMTP_URL: 'http://user:pw@example.test' }),
      (error: Error) => /SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/.test(error.message) && !error.message.includes('pw@'),
    );
  });
});

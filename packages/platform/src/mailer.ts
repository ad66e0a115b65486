import nodemailer from 'nodemailer';
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';
import type { Settings } from './settings.js';

export interface MailMessage {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  /** The sender; `MAIL_FROM` when absent. */
  from?: string;
}

export interface MailSent {
  /** The Message-ID header the message went out with. */
  messageId: string;
  /** The server's answer to the message, e.g. `250 OK: queued as …`. */
  response: string;
}

/**
 * Why a message was not sent:
 * - `permanent`: sending it again will fail again (a 5xx answer, a malformed address, rejected credentials);
 * - `transient`: worth retrying later (a 4xx answer, connection refused or dropped, a timeout);
 * - `not-configured`: no `SMTP_URL`, so nothing was attempted.
 */
export type MailFailure = 'permanent' | 'transient' | 'not-configured';

export class MailError extends Error {
  constructor(
    readonly kind: MailFailure,
    /** The server's reason (its whole answer when it gave one), else what went wrong. */
    readonly reason: string,
    /** The SMTP reply code, when the server answered with one (e.g. 451, 550). */
    readonly responseCode?: number,
  ) {
    super(kind === 'not-configured' ? reason : `e-mail not sent (${kind}): ${reason}`);
    this.name = 'MailError';
  }

  /** Whether sending again could succeed without anyone changing anything. */
  get retryable(): boolean {
    return this.kind === 'transient';
  }
}

/** nodemailer's codes for failures of the connection itself, worth a retry. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL', 'EPROXY']);
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;

/**
 * Sends e-mail over SMTP (`SMTP_URL`). One connection per message (no pool): messages are few and each
 * sender is a job that may retry. Credentials in the URL are never logged nor put into errors.
 */
export class Mailer {
  private transport?: ReturnType<typeof smtpTransport>;

  constructor(private readonly settings: Settings['mail']) {}

  /** Whether `SMTP_URL` is set. */
  get configured(): boolean {
    return Boolean(this.settings.smtpUrl);
  }

  /** Sends one message; throws {@link MailError} saying whether a retry could help. */
  async send(message: MailMessage): Promise<MailSent> {
    if (!this.settings.smtpUrl) throw new MailError('not-configured', 'E-mail is not configured: set SMTP_URL to send e-mail');
    const recipients = Array.isArray(message.to) ? message.to : [message.to];
    const bad = recipients.find((to) => !ADDRESS.test(bareAddress(to)));
    if (bad !== undefined || !recipients.length) throw new MailError('permanent', `not an e-mail address: ${JSON.stringify(bad ?? '')}`);
    this.transport ??= smtpTransport(this.settings.smtpUrl);
    try {
      const info = await this.transport.sendMail({
        from: message.from ?? this.settings.from,
        to: recipients,
        subject: message.subject,
        text: message.text,
        ...(message.html !== undefined && { html: message.html }),
      });
      return { messageId: info.messageId, response: info.response };
    } catch (error) {
      throw classify(error as SmtpError);
    }
  }

  close(): void {
    this.transport?.close();
    this.transport = undefined;
  }
}

function smtpTransport(url: string) {
  const options: SMTPTransportOptions = {
    url,
    logger: false,
    debug: false,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
  return nodemailer.createTransport(options);
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

function bareAddress(value: string): string {
  return /<([^<>]*)>\s*$/.exec(value.trim())?.[1] ?? value.trim();
}

function classify(error: SmtpError): MailError {
  const reason = (error.response ?? error.message).trim();
  const code = error.responseCode;
  if (code !== undefined && code >= 500) return new MailError('permanent', reason, code);
  if (code !== undefined && code >= 400) return new MailError('transient', reason, code);
  if (error.code && TRANSIENT_CODES.has(error.code)) return new MailError('transient', reason, code);
  // Without an answer to go by: an envelope, message, configuration or credential problem won't go away.
  if (error.code) return new MailError('permanent', reason, code);
  return new MailError('transient', reason, code);
}

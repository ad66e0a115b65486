import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the test SMTP server accepted: the envelope as the client gave it, and the message decoded. */
export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  /** The authenticated user, when the client logged in. */
  user?: string;
  raw: string;
  parsed: ParsedMail;
}

/**
 * A local SMTP server on loopback that keeps what it receives, and can refuse the next messages with a
 * given reply (451: try later, 550: never). STARTTLS is off: smtp-server's bundled certificate has expired,
 * and plain AUTH is then allowed.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  private readonly rejections: { code: number; message: string }[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly server: SMTPServer;
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const rejection = this.rejections.shift();
          if (rejection) {
            callback(Object.assign(new Error(rejection.message), { responseCode: rejection.code }));
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (parsed) => {
              const { mailFrom, rcptTo } = session.envelope;
              this.received.push({
                envelopeFrom: mailFrom ? mailFrom.address : '',
                envelopeTo: rcptTo.map((r) => r.address),
                user: typeof session.user === 'string' ? session.user : undefined,
                raw,
                parsed,
              });
              for (const wake of this.waiters) wake();
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /** `smtp://127.0.0.1:<port>`, for `SMTP_URL`. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Refuses the next `count` messages (at the end of DATA) with `code` and `message`. */
  rejectNext(count: number, code: number, message = code >= 500 ? '5.1.1 Mailbox unavailable' : '4.3.0 Try again later'): void {
    for (let i = 0; i < count; i++) this.rejections.push({ code, message });
  }

  /** The first message received (from now on or earlier) that `match` accepts, within `timeoutMs`. */
  async waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs = 10_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching e-mail within ${timeoutMs} ms (${this.received.length} received)`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  close(): Promise<void> {
    this.rejections.length = 0;
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

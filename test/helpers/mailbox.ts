// The accounts tests' view of mail: a real SMTP server (smtp-sink.ts) the test server sends to,
// read per recipient. `next(to)` waits for the next message to that address not yet looked at.
import type { ParsedMail } from 'mailparser';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';
import { afterOf, startTestServer, type TeardownContext, type TestServer } from './start-server.ts';

export interface Mail { to: string[]; subject: string; text: string; html: string }

function recipients(mail: ParsedMail): string[] {
  const to = [mail.to ?? []].flat();
  return to.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
}

export class Mailbox {
  private readonly seen = new Set<ParsedMail>();

  constructor(private readonly sink: SmtpSink) {}

  /** The env that points the server's mailer at this mailbox. */
  get env(): Record<string, string> {
    return { DJAM_EMAIL_HOST: '127.0.0.1', DJAM_EMAIL_PORT: String(this.sink.port), DJAM_EMAIL_USE_TLS: 'false' };
  }

  private take(to: string): Mail | undefined {
    const mail = this.sink.messages.find((m) => !this.seen.has(m) && recipients(m).includes(to.toLowerCase()));
    if (!mail) return undefined;
    this.seen.add(mail);
    return { to: recipients(mail), subject: mail.subject ?? '', text: mail.text ?? '', html: typeof mail.html === 'string' ? mail.html : '' };
  }

  async next(to: string, timeoutMs = 10_000): Promise<Mail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mail = this.take(to);
      if (mail) return mail;
      if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Fails when a message to `to` arrives within `waitMs`. */
  async expectNone(to: string, waitMs = 1500): Promise<void> {
    await new Promise((r) => setTimeout(r, waitMs));
    const mail = this.take(to);
    if (mail) throw new Error(`unexpected mail to ${to}: ${mail.subject}`);
  }
}

/** A test server whose e-mail goes over SMTP to a fresh mailbox; generous form limits unless `env` says otherwise. */
export async function startServerWithMailbox(t: TeardownContext, env: Record<string, string> = {}): Promise<{ server: TestServer; mailbox: Mailbox }> {
  const sink = await startSmtpSink();
  const mailbox = new Mailbox(sink);
  const server = await startTestServer(t, { DJAM_ACCOUNT_IP_RATE_LIMIT: '10000', DJAM_ACCOUNT_MAIL_RATE_LIMIT: '10000', ...mailbox.env, ...env });
  afterOf(t)(() => sink.close());
  return { server, mailbox };
}

/** The first link in a text that starts with `prefix`. */
export function linkIn(text: string, prefix: string): string {
  const link = text.split(/\s+/).find((w) => w.startsWith(prefix));
  if (!link) throw new Error(`no link starting ${prefix} in:\n${text}`);
  return link;
}

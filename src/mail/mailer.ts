// Sends e-mail: over SMTP when DJAM_EMAIL_HOST is set (STARTTLS when offered, auth when
// configured), otherwise into DJAM_DATA_DIR/outbox as .eml files plus an .html copy a local
// user can open to click the links.
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { default as Nodemailer, Transporter } from 'nodemailer';
import type { Config } from '../config.ts';

export interface MailMessage { to: string; subject: string; text: string; html: string }
/** `messageId`: the SMTP Message-ID, the same for every try of one job, so receivers can tell a repeat. */
export interface Mailer {
  send(message: MailMessage, opts?: { messageId?: string }): Promise<void>;
  /** `<left@domain>` with the domain of DJAM_EMAIL_SENDER (RFC 5322 §3.6.4). */
  messageId(left: string): string;
  close(): void;
  describe: string;
}

function messageIdFor(sender: string, left: string): string {
  const domain = /@([^\s>]+)>?\s*$/.exec(sender)?.[1] ?? 'djam.invalid';
  return `<${left}@${domain}>`;
}

/**
 * nodemailer is loaded with the first message, not at start-up: a server that sends none (most
 * of the time, and always on a node whose jobs run elsewhere) keeps its ~5 MB of heap free.
 */
function lazyTransport<T extends Transporter<unknown>>(create: (nodemailer: typeof Nodemailer) => T) {
  let transport: Promise<T> | undefined;
  return {
    get: () => (transport ??= import('nodemailer').then((m) => create(m.default))),
    close: () => void transport?.then((t) => t.close()),
  };
}

function smtpMailer(config: Config): Mailer {
  const transport = lazyTransport((nodemailer) => nodemailer.createTransport({
    host: config.DJAM_EMAIL_HOST, port: config.DJAM_EMAIL_PORT,
    secure: config.DJAM_EMAIL_PORT === 465,
    requireTLS: config.DJAM_EMAIL_USE_TLS && config.DJAM_EMAIL_PORT !== 465 && config.DJAM_PROJECT_ENVIRONMENT === 'prod',
    ignoreTLS: !config.DJAM_EMAIL_USE_TLS,
    auth: config.DJAM_EMAIL_HOST_USER ? { user: config.DJAM_EMAIL_HOST_USER, pass: config.DJAM_EMAIL_HOST_PASSWORD ?? '' } : undefined,
    connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000,
  }));
  return {
    describe: `SMTP ${config.DJAM_EMAIL_HOST}:${config.DJAM_EMAIL_PORT}`,
    messageId: (left) => messageIdFor(config.DJAM_EMAIL_SENDER, left),
    async send(m, opts) {
      await (await transport.get()).sendMail({ from: config.DJAM_EMAIL_SENDER, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: opts?.messageId });
    },
    close: transport.close,
  };
}

function outboxMailer(config: Config): Mailer {
  const dir = resolve(config.DJAM_DATA_DIR, 'outbox');
  const builder = lazyTransport((nodemailer) => nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }));
  return {
    describe: `outbox folder ${dir}`,
    messageId: (left) => messageIdFor(config.DJAM_EMAIL_SENDER, left),
    async send(m, opts) {
      mkdirSync(dir, { recursive: true });
      const info = await (await builder.get()).sendMail({ from: config.DJAM_EMAIL_SENDER, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: opts?.messageId });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
      writeFileSync(join(dir, `${name}.eml`), info.message as Buffer);
      writeFileSync(join(dir, `${name}.html`), `<!-- To: ${m.to} | Subject: ${m.subject} -->\n${m.html}`);
    },
    close: builder.close,
  };
}

export function createMailer(config: Config): Mailer {
  return config.DJAM_EMAIL_HOST ? smtpMailer(config) : outboxMailer(config);
}

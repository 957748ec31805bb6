// The `mail.send` job: e-mails are sent by background jobs, never inside a request.
import type { Db } from '../db/client.ts';
import type { JobHandlers, Queue } from '../queue/index.ts';
import type { Mailer, MailMessage } from './mailer.ts';

export const MAIL_SEND = 'mail.send';

export function mailJobHandlers(mailer: Mailer): JobHandlers {
  return {
    [MAIL_SEND]: async (payload) => mailer.send(payload as unknown as MailMessage),
  };
}

/** Queues an e-mail in the caller's transaction (the outbox pattern). */
export function queueMail(deps: { queue: Queue }, db: Db, message: MailMessage): Promise<number> {
  return deps.queue.enqueue(db, MAIL_SEND, { ...message });
}

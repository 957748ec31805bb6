// The `mail.send` job: e-mails are sent by background jobs, never inside a request. Each job's
// e-mail is sent once where that is knowable: its delivery key is checked before sending and
// recorded as sent after (JobContext.deliverOnce), and every try carries the same Message-ID,
// derived from the job, so a receiver can drop the repeat of a send whose outcome was lost.
import type { Db } from '../db/client.ts';
import type { JobHandlers, Queue } from '../queue/index.ts';
import type { Mailer, MailMessage } from './mailer.ts';

export const MAIL_SEND = 'mail.send';

export function mailJobHandlers(mailer: Mailer): JobHandlers {
  return {
    [MAIL_SEND]: async (payload, job) => {
      // The creation time keeps ids of two databases whose job ids restarted apart.
      const messageId = mailer.messageId(`djam-job-${job.jobId}.${job.createdAt.getTime().toString(36)}`);
      await job.deliverOnce(MAIL_SEND, () => mailer.send(payload as unknown as MailMessage, { messageId }));
    },
  };
}

/** Queues an e-mail in the caller's transaction (the outbox pattern). */
export function queueMail(deps: { queue: Queue }, db: Db, message: MailMessage): Promise<number> {
  return deps.queue.enqueue(db, MAIL_SEND, { ...message });
}

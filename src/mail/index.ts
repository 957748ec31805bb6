export { MAIL_SEND, mailJobHandlers, queueMail } from './mail.jobs.ts';
export { createMailer } from './mailer.ts';
export type { MailMessage, Mailer } from './mailer.ts';

// What other capabilities use of the self-service account pages: the admin API mails a user
// the same password-reset link the "forgot password" page sends.
export { mailPasswordResetLink } from './password-reset.service.ts';
export { safeNext } from './safe-next.ts';

// Access: who is acting (actors), what they may do (the policy) and what they did (the audit log).
export { ADMIN_SCOPE, anonymousActor, apiKeyActor, cliActor, clientActor, userActor, userTokenActor, type Actor } from './actor.ts';
export { assertMay, may, type ClientTarget, type UserTarget } from './policy.ts';
export { audited, recordAudit } from './audit.ts';

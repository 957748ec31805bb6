// Access: who is acting (actors), what they may do (the policy) and what they did (the audit log).
export { ADMIN_SCOPE, apiKeyActor, cliActor, clientActor, systemActor, userActor, userTokenActor, type Actor, type ActorKind } from './actor.ts';
export { assertMay, may, policy, type Action, type ClientTarget, type KeyTarget, type UserChangeTarget, type UserTarget } from './policy.ts';
export { audited, recordAudit, type AuditChange } from './audit.ts';

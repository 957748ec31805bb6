// Every event type the log records (#21): dotted lower case, subject first. docs/events.md
// lists them (a test keeps the two in step); webhook endpoints subscribe to these names.

/** What each type means and what its `changes` carry. */
export const eventTypes = {
  'user.login': 'A person signed in with a password (login form, console, /o/applications/), or through an upstream identity provider or LDAP directory (#23: door idp:<slug>). changes: door.',
  'user.logout': 'A user signed out: the logout form, or an application\'s end-session request (RP-initiated logout).',
  'user.sessions_ended': 'Sessions ended at once: a user signed out everywhere else from their account page (changes: door account-page; every session but the current one ends), or an administrator deactivated the user or forced a new password (actor: the administrator; changes: door admin, reason deactivated or forced_new_password; every session ends).',
  'user.login_failed': 'A password sign-in was refused (outcome failure). changes: door; reason, the refusal\'s error code (INVALID_CREDENTIALS, EMAIL_NOT_CONFIRMED, ...); cause: unknown_user, inactive, no_password or wrong_password. A signed-in user refused an application by a login prevention at the authorize endpoint: client_id, changes: door authorize, reason login_prevented.',
  'user.created': 'A user was created (admin API, console, CLI createsuperuser, import). changes: after.',
  'user.updated': 'A user\'s profile or flags changed (is_staff / is_superuser: "who gave bob the admin role"). changes: before, after.',
  'user.deleted': 'A user was deleted. changes: before.',
  'user.email_confirmed': 'A user\'s e-mail address was confirmed: by an administrator (changes: before, after) or by the activation link (changes: door, after).',
  'user.password_changed': 'A password was set: by an administrator, or by the user on /accounts/password_change/ (changes: door). Never the password itself.',
  'user.password_reset_requested': 'A password-reset link was sent: asked for on /accounts/password_reset/ (actor: the address typed, id -) or sent by an administrator (or a new password forced).',
  'user.unlocked': 'An administrator lifted a brute-force lock-out. changes: after.',
  'user.mfa_enrolled': 'A user added a second factor (#22). changes: after (factorId, kind: totp or passkey, name).',
  'user.mfa_removed': 'A user removed one of their second factors (after re-authenticating). changes: before (factorId, kind, name).',
  'user.mfa_reset': 'An administrator removed every second factor and recovery code of a user. changes: before (the factors).',
  'user.mfa_recovery_codes_generated': 'A user got ten new recovery codes (never the codes). changes: after (count).',
  'user.mfa_failed': 'A second step was refused (a wrong or replayed code, a passkey that did not verify). changes: after (ip, method).',
  'user.registered': 'Someone signed up at /user/register/ (the account is unconfirmed). actor: the new user. changes: after (email).',
  'user.password_reset': 'A user set a new password through a reset link (their sessions end). changes: door.',
  'user.email_changed': 'A user\'s change of e-mail address took effect (the link mailed to the new address was followed). changes: before, after (email).',
  'user.identity_linked': 'A user linked an upstream identity provider\'s account to theirs. changes: after (provider).',
  'user.identity_unlinked': 'A user unlinked an upstream identity provider\'s account. changes: before (provider).',
  'identity_provider.created': 'A superuser registered an upstream identity provider (never its client secret). changes: after.',
  'identity_provider.updated': 'An upstream identity provider changed. changes: before, after.',
  'identity_provider.deleted': 'An upstream identity provider was removed. changes: before.',
  'initial_access_token.issued': 'An initial access token for dynamic client registration was issued (never its value).',
  'initial_access_token.revoked': 'An initial access token for dynamic client registration was revoked.',
  'team.created': 'A team was created. changes: after.',
  'team.updated': 'A team changed. changes: before, after.',
  'team.deleted': 'A team was deleted. changes: before.',
  'team.member_added': 'A user joined a team. subject: the user. changes: after (team).',
  'team.member_removed': 'A user left a team. subject: the user. changes: before (team).',
  'team.role_added': 'A team was given a role. changes: after.',
  'team.role_removed': 'A team lost a role. changes: before.',
  'role.created': 'A role was created. changes: after.',
  'role.updated': 'A role changed. changes: before, after.',
  'role.deleted': 'A role was deleted. changes: before.',
  'role.member_added': 'A user was granted a role directly. subject: the user. changes: after (role).',
  'role.member_removed': 'A user\'s directly held role was taken. subject: the user. changes: before (role).',
  'resource.created': 'A protected resource was created. changes: after.',
  'resource.updated': 'A protected resource changed. changes: before, after.',
  'resource.deleted': 'A protected resource was deleted. changes: before.',
  'access_rule.changed': 'An access rule was created (after), changed (before, after) or deleted (before).',
  'login_prevention.created': 'A login prevention was created. changes: after.',
  'login_prevention.updated': 'A login prevention changed. changes: before, after.',
  'login_prevention.deleted': 'A login prevention was deleted. changes: before.',
  'api_key.issued': 'An API key was issued (never its value). changes: after.',
  'api_key.updated': 'An API key\'s settings changed. changes: before, after.',
  'api_key.rotated': 'An API key was replaced by a new value. changes: before, after.',
  'api_key.revoked': 'An API key (or several: changes.after.ids) was revoked. changes: before.',
  'consent.granted': 'A user accepted the consent page of an application (Authorize): client_id; changes: after (scopes, resource_scopes: the scopes granted then). Consent-free clients (require_consent false) grant without a page and without this event.',
  'token.refresh_reused': 'A refresh token already used (refresh tokens rotate) was presented again at the token endpoint: the provider refuses it (invalid_grant) and revokes the whole grant, its other tokens included. actor: the client; client_id; user_id, the token\'s user; outcome failure. Never the token.',
  'api_key.used_after_revocation': 'A revoked API key was presented at a key door (changes.door: geoserver-authkey, geoserver-users-apikey, proxy-authkey, key-api) and refused. At most one event per key a minute per node: changes.presentations counts the refusals since the last event. actor: the key (id) and its owner; changes: key_id, scope. Never the key.',
  'client.created': 'An OAuth client was created (admin API, console, CLI, or self-registered at /o/applications/register/). changes: after.',
  'client.updated': 'An OAuth client changed. changes: before, after.',
  'client.secret_rotated': 'An OAuth client\'s secret was replaced (never the secret).',
  'client.deleted': 'An OAuth client was deleted. changes: before.',
  'signing_key.rotated': 'A new signing key was created (admin API, console, or djam creatersakey: actor cli). changes: after (kid, activates_at).',
  'limit.locked_out': 'A wrong password was the last one allowed: the account is locked out (from that IP: pair; everywhere: account) for changes.lockout_seconds. actor: the name typed.',
  'job.retried': 'An administrator retried a dead background job. changes: before, after.',
  'webhook.created': 'A webhook endpoint was registered (never its secret). changes: after.',
  'webhook.updated': 'A webhook endpoint changed. changes: before, after.',
  'webhook.deleted': 'A webhook endpoint was removed. changes: before.',
  'webhook.delivery_retried': 'An administrator sent a dead webhook delivery round again. subject: the endpoint. changes: before, after (the delivery).',
} as const;

export type EventType = keyof typeof eventTypes;

export function isEventType(name: string): name is EventType {
  return Object.hasOwn(eventTypes, name);
}

/**
 * The audit log's action names (access/audit.ts, written by every service since #17) as event
 * types: the services keep naming their changes as before, and each lands in the event log
 * under the name the API fixes.
 */
const fromAuditAction: Record<string, EventType> = {
  'auth.signed-in': 'user.login', 'auth.sign-in-failed': 'user.login_failed',
  'user.create': 'user.created', 'user.update': 'user.updated', 'user.delete': 'user.deleted',
  'user.confirm-email': 'user.email_confirmed', 'user.set-password': 'user.password_changed',
  'user.reset-password': 'user.password_reset_requested', 'user.force-new-password': 'user.password_reset_requested',
  'user.unlock': 'user.unlocked',
  'mfa.enrolled': 'user.mfa_enrolled', 'mfa.removed': 'user.mfa_removed', 'mfa.reset': 'user.mfa_reset',
  'mfa.recovery-codes-generated': 'user.mfa_recovery_codes_generated', 'mfa.second-step-failed': 'user.mfa_failed',
  'user.team.add': 'team.member_added', 'user.team.remove': 'team.member_removed',
  'user.role.add': 'role.member_added', 'user.role.remove': 'role.member_removed',
  'team.create': 'team.created', 'team.update': 'team.updated', 'team.delete': 'team.deleted',
  'team.role.add': 'team.role_added', 'team.role.remove': 'team.role_removed',
  'role.create': 'role.created', 'role.update': 'role.updated', 'role.delete': 'role.deleted',
  'resource.create': 'resource.created', 'resource.update': 'resource.updated', 'resource.delete': 'resource.deleted',
  'access-rule.create': 'access_rule.changed', 'access-rule.update': 'access_rule.changed', 'access-rule.delete': 'access_rule.changed',
  'login-prevention.create': 'login_prevention.created', 'login-prevention.update': 'login_prevention.updated',
  'login-prevention.delete': 'login_prevention.deleted',
  'api-key.create': 'api_key.issued', 'api-key.update': 'api_key.updated', 'api-key.rotate': 'api_key.rotated',
  'api-key.delete': 'api_key.revoked', 'api-key.bulk-revoke': 'api_key.revoked',
  'client.create': 'client.created', 'client.update': 'client.updated', 'client.rotate-secret': 'client.secret_rotated',
  'client.delete': 'client.deleted',
  'signing-key.create': 'signing_key.rotated',
  'job.retry': 'job.retried',
  'identity-link.create': 'user.identity_linked', 'identity-link.delete': 'user.identity_unlinked',
  'identity-provider.create': 'identity_provider.created', 'identity-provider.update': 'identity_provider.updated',
  'identity-provider.delete': 'identity_provider.deleted',
  'initial-access-token.create': 'initial_access_token.issued', 'initial-access-token.revoke': 'initial_access_token.revoked',
  'webhook.create': 'webhook.created', 'webhook.update': 'webhook.updated', 'webhook.delete': 'webhook.deleted',
  'webhook.retry': 'webhook.delivery_retried',
};

/** The event type of an audit action; an action nobody mapped yet keeps its name in the event log's spelling. */
export function eventTypeOf(action: string): string {
  return fromAuditAction[action] ?? action.replaceAll('-', '_');
}

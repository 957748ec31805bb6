// Every table of the server. Migrations in ./migrations are generated from this file by
// `npx drizzle-kit generate` and committed; a test fails when the two disagree.
import { sql } from 'drizzle-orm';
import {
  boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex, uuid, varchar,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  password: varchar('password', { length: 256 }).notNull().default(''),
  lastLogin: timestamp('last_login', { withTimezone: true }),
  isSuperuser: boolean('is_superuser').notNull().default(false),
  username: varchar('username', { length: 150 }).notNull(),
  firstName: varchar('first_name', { length: 150 }).notNull().default(''),
  lastName: varchar('last_name', { length: 150 }).notNull().default(''),
  email: varchar('email', { length: 254 }).notNull(),
  secondaryEmail: varchar('secondary_email', { length: 254 }),
  emailConfirmed: boolean('email_confirmed').notNull().default(false),
  /** An address the user asked to change to; `email` stays in force until the link mailed here is followed. */
  pendingEmail: varchar('pending_email', { length: 254 }),
  uuid: uuid('uuid').notNull().defaultRandom(),
  isStaff: boolean('is_staff').notNull().default(false),
  isActive: boolean('is_active').notNull().default(true),
  dateJoined: timestamp('date_joined', { withTimezone: true }).notNull().defaultNow(),
  legacyUserId: integer('legacy_user_id'),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
  uniqueIndex('users_username_key').on(t.username),
  uniqueIndex('users_uuid_key').on(t.uuid),
]);

/**
 * The pending e-mail confirmation of a user (docs/compatibility.md §2.2): one code per user, replaced whenever a new
 * activation link is sent and deleted on success. Only a keyed hash of the code is stored.
 */
export const userActivationCodes = pgTable('user_activation_codes', {
  userId: integer('user_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  codeHash: varchar('code_hash', { length: 64 }).notNull(),
  /** The address the code was mailed to when it is a new one (a change of address); null: the account's own. */
  email: varchar('email', { length: 254 }),
  createdAt: createdAt(),
});

/** Browser sessions behind the `djam_sessionid` cookie; the cookie value is stored only as a keyed hash. */
export const sessions = pgTable('sessions', {
  idHash: varchar('id_hash', { length: 64 }).primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  /** Handed to OIDC clients as `session_token` (DJAM §2.9). */
  uuid: uuid('uuid').notNull().defaultRandom(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: createdAt(),
  /** #22: RFC 8176 methods this session's sign-in used (`pwd`, `otp`, `hwk`/`swk`, `mfa`). */
  amr: jsonb('amr').$type<string[]>().notNull().default(['pwd']),
  /** #22: the last time the user proved who they are in this session (sign-in, second step, re-authentication). */
  verifiedAt: timestamp('verified_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('sessions_user_id_idx').on(t.userId),
  index('sessions_expires_at_idx').on(t.expiresAt),
]);

export const teams = pgTable('teams', {
  id: serial('id').primaryKey(),
  name: varchar('name', { length: 150 }).notNull().unique(),
  /** #22: members must sign in with a second factor. */
  requiresMfa: boolean('requires_mfa').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const teamMembers = pgTable('team_members', {
  teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('team_members_user_id_idx').on(t.userId)]);

export const oauthClients = pgTable('oauth_clients', {
  id: serial('id').primaryKey(),
  clientId: varchar('client_id', { length: 255 }).notNull().unique(),
  /** AES-256-GCM sealed secret; null for public clients. */
  clientSecretSealed: text('client_secret_sealed'),
  name: varchar('name', { length: 100 }).notNull(),
  ownerId: integer('owner_id').references(() => users.id, { onDelete: 'set null' }),
  clientType: varchar('client_type', { length: 20 }).notNull().default('confidential'),
  grantTypes: jsonb('grant_types').$type<string[]>().notNull(),
  responseTypes: jsonb('response_types').$type<string[]>().notNull(),
  redirectUris: jsonb('redirect_uris').$type<string[]>().notNull(),
  postLogoutRedirectUris: jsonb('post_logout_redirect_uris').$type<string[]>().notNull().default([]),
  /** Space-separated scopes the client may request; may also list client ids it may introspect (docs/compatibility.md §3.5). */
  scope: text('scope').notNull().default(''),
  jwtAlg: varchar('jwt_alg', { length: 10 }).notNull().default('RS256'),
  requireConsent: boolean('require_consent').notNull().default(true),
  reuseConsent: boolean('reuse_consent').notNull().default(true),
  websiteUrl: text('website_url'),
  /**
   * #24: the client's other registered metadata, under its RFC names (backchannel_logout_uri,
   * dpop_bound_access_tokens, require_pushed_authorization_requests, jwks, ...) and DJAM's own
   * (groups_claim, fapi2). Rows without a key keep the original's behaviour.
   */
  protocolMetadata: jsonb('protocol_metadata').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [index('oauth_clients_owner_id_idx').on(t.ownerId)]);

/** DJAM "OpenID login prevention": members only of these teams may not sign in to the client. */
export const loginPreventions = pgTable('login_preventions', {
  id: serial('id').primaryKey(),
  clientId: integer('client_id').notNull().unique().references(() => oauthClients.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
});

export const loginPreventionTeams = pgTable('login_prevention_teams', {
  preventionId: integer('prevention_id').notNull().references(() => loginPreventions.id, { onDelete: 'cascade' }),
  teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.preventionId, t.teamId] })]);

export const signingKeys = pgTable('signing_keys', {
  id: serial('id').primaryKey(),
  kid: varchar('kid', { length: 128 }).notNull().unique(),
  alg: varchar('alg', { length: 10 }).notNull(),
  /** Private JWK, sealed with AES-256-GCM. */
  privateJwkSealed: text('private_jwk_sealed').notNull(),
  /** Published (in every node's JWKS) from creation; signs from here until the next key activates (#20). */
  createdAt: createdAt(),
  activatesAt: timestamp('activates_at', { withTimezone: true }).notNull().defaultNow(),
  /** Set when the key was made to stop signing outright (imported keys, keys rotated before #20). */
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});

/** Every oidc-provider model (sessions, interactions, codes, tokens, grants) as one JSON row. */
export const oidcPayloads = pgTable('oidc_payloads', {
  model: varchar('model', { length: 40 }).notNull(),
  id: varchar('id', { length: 255 }).notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  grantId: varchar('grant_id', { length: 255 }),
  uid: varchar('uid', { length: 255 }),
  userCode: varchar('user_code', { length: 255 }),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  consumedAt: timestamp('consumed_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.model, t.id] }),
  index('oidc_payloads_id_idx').on(t.id),
  index('oidc_payloads_grant_id_idx').on(t.grantId),
  index('oidc_payloads_uid_idx').on(t.uid),
  index('oidc_payloads_expires_at_idx').on(t.expiresAt),
]);

export const roles = pgTable('roles', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
});

/** Roles granted to a user directly. */
export const userRoles = pgTable('user_roles', {
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  roleId: integer('role_id').notNull().references(() => roles.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.userId, t.roleId] }), index('user_roles_role_id_idx').on(t.roleId)]);

/** Roles granted to every member of a team. */
export const teamRoles = pgTable('team_roles', {
  teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
  roleId: integer('role_id').notNull().references(() => roles.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.teamId, t.roleId] }), index('team_roles_role_id_idx').on(t.roleId)]);

export const resources = pgTable('resources', {
  id: serial('id').primaryKey(),
  slug: varchar('slug', { length: 50 }).notNull().unique(),
  url: text('url'),
  description: text('description'),
  /** 'Upstream Service' marks a resource the proxy forwards to `url`. */
  type: varchar('type', { length: 100 }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const accessRules = pgTable('access_rules', {
  id: serial('id').primaryKey(),
  resourceId: integer('resource_id').notNull().references(() => resources.id, { onDelete: 'cascade' }),
  roleId: integer('role_id').notNull().references(() => roles.id, { onDelete: 'cascade' }),
  active: boolean('active').notNull().default(false),
  createdAt: createdAt(),
}, (t) => [index('access_rules_resource_id_idx').on(t.resourceId), index('access_rules_role_id_idx').on(t.roleId)]);

/**
 * API keys. The value is never stored in clear: `key_hash` (HMAC-SHA-256 of the canonical
 * UUID) finds it in one indexed look-up, `key_sealed` (AES-256-GCM) gives it back to its owner.
 */
export const apiKeys = pgTable('api_keys', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  keyHash: varchar('key_hash', { length: 64 }).notNull().unique(),
  keySealed: text('key_sealed').notNull(),
  scope: varchar('scope', { length: 50 }).notNull().default(''),
  revoked: boolean('revoked').notNull().default(false),
  expiry: timestamp('expiry', { withTimezone: true }).notNull(),
  createdAt: createdAt(),
  lastModified: timestamp('last_modified', { withTimezone: true }),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
}, (t) => [index('api_keys_user_id_idx').on(t.userId)]);

/**
 * Durable background jobs (an outbox): written in the same transaction as the change that
 * causes them, then run in-process or relayed to RabbitMQ. `dead` is the end after the last try.
 */
export const jobs = pgTable('jobs', {
  id: serial('id').primaryKey(),
  type: varchar('type', { length: 100 }).notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  /** pending → (relayed →) running → done | pending (retry) | dead */
  status: varchar('status', { length: 20 }).notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  maxAttempts: integer('max_attempts').notNull().default(5),
  runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  /** The lease: which runner holds the job and the token of its claim; done/failed only under both. */
  lockedBy: varchar('locked_by', { length: 200 }),
  leaseToken: varchar('lease_token', { length: 64 }),
  lastError: text('last_error'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [index('jobs_status_run_at_idx').on(t.status, t.runAt)]);

/**
 * A job's side effect outside the database (an e-mail sent): recorded as started before it and
 * as sent once it completed, so a retry after a crash skips what is known to have happened.
 */
export const jobDeliveries = pgTable('job_deliveries', {
  key: varchar('key', { length: 200 }).primaryKey(),
  jobId: integer('job_id').notNull().references(() => jobs.id, { onDelete: 'cascade' }),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  tries: integer('tries').notNull().default(1),
});

/**
 * One row: a known value sealed under DJAM_SECRET_KEY when the database was first used, so a node
 * started with another key says so at start-up instead of failing on the first secret it reads.
 */
export const secretKeyCheck = pgTable('secret_key_check', {
  id: integer('id').primaryKey(),
  sealed: text('sealed').notNull(),
  createdAt: createdAt(),
});

/**
 * What the admin API changed: who (a staff user or a machine client), what, when, and the record
 * before and after (secrets removed before they get here).
 */
export const auditLog = pgTable('audit_log', {
  id: serial('id').primaryKey(),
  /** 'user' (a signed-in staff member or a token on their behalf) or 'client' (client credentials). */
  actorType: varchar('actor_type', { length: 10 }).notNull(),
  actorId: varchar('actor_id', { length: 255 }).notNull(),
  actorLabel: varchar('actor_label', { length: 255 }).notNull(),
  action: varchar('action', { length: 100 }).notNull(),
  entityType: varchar('entity_type', { length: 50 }).notNull(),
  entityId: varchar('entity_id', { length: 255 }),
  before: jsonb('before').$type<Record<string, unknown>>(),
  after: jsonb('after').$type<Record<string, unknown>>(),
  createdAt: createdAt(),
}, (t) => [index('audit_log_created_at_idx').on(t.createdAt), index('audit_log_entity_idx').on(t.entityType, t.entityId)]);

/**
 * The credential throttle's counters (#20): one row per key (`pair:<account> <ip>`, `account:…`,
 * `ip:…`, `mail-ip:…`), shared by every node. `points` is counted up before the check; the row is
 * dead once `expire` has passed (the sweep deletes it; a new attempt restarts it).
 */
export const throttleCounters = pgTable('throttle_counters', {
  key: text('key').primaryKey(),
  points: integer('points').notNull(),
  expire: timestamp('expire', { withTimezone: true, mode: 'date' }).notNull(),
}, (t) => [index('throttle_counters_expire_idx').on(t.expire)]);

/**
 * #22: a user's second factors. An authenticator app (`totp`) keeps its seed sealed
 * (AES-256-GCM, crypto/keys.ts) and the last time step accepted, so a code is accepted once; a
 * passkey (`passkey`) keeps its WebAuthn credential id, public key and signature counter.
 */
export const mfaFactors = pgTable('mfa_factors', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  kind: varchar('kind', { length: 10 }).notNull(),
  name: varchar('name', { length: 100 }).notNull(),
  secretSealed: text('secret_sealed'),
  lastStep: integer('last_step'),
  credentialId: text('credential_id'),
  publicKey: text('public_key'),
  signCount: integer('sign_count'),
  transports: jsonb('transports').$type<string[]>(),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
}, (t) => [index('mfa_factors_user_id_idx').on(t.userId), uniqueIndex('mfa_factors_credential_id_key').on(t.credentialId)]);

/** #22: single-use recovery codes, kept as keyed hashes (crypto/keys.ts lookupHash). */
export const mfaRecoveryCodes = pgTable('mfa_recovery_codes', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  codeHash: varchar('code_hash', { length: 64 }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('mfa_recovery_codes_user_code_key').on(t.userId, t.codeHash)]);

/**
 * #21: the event log, append-only: what happened to identities, whoever caused it, at whatever
 * door. Written in the same transaction as the change (events/record.ts); `changes` holds the
 * before/after of a change (secret fields dropped) or the facts of an attempt (door, reason).
 * Kept DJAM_EVENT_RETENTION_DAYS, then swept.
 */
export const events = pgTable('events', {
  id: serial('id').primaryKey(),
  type: varchar('type', { length: 100 }).notNull(),
  time: timestamp('time', { withTimezone: true }).notNull().defaultNow(),
  /** user, api_key, client, cli, system */
  actorKind: varchar('actor_kind', { length: 10 }).notNull(),
  actorId: varchar('actor_id', { length: 255 }).notNull(),
  actorLabel: varchar('actor_label', { length: 255 }).notNull(),
  /** What the event is about: `user:12`, `client:abc`, `role:3` (searchable with q=). */
  subject: varchar('subject', { length: 300 }),
  /** The user concerned (the subject user, or the one who signed in), for per-user queries. */
  userId: integer('user_id'),
  clientId: varchar('client_id', { length: 255 }),
  ip: varchar('ip', { length: 64 }),
  userAgent: varchar('user_agent', { length: 500 }),
  requestId: varchar('request_id', { length: 128 }),
  /** success or failure */
  outcome: varchar('outcome', { length: 10 }).notNull(),
  changes: jsonb('changes').$type<Record<string, unknown>>(),
}, (t) => [
  index('events_time_idx').on(t.time),
  index('events_type_time_idx').on(t.type, t.id),
  index('events_user_id_idx').on(t.userId, t.id),
  index('events_client_id_idx').on(t.clientId, t.id),
]);

/** #21: where events are streamed: a URL, the event types it wants (`*`: all), a sealed signing secret. */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: serial('id').primaryKey(),
  url: varchar('url', { length: 2000 }).notNull(),
  eventTypes: jsonb('event_types').$type<string[]>().notNull(),
  /** The `whsec_…` secret, sealed under DJAM_SECRET_KEY (crypto/keys.ts). */
  secretSealed: text('secret_sealed').notNull(),
  description: varchar('description', { length: 255 }).notNull().default(''),
  isActive: boolean('is_active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** #21: one event sent to one endpoint: the delivery log, one row per (endpoint, event). */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: serial('id').primaryKey(),
  endpointId: integer('endpoint_id').notNull().references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
  eventId: integer('event_id').notNull(),
  /** pending → delivered | failed (retrying) | dead */
  status: varchar('status', { length: 10 }).notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  jobId: integer('job_id'),
  lastStatusCode: integer('last_status_code'),
  lastError: text('last_error'),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [uniqueIndex('webhook_deliveries_endpoint_event_key').on(t.endpointId, t.eventId), index('webhook_deliveries_event_id_idx').on(t.eventId)]);

/**
 * #23: upstream OpenID Connect providers users may sign in through (DJAM as a broker). The client
 * secret is sealed (AES-256-GCM, crypto/keys.ts); `mappings` turn a value of `group_claim` into a
 * team, applied at every sign-in.
 */
export const identityProviders = pgTable('identity_providers', {
  id: serial('id').primaryKey(),
  slug: varchar('slug', { length: 50 }).notNull().unique(),
  name: varchar('name', { length: 150 }).notNull(),
  issuer: varchar('issuer', { length: 2000 }).notNull(),
  clientId: varchar('client_id', { length: 255 }).notNull(),
  clientSecretSealed: text('client_secret_sealed').notNull(),
  scope: varchar('scope', { length: 500 }).notNull().default('openid email profile'),
  groupClaim: varchar('group_claim', { length: 100 }),
  mappings: jsonb('mappings').$type<Array<{ value: string; team: string }>>().notNull().default([]),
  /** Just-in-time creation of a user at their first sign-in. */
  allowJit: boolean('allow_jit').notNull().default(true),
  /** `email_verified` from this upstream is believed. */
  trustEmail: boolean('trust_email').notNull().default(false),
  /** E-mail domains allowed to sign in through this upstream (empty: any). */
  allowedDomains: jsonb('allowed_domains').$type<string[]>().notNull().default([]),
  /** Signing out of DJAM also sends the user to the upstream's end-session endpoint. */
  endUpstreamSession: boolean('end_upstream_session').notNull().default(false),
  isEnabled: boolean('is_enabled').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * #23: an upstream account linked to a DJAM user: an OIDC upstream's `sub` (`kind` oidc, with its
 * provider) or a directory entry (`kind` ldap, its DN). `team_ids` are the teams the last sign-in's
 * mapping put the user in, so the next one can take back those no longer granted.
 */
export const identityLinks = pgTable('identity_links', {
  id: serial('id').primaryKey(),
  kind: varchar('kind', { length: 10 }).notNull(),
  providerId: integer('provider_id').references(() => identityProviders.id, { onDelete: 'cascade' }),
  subject: varchar('subject', { length: 1000 }).notNull(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  teamIds: jsonb('team_ids').$type<number[]>().notNull().default([]),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('identity_links_upstream_subject_key').on(t.kind, sql`coalesce(${t.providerId}, 0)`, t.subject),
  index('identity_links_user_id_idx').on(t.userId),
]);

// The JSON views of the admin API: records as the console sees them (snake_case, ISO dates,
// never a secret).
import type { AdminKeyView } from '../api-keys/index.ts';
import type { ClientRow } from '../clients/index.ts';
import type { Job } from '../queue/index.ts';
import type { AccessRule, LoginPreventionView, Resource, Role, Team } from '../teams/index.ts';
import { userRecord } from '../users/index.ts';
import type { AuditEntry } from './audit.service.ts';

export function iso(d: Date | string): string;
export function iso(d: Date | string | null): string | null;
export function iso(d: Date | string | null): string | null {
  return d === null ? null : new Date(d).toISOString();
}

export const userView = userRecord;

export const teamView = (t: Team) => ({ id: t.id, name: t.name, created_at: iso(t.createdAt), updated_at: iso(t.updatedAt) });
export const roleView = (r: Role) => ({ id: r.id, name: r.name, created_at: iso(r.createdAt) });

export const resourceView = (r: Resource) => ({
  id: r.id, slug: r.slug, url: r.url, description: r.description, type: r.type, created_at: iso(r.createdAt), updated_at: iso(r.updatedAt),
});

export const accessRuleView = (r: AccessRule) => ({
  id: r.id, resource_id: r.resourceId, role_id: r.roleId, active: r.active, created_at: iso(r.createdAt),
});

export const apiKeyView = (k: AdminKeyView) => ({
  id: k.id, key_preview: `${k.key.slice(0, 8)}…`, user_id: k.userId, user_email: k.userEmail, scope: k.scope, revoked: k.revoked,
  expiry: iso(k.expiry), created_at: iso(k.createdAt), last_modified: iso(k.lastModified), last_used_at: iso(k.lastUsedAt),
});

export const clientView = (c: ClientRow) => ({
  id: c.id, client_id: c.clientId, name: c.name, client_type: c.clientType, grant_types: c.grantTypes, response_types: c.responseTypes,
  redirect_uris: c.redirectUris, post_logout_redirect_uris: c.postLogoutRedirectUris, scope: c.scope, jwt_alg: c.jwtAlg,
  require_consent: c.requireConsent, owner_id: c.ownerId, has_secret: c.clientSecretSealed !== null,
  created_at: iso(c.createdAt), updated_at: iso(c.updatedAt),
});

export const loginPreventionView = (p: LoginPreventionView) => ({
  id: p.id, client: p.clientRowId, client_id: p.clientId, team_ids: p.teamIds, created_at: iso(p.createdAt),
});

/** What a job is about, without its payload: a mail job carries links with one-time tokens. */
function jobSummary(payload: Record<string, unknown>): Record<string, string> {
  const summary: Record<string, string> = {};
  for (const name of ['to', 'subject']) if (typeof payload[name] === 'string') summary[name] = payload[name];
  return summary;
}

export const jobView = (j: Job) => ({
  id: j.id, type: j.type, summary: jobSummary(j.payload), status: j.status, attempts: j.attempts, max_attempts: j.maxAttempts,
  run_at: iso(j.runAt), last_error: j.lastError, created_at: iso(j.createdAt), updated_at: iso(j.updatedAt),
});

export const auditEntryView = (e: AuditEntry) => ({
  id: e.id, actor_type: e.actorType, actor_id: e.actorId, actor_label: e.actorLabel, action: e.action,
  entity_type: e.entityType, entity_id: e.entityId, before: e.before, after: e.after, created_at: iso(e.createdAt),
});

export function pageView<T, V>(page: { items: T[]; total: number; page: number; pageSize: number }, view: (item: T) => V) {
  return { items: page.items.map(view), total: page.total, page: page.page, pageSize: page.pageSize };
}

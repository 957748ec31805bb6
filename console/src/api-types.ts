// The admin API's records, as the server's TypeBox schemas define them (type-only imports: the
// console bundles none of the server's code).
import type { Static } from 'typebox';
import type { ApiKeyCreated, ApiKeyView } from '../../src/api-keys/api-keys.admin-schemas.ts';
import type { AuditEntryView } from '../../src/audit/audit.admin-schemas.ts';
import type { EventItem as EventItemSchema, FailedSignIns as FailedSignInsSchema } from '../../src/audit/events.admin-schemas.ts';
import type { ClientCreated, ClientSecret, ClientView } from '../../src/clients/clients.admin-schemas.ts';
import type { JobView } from '../../src/ops/jobs.admin-schemas.ts';
import type { DeliveryView, WebhookView } from '../../src/webhooks/webhooks.admin-schemas.ts';
import type { TeamDetail } from '../../src/privileges/privileges.admin-schemas.ts';
import type { SigningKeyCreated } from '../../src/signing-keys/signing-keys.admin-schemas.ts';
import type { UserDetail } from '../../src/users/users.admin-schemas.ts';

export type User = Static<typeof UserDetail>;
export type Team = Static<typeof TeamDetail>;
export type ApiKey = Static<typeof ApiKeyView>;
export type ApiKeyWithValue = Static<typeof ApiKeyCreated>;
export type Client = Static<typeof ClientView>;
export type ClientWithSecret = Static<typeof ClientCreated>;
export type NewClientSecret = Static<typeof ClientSecret>;
export type Job = Static<typeof JobView>;
export type NewSigningKey = Static<typeof SigningKeyCreated>;
export type AuditEntry = Static<typeof AuditEntryView>;
export type EventItem = Static<typeof EventItemSchema>;
export type FailedSignIns = Static<typeof FailedSignInsSchema>;
export type Webhook = Static<typeof WebhookView>;
export type WebhookDelivery = Static<typeof DeliveryView>;

/** GET /api/admin/session */
export interface Session {
  user: { id: number; email: string; first_name: string; last_name: string; is_staff: boolean; is_superuser: boolean } | null;
  csrf_token: string;
}

/** GET /api/admin/stats */
export interface Stats { users: number; active_keys: number; clients: number; jobs_waiting: number; jobs_failed: number; logins_last_day: number }

/** GET /api/admin/config */
export interface Setting { name: string; value: unknown; secret: boolean; description: string }

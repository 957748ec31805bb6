// An audit entry (access/audit.ts) as an event: the same change, under the event type the API
// fixes, with the user or client it concerns pulled out for the per-user and per-client queries.
import { eventTypeOf } from './event-types.ts';
import type { EventActor, EventInput } from './record.ts';

interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The facts of a sign-in attempt (door, reason): the audit entry's `after`, without the IP the event has its own column for. */
function attemptFacts(after: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!after) return null;
  const { ip: _ip, ...facts } = after;
  return facts;
}

export function eventOfAudit(actor: EventActor & { userId?: number }, entry: AuditEntry): EventInput {
  const isSignIn = entry.action.startsWith('auth.');
  const numericId = entry.entityId !== null && /^\d+$/.test(entry.entityId) ? Number(entry.entityId) : null;
  const changes = isSignIn ? attemptFacts(entry.after)
    : entry.before || entry.after ? { ...(entry.before ? { before: entry.before } : {}), ...(entry.after ? { after: entry.after } : {}) } : null;
  return {
    type: eventTypeOf(entry.action),
    outcome: entry.action.endsWith('-failed') ? 'failure' : 'success', // auth.sign-in-failed, mfa.second-step-failed
    subject: entry.entityId === null ? (isSignIn ? `user:${actor.label}` : entry.entityType) : `${entry.entityType}:${entry.entityId}`,
    userId: entry.entityType === 'user' ? numericId : null,
    clientId: entry.entityType === 'client' ? entry.entityId : actor.kind === 'client' ? actor.id : null,
    changes,
  };
}

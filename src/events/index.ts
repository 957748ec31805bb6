// The event log (#21): one append-only record of what happens to identities, searchable by the
// admin API and streamed to webhooks, log shippers and /metrics.
export { eventOfAudit } from './from-audit.ts';
export { recordEvent } from './record.ts';
export { eventTypes, isEventType } from './event-types.ts';
export { deleteOldEvents, eventView, listOwnSignIns, type EventView } from './event-log.ts';

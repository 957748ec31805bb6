// The admin API's audit log (/api/admin/audit-log): schemas and the view.
import { Type } from 'typebox';
import { Nullable, DateTime, pageSchema, iso } from '../admin/schema-kit.ts';
import type { AuditEntry } from './audit.service.ts';

export const AuditEntryView = Type.Object({
  id: Type.Integer(), actor_type: Type.String(), actor_id: Type.String(), actor_label: Type.String(), action: Type.String(),
  entity_type: Type.String(), entity_id: Nullable(Type.String()),
  before: Nullable(Type.Record(Type.String(), Type.Unknown())), after: Nullable(Type.Record(Type.String(), Type.Unknown())),
  created_at: DateTime,
});
export const AuditPage = pageSchema(AuditEntryView);

export const auditEntryView = (e: AuditEntry) => ({
  id: e.id, actor_type: e.actorType, actor_id: e.actorId, actor_label: e.actorLabel, action: e.action,
  entity_type: e.entityType, entity_id: e.entityId, before: e.before, after: e.after, created_at: iso(e.createdAt),
});

// /api/admin/audit-log: what was changed through the admin API, by whom and when, newest first.
import { Type } from 'typebox';
import { adminDoc, type AdminApp, type AdminDeps, listQuerySchema, queryText, toPageRequest, pageView } from '../admin/index.ts';
import { AuditPage, auditEntryView } from './audit.admin-schemas.ts';
import { listAuditEntries } from './audit.service.ts';

const Text = Type.Optional(queryText(255));

export async function auditAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  app.get('/audit-log', {
    schema: {
      ...adminDoc('admin_audit_log_list', 'Audit entries, newest first; search by actor or action', { 200: AuditPage }),
      querystring: listQuerySchema([], { entity_type: Text, entity_id: Text, actor_id: Text, action: Text }),
    },
  }, async (request) => {
    const q = request.query;
    const page = await listAuditEntries(deps, toPageRequest(q), { entityType: q.entity_type, entityId: q.entity_id, actorId: q.actor_id, action: q.action });
    return pageView(page, auditEntryView);
  });
}

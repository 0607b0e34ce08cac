import type { ApiDeps } from '../deps.js';
import type { ApiRoutes } from '../http/route.js';
import { idParams } from '../http/validate.js';
import { requireRole } from '../investigations/access.js';
import { presentAuditEventForAdmin, queryAuditEvents } from './audit.query.js';
import { auditPage, globalAuditQuery, investigationAuditQuery } from './audit.schema.js';

export function auditRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  routes.add({
    method: 'get',
    path: '/investigations/:id/audit',
    operationId: 'listInvestigationAudit',
    summary: "The investigation's audit trail, newest first; filter by action, objectType, objectId, actor.",
    tag: 'audit',
    auth: 'user',
    request: { params: idParams, query: investigationAuditQuery },
    responses: { 200: { description: 'A page of audit events.', schema: auditPage } },
    handler: async ({ params, query, user }, _req, res) => {
      await requireRole(deps.db, user.id, params.id, 'viewer');
      res.json(await queryAuditEvents(deps.db, deps.cursors, { ...query, investigationId: params.id }));
    },
  });

  routes.add({
    method: 'get',
    path: '/audit',
    operationId: 'listAudit',
    summary:
      "The whole audit trail (administrators): ids, actions, actors and times. An investigation's events come without before/after snapshots (its content); members read those on the investigation's own trail. Also filterable by investigationId.",
    tag: 'audit',
    auth: 'admin',
    request: { query: globalAuditQuery },
    responses: { 200: { description: 'A page of audit events.', schema: auditPage } },
    handler: async ({ query }, _req, res) => {
      res.json(await queryAuditEvents(deps.db, deps.cursors, query, presentAuditEventForAdmin));
    },
  });
}

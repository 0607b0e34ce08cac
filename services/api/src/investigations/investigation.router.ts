import type { ApiDeps } from '../deps.js';
import type { ApiRoutes } from '../http/route.js';
import { idParams } from '../http/validate.js';
import {
  addMemberBody,
  createInvestigationBody,
  investigationPage,
  investigationSchema,
  listInvestigationsQuery,
  memberInvitation,
  memberListQuery,
  memberPage,
  memberParams,
  memberSchema,
  updateInvestigationBody,
  updateMemberBody,
} from './investigation.schema.js';
import {
  addMember,
  createInvestigation,
  deleteInvestigation,
  getInvestigation,
  listInvestigations,
  listMembers,
  removeMember,
  updateInvestigation,
  updateMember,
} from './investigation.service.js';

export function investigationRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const tag = 'investigations';

  routes.add({
    method: 'post',
    path: '/investigations',
    operationId: 'createInvestigation',
    summary: 'Open an investigation; the caller becomes its owner.',
    tag,
    auth: 'user',
    request: { body: createInvestigationBody },
    responses: { 201: { description: 'Created.', schema: investigationSchema } },
    handler: async ({ body, actor }, _req, res) => {
      const created = await createInvestigation(deps.db, actor, body);
      res.status(201).location(`/api/v1/investigations/${created.id}`).json(created);
    },
  });

  routes.add({
    method: 'get',
    path: '/investigations',
    operationId: 'listInvestigations',
    summary: 'Investigations the caller is a member of, newest first.',
    tag,
    auth: 'user',
    request: { query: listInvestigationsQuery },
    responses: { 200: { description: 'A page of investigations.', schema: investigationPage } },
    handler: async ({ query, user }, _req, res) => {
      res.json(await listInvestigations(deps, user.id, query));
    },
  });

  routes.add({
    method: 'get',
    path: '/investigations/:id',
    operationId: 'getInvestigation',
    summary: 'One investigation (members only).',
    tag,
    auth: 'user',
    request: { params: idParams },
    responses: { 200: { description: 'The investigation.', schema: investigationSchema } },
    handler: async ({ params, user }, _req, res) => {
      res.json(await getInvestigation(deps.db, user.id, params.id));
    },
  });

  routes.add({
    method: 'patch',
    path: '/investigations/:id',
    operationId: 'updateInvestigation',
    summary: 'Change title, description, status, TLP, default region or allow-list (editors).',
    tag,
    auth: 'user',
    request: { params: idParams, body: updateInvestigationBody },
    responses: { 200: { description: 'Updated.', schema: investigationSchema } },
    handler: async ({ params, body, actor }, _req, res) => {
      res.json(await updateInvestigation(deps.db, actor, params.id, body));
    },
  });

  routes.add({
    method: 'delete',
    path: '/investigations/:id',
    operationId: 'deleteInvestigation',
    summary: 'Delete an investigation and everything in it (owners). The audit trail is kept.',
    tag,
    auth: 'user',
    request: { params: idParams },
    responses: { 204: { description: 'Deleted.' } },
    handler: async ({ params, actor }, _req, res) => {
      await deleteInvestigation(deps.db, actor, params.id);
      res.status(204).end();
    },
  });

  routes.add({
    method: 'get',
    path: '/investigations/:id/members',
    operationId: 'listMembers',
    summary: 'Members and their roles.',
    tag,
    auth: 'user',
    request: { params: idParams, query: memberListQuery },
    responses: { 200: { description: 'A page of members.', schema: memberPage } },
    handler: async ({ params, query, user }, _req, res) => {
      res.json(await listMembers(deps, user.id, params.id, query));
    },
  });

  routes.add({
    method: 'post',
    path: '/investigations/:id/members',
    operationId: 'addMember',
    summary:
      'Invite a person (by email or user id) with a role (owners). The answer is the same whether or not the address has an account; an account, if any, joins at once (an existing member keeps their role).',
    tag,
    auth: 'user',
    request: { params: idParams, body: addMemberBody },
    responses: {
      202: { description: 'Invitation recorded.', schema: memberInvitation },
    },
    handler: async ({ params, body, actor }, _req, res) => {
      res.status(202).json(await addMember(deps.db, actor, params.id, body));
    },
  });

  routes.add({
    method: 'patch',
    path: '/investigations/:id/members/:userId',
    operationId: 'updateMember',
    summary: "Change a member's role (owners). The last owner cannot be demoted.",
    tag,
    auth: 'user',
    request: { params: memberParams, body: updateMemberBody },
    responses: {
      200: { description: 'Updated.', schema: memberSchema },
      409: { description: 'Would leave the investigation without an owner.' },
    },
    handler: async ({ params, body, actor }, _req, res) => {
      res.json(await updateMember(deps.db, actor, params.id, params.userId, body.role));
    },
  });

  routes.add({
    method: 'delete',
    path: '/investigations/:id/members/:userId',
    operationId: 'removeMember',
    summary: 'Remove a member (owners), or leave (any member). The last owner cannot be removed.',
    tag,
    auth: 'user',
    request: { params: memberParams },
    responses: {
      204: { description: 'Removed.' },
      409: { description: 'Would leave the investigation without an owner.' },
    },
    handler: async ({ params, actor }, _req, res) => {
      await removeMember(deps.db, actor, params.id, params.userId);
      res.status(204).end();
    },
  });
}

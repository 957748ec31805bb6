// /api/admin/clients: OAuth/OIDC clients, created with a generated id and a secret shown once,
// edited, given a new secret (shown once) and deleted.
import { changeClient, getClient, listClientsPage, registerClient, removeClient, rotateSecretOf, type ClientInput as ServiceInput } from './index.ts';
import { actorOf, adminDoc, type AdminApp, type AdminDeps, IdParams, NoContent, listQuerySchema, toPageRequest, pageView } from '../admin/index.ts';
import { ClientCreated, ClientInput, ClientPage, ClientSecret, ClientView, type ClientInputBody, clientView, protocolInput } from './clients.admin-schemas.ts';

function toInput(b: ClientInputBody): ServiceInput {
  return {
    name: b.name, clientType: b.client_type as ServiceInput['clientType'], grantType: b.grant_type as ServiceInput['grantType'],
    redirectUris: b.redirect_uris ?? [], postLogoutRedirectUris: b.post_logout_redirect_uris, scope: b.scope,
    requireConsent: b.require_consent, jwtAlg: (b.id_token_signed_response_alg ?? b.jwt_alg) as ServiceInput['jwtAlg'],
    protocol: protocolInput(b),
  };
}

export async function clientsAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  app.get('/clients', {
    schema: { ...adminDoc('admin_clients_list', 'Clients: search by name or client id', { 200: ClientPage }), querystring: listQuerySchema(['id', 'name', 'client_id', 'created_at']) },
  }, async (request) => pageView(await listClientsPage(deps, toPageRequest(request.query)), clientView));

  app.post('/clients', {
    schema: { ...adminDoc('admin_clients_create', 'Register a client: generated client id, secret in this answer only', { 201: ClientCreated }), body: ClientInput },
  }, async (request, reply) => {
    // #24: a new client gets the flat `groups` claim unless it asks for the original's nested one.
    const input = toInput(request.body);
    const { client, clientSecret } = await registerClient(deps, actorOf(request), { ...input, protocol: { groups_claim: 'flat', ...input.protocol } });
    const created = { ...clientView(client), client_secret: clientSecret };
    return reply.status(201).send(created);
  });

  app.get('/clients/:id', {
    schema: { ...adminDoc('admin_clients_retrieve', 'A client (never its secret)', { 200: ClientView }), params: IdParams },
  }, async (request) => clientView(await getClient(deps, request.params.id)));

  app.put('/clients/:id', {
    schema: { ...adminDoc('admin_clients_update', 'Replace a client\'s settings', { 200: ClientView }), params: IdParams, body: ClientInput },
  }, async (request) => {
    const client = await changeClient(deps, actorOf(request), request.params.id, toInput(request.body));
    return clientView(client);
  });

  app.post('/clients/:id/secret', {
    schema: { ...adminDoc('admin_clients_rotate_secret', 'Give the client a new secret (the old one stops working); shown once', { 200: ClientSecret }), params: IdParams },
  }, async (request) => {
    const { client: before, secret } = await rotateSecretOf(deps, actorOf(request), request.params.id);
    return { client_id: before.clientId, client_secret: secret };
  });

  app.delete('/clients/:id', {
    schema: { ...adminDoc('admin_clients_destroy', 'Delete a client', { 204: NoContent }), params: IdParams },
  }, async (request, reply) => {
    await removeClient(deps, actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}

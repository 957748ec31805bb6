// /api/admin/identity-providers (#23): the upstream OpenID Connect providers users may sign in
// through, their client secrets (written, never shown) and group → team mappings. Superusers only.
import { actorOf, adminDoc, type AdminApp, type AdminDeps, IdParams, NoContent } from '../admin/index.ts';
import { assertMay } from '../access/index.ts';
import {
  createIdentityProviderAs, deleteIdentityProviderAs, getIdentityProvider, listIdentityProviders, updateIdentityProviderAs, type IdentityProviderChange,
} from './providers.service.ts';
import { IdentityProviderCreate, IdentityProviderPage, IdentityProviderUpdate, IdentityProviderView, identityProviderView } from './identity-providers.admin-schemas.ts';

type Body = Partial<{
  name: string; issuer: string; client_id: string; client_secret: string; scope: string; group_claim: string | null;
  mappings: Array<{ value: string; team: string }>; jit: boolean; trust_email: boolean; allowed_domains: string[]; end_upstream_session: boolean; enabled: boolean;
}>;

function toChange(b: Body): IdentityProviderChange {
  const change: IdentityProviderChange = {
    name: b.name, issuer: b.issuer, clientId: b.client_id, clientSecret: b.client_secret, scope: b.scope, groupClaim: b.group_claim,
    mappings: b.mappings, allowJit: b.jit, trustEmail: b.trust_email, allowedDomains: b.allowed_domains, endUpstreamSession: b.end_upstream_session, isEnabled: b.enabled,
  };
  return Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as IdentityProviderChange;
}

export async function identityProvidersAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  const view = identityProviderView.bind(null, deps.config.baseUrl);

  app.get('/identity-providers', {
    schema: { ...adminDoc('admin_identity_providers_list', 'Upstream identity providers', { 200: IdentityProviderPage }) },
  }, async (request) => {
    assertMay(actorOf(request), 'identity-providers.manage');
    const items = await listIdentityProviders(deps);
    return { items: items.map(view), total: items.length, page: 1, pageSize: Math.max(items.length, 1) };
  });

  app.post('/identity-providers', {
    schema: {
      ...adminDoc('admin_identity_providers_create', 'Register an upstream OpenID Connect provider', { 201: IdentityProviderView, 409: { description: '`IDP_SLUG_TAKEN`', $ref: 'AdminError' } }),
      body: IdentityProviderCreate,
    },
  }, async (request, reply) => {
    const b = request.body;
    const created = await createIdentityProviderAs(deps, actorOf(request), { ...toChange(b), slug: b.slug, issuer: b.issuer ?? '', preset: b.preset, clientId: b.client_id, clientSecret: b.client_secret });
    return reply.status(201).send(view(created));
  });

  app.get('/identity-providers/:id', {
    schema: { ...adminDoc('admin_identity_providers_retrieve', 'An upstream identity provider', { 200: IdentityProviderView }), params: IdParams },
  }, async (request) => {
    assertMay(actorOf(request), 'identity-providers.manage');
    return view(await getIdentityProvider(deps, request.params.id));
  });

  app.patch('/identity-providers/:id', {
    schema: { ...adminDoc('admin_identity_providers_update', 'Change an upstream identity provider (a new client_secret replaces the old)', { 200: IdentityProviderView }), params: IdParams, body: IdentityProviderUpdate },
  }, async (request) => view(await updateIdentityProviderAs(deps, actorOf(request), request.params.id, toChange(request.body))));

  app.delete('/identity-providers/:id', {
    schema: { ...adminDoc('admin_identity_providers_destroy', 'Delete an upstream identity provider and its links (its users keep their accounts)', { 204: NoContent }), params: IdParams },
  }, async (request, reply) => {
    await deleteIdentityProviderAs(deps, actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}

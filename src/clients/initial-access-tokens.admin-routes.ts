// /api/admin/initial-access-tokens (superusers only, #24): the tokens that let an application
// register itself as a client (RFC 7591 dynamic registration at /openid/register, when
// DJAM_DYNAMIC_REGISTRATION is on). The token is shown once; the list names each by its id (a
// keyed hash, not the token) with its expiry; revoking deletes it. Each carries the `djam`
// registration policy (no admin scope, nothing DJAM-specific from the registrant).
import { Type } from 'typebox';
import { actorOf, superuserFor, adminDoc, iso, NoContent, type AdminApp, type AdminDeps } from '../admin/index.ts';
import { audited } from '../access/index.ts';
import { lookupHash } from '../crypto/keys.ts';
import { deleteInitialAccessToken, listInitialAccessTokens } from './initial-access-tokens.service.ts';
import { AppError } from '../errors.ts';

const POLICY = 'djam';

const TokenInput = Type.Object({
  expires_in: Type.Integer({ minimum: 60, maximum: 30 * 24 * 3600, description: 'Seconds the token may be used to register clients.' }),
  policies: Type.Optional(Type.Array(Type.String({ enum: [POLICY] }), { maxItems: 1, description: 'Registration policies; `djam` is always applied.' })),
}, { additionalProperties: false });
const TokenView = Type.Object({ id: Type.String(), expires_at: Type.String(), policies: Type.Array(Type.String()) });
const TokenCreated = Type.Object({ ...TokenView.properties, token: Type.String({ description: 'Shown this once.' }) });
const TokenList = Type.Object({ items: Type.Array(TokenView) });
const TokenParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{64}$' }) });

export async function initialAccessTokensAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  app.post('/initial-access-tokens', {
    onRequest: superuserFor('initial-access-tokens.manage'),
    schema: { ...adminDoc('admin_initial_access_tokens_create', 'Issue an initial access token for dynamic client registration; the token is in this answer only (superusers only)', { 201: TokenCreated }), body: TokenInput },
  }, async (request, reply) => {
    const expiresAt = new Date(Date.now() + request.body.expires_in * 1000);
    const token = await new deps.provider.InitialAccessToken({ expiresIn: request.body.expires_in, policies: [POLICY] }).save();
    const id = lookupHash(deps.keys, `oidc:${token}`);
    await audited(deps.db, actorOf(request), async () => ({
      action: 'initial-access-token.create', entityType: 'initial-access-token', entityId: id, after: { expires_at: iso(expiresAt) }, result: undefined,
    }));
    return reply.status(201).send({ id, token, expires_at: iso(expiresAt)!, policies: [POLICY] });
  });

  app.get('/initial-access-tokens', {
    onRequest: superuserFor('initial-access-tokens.manage'),
    schema: adminDoc('admin_initial_access_tokens_list', 'Initial access tokens that have not expired (never the tokens; superusers only)', { 200: TokenList }),
  }, async () => {
    const rows = await listInitialAccessTokens(deps);
    return { items: rows.map((r) => ({ id: r.id, expires_at: iso(r.expiresAt)!, policies: r.policies })) };
  });

  app.delete('/initial-access-tokens/:id', {
    onRequest: superuserFor('initial-access-tokens.manage'),
    schema: { ...adminDoc('admin_initial_access_tokens_destroy', 'Revoke an initial access token (superusers only)', { 204: NoContent }), params: TokenParams },
  }, async (request, reply) => {
    await audited(deps.db, actorOf(request), async (tx) => {
      if (!(await deleteInitialAccessToken({ db: tx }, request.params.id))) throw new AppError('NOT_FOUND');
      return { action: 'initial-access-token.revoke', entityType: 'initial-access-token', entityId: request.params.id, result: undefined };
    });
    return reply.status(204).send(null);
  });
}

// /api/admin/signing-keys (superusers only): the keys that sign id_tokens, JWT access tokens and
// the proxy's identity JWTs, each with its state (#20). A rotation publishes the new key on every
// node at once (the change feed) and it signs from DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS
// later, or at once with activate_now: true; older keys stay published until tokens they signed
// have expired, then are deleted.
import {
  activationTime, announceSigningKeys, createRsaSigningKey, listSigningKeys, type SigningKeyState,
} from './index.ts';
import { actorOf, superuserFor, adminDoc, type AdminApp, type AdminDeps, iso } from '../admin/index.ts';
import { SigningKeyCreated, SigningKeyList, SigningKeyRotation } from './signing-keys.admin-schemas.ts';
import { audited } from '../access/index.ts';

interface Timeline {
  key: { kid: string; alg: string; createdAt: Date; activatesAt: Date };
  state: SigningKeyState; signsUntil?: Date; publishedUntil?: Date;
}

const signingKeyView = (t: Timeline) => ({
  kid: t.key.kid, alg: t.key.alg, state: t.state, created_at: iso(t.key.createdAt), activates_at: iso(t.key.activatesAt),
  signs_until: iso(t.signsUntil ?? null), published_until: iso(t.publishedUntil ?? null),
});

export async function signingKeysAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  app.get('/signing-keys', {
    onRequest: superuserFor('signing-keys.manage'),
    schema: adminDoc('admin_signing_keys_list', 'Signing keys with their states, latest activation first (superusers only)', { 200: SigningKeyList }),
  }, async () => ({ items: (await listSigningKeys(deps)).map(signingKeyView) }));

  app.post('/signing-keys', {
    onRequest: superuserFor('signing-keys.manage'),
    schema: {
      ...adminDoc('admin_signing_keys_create', 'Rotate: a new RSA key, published by every node at once, signs after the activation delay or, with activate_now, at once (superusers only)', { 201: SigningKeyCreated }),
      body: SigningKeyRotation,
    },
  }, async (request, reply) => {
    const activatesAt = activationTime(deps.config, request.body?.activate_now === true);
    const kid = await audited(deps.db, actorOf(request), async (tx) => {
      const created = await createRsaSigningKey({ db: tx, keys: deps.keys }, activatesAt);
      return { action: 'signing-key.create', entityType: 'signing-key', entityId: created, after: { kid: created, activates_at: iso(activatesAt) }, result: created };
    });
    // After the commit: every node reloads (this request answers once they have heard of it).
    await announceSigningKeys(deps.db, kid);
    await deps.signingKeys.refresh();
    const created = (await listSigningKeys(deps)).find((t) => t.key.kid === kid)!;
    return reply.status(201).send(signingKeyView(created));
  });
}

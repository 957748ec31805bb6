// /api/admin/signing-keys (superusers only): the keys that sign id_tokens. A new key is stored
// as the signing key, the old ones stay published; the running processes load keys at start,
// so the new key signs from the next start (restart every node), as `djam creatersakey`.
import { createRsaSigningKey, listSigningKeys } from '../signing-keys/index.ts';
import { actorOf, superuserFor } from './admin.guard.ts';
import { adminDoc } from './admin.docs.ts';
import type { AdminApp, AdminDeps } from './admin.routes.ts';
import { SigningKeyCreated, SigningKeyList } from './admin.schemas.ts';
import { audited } from '../access/index.ts';
import { iso } from './views.ts';

export async function signingKeysAdminRoutes(app: AdminApp, deps: AdminDeps): Promise<void> {
  app.get('/signing-keys', {
    onRequest: superuserFor('signing-keys.manage'),
    schema: adminDoc('admin_signing_keys_list', 'Signing keys, newest first (superusers only)', { 200: SigningKeyList }),
  }, async () => {
    const keys = await listSigningKeys(deps);
    return { items: keys.map((k) => ({ kid: k.kid, alg: k.alg, created_at: iso(k.createdAt), retired_at: iso(k.retiredAt) })) };
  });

  app.post('/signing-keys', {
    onRequest: superuserFor('signing-keys.manage'),
    schema: adminDoc('admin_signing_keys_create', 'Rotate: a new RSA key signs from the next start of the server; older keys stay published (superusers only)', { 201: SigningKeyCreated }),
  }, async (request, reply) => {
    const kid = await audited(deps.db, actorOf(request), async (tx) => {
      const created = await createRsaSigningKey({ db: tx, keys: deps.keys });
      return { action: 'signing-key.create', entityType: 'signing-key', entityId: created, after: { kid: created }, result: created };
    });
    return reply.status(201).send({ kid, takes_effect: 'next-start' });
  });
}

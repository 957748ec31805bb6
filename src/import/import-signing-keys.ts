// The original's RSA signing keys, matched by kid (the MD5 of the stored PEM, as
// django-oidc-provider computes it, so JWS headers keep naming the same kid). They arrive
// retired: published in the JWKS, so tokens the original signed keep verifying, while this
// server's own key keeps signing. Only when there is no key here yet, the newest imported one signs.
import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { exportJWK } from 'jose';
import { signingKeys } from '../db/schema.ts';
import { seal } from '../crypto/keys.ts';
import { conflict, insertInChunks, type ImportContext } from './import-context.ts';

function readRsaKey(pem: string): KeyObject | undefined {
  try {
    const key = createPrivateKey(pem);
    return key.asymmetricKeyType === 'rsa' ? key : undefined;
  } catch {
    return undefined;
  }
}

export async function importSigningKeys(ctx: ImportContext): Promise<void> {
  const here = await ctx.db.select({ kid: signingKeys.kid }).from(signingKeys);
  const kids = new Set(here.map((k) => k.kid));
  const fresh: Array<{ kid: string; key: KeyObject }> = [];
  for (const src of ctx.source.rsaKeys) {
    const kid = createHash('md5').update(src.pem, 'utf8').digest('hex');
    const key = readRsaKey(src.pem);
    if (!key) conflict(ctx, { table: 'signing keys', row: `#${src.id} (kid ${kid})`, resolved: false, reason: 'its PEM is not a readable RSA private key' });
    else if (kids.has(kid)) ctx.report.tallies['signing keys'].unchanged++;
    else fresh.push({ kid, key });
    kids.add(kid);
  }
  // Source order is id order, so the last one is the newest.
  const signer = here.length === 0 ? fresh.at(-1)?.kid : undefined;
  const rows: Array<typeof signingKeys.$inferInsert> = [];
  for (const { kid, key } of fresh) {
    const jwk = { ...(await exportJWK(key)), kid, alg: 'RS256', use: 'sig' };
    rows.push({
      id: ctx.ids.next('signing_keys'), kid, alg: 'RS256', privateJwkSealed: seal(ctx.keys, JSON.stringify(jwk)),
      createdAt: ctx.now, retiredAt: kid === signer ? null : ctx.now,
    });
  }
  await insertInChunks(ctx, 'signing keys', rows, (chunk) => ctx.db.insert(signingKeys).values(chunk));
  ctx.report.tallies['signing keys'].imported += rows.length;
}

// API keys, matched by value (its keyed hash). The same UUIDs keep working: each is stored our
// way (keyed hash to find it, AES-GCM sealed copy for its owner) with scope, expiry and revoked
// as they were. A key keeps its original id (the key API shows it) when free; otherwise it gets a
// new one and the summary lists the mapping. Key values never appear in the summary.
import { apiKeys } from '../db/schema.ts';
import { lookupHash, seal } from '../crypto/keys.ts';
import { canonicalKey } from '../api-keys/index.ts';
import { conflict, insertInChunks, type ImportContext } from './import-context.ts';
import type { SourceApiKey } from './source.types.ts';

interface Here { id: number; keyHash: string; userId: number; revoked: boolean; expiry: Date; scope: string }
interface Planned { src: SourceApiKey; key: string; keyHash: string; userId: number }

const label = (src: SourceApiKey) => `#${src.id} (${src.scope || 'unscoped'} key of user #${src.userId})`;

/** A key already here: unchanged, or a conflict when its owner or state differs from the original's. */
function reportMatch(ctx: ImportContext, src: SourceApiKey, here: Here, userId: number): void {
  const unresolved = (reason: string) => conflict(ctx, { table: 'api keys', row: label(src), resolved: false, reason });
  if (here.userId !== userId) return unresolved(`the same value is a key of user #${here.userId} here`);
  const drift = [
    here.revoked !== src.revoked && `revoked is ${here.revoked} here but ${src.revoked} in the original`,
    here.expiry.getTime() !== src.expiry.getTime() && `expiry is ${here.expiry.toISOString()} here but ${src.expiry.toISOString()} in the original`,
    here.scope !== src.scope && `scope is "${here.scope}" here but "${src.scope}" in the original`,
  ].filter(Boolean);
  if (drift.length) return unresolved(`${drift.join(', ')}; left as it is here`);
  ctx.report.tallies['api keys'].unchanged++;
}

function planKeys(ctx: ImportContext, byHash: Map<string, Here>): Planned[] {
  const firstOfValue = new Map<string, SourceApiKey>();
  const planned: Planned[] = [];
  for (const src of ctx.source.apiKeys) {
    const unresolved = (reason: string) => conflict(ctx, { table: 'api keys', row: label(src), resolved: false, reason });
    const key = canonicalKey(src.key);
    const twin = key && firstOfValue.get(key);
    const userId = ctx.map.users.get(src.userId);
    if (!key) unresolved('its value is not a UUID');
    else if (twin) unresolved(`it has the same value as key #${twin.id}, which alone is imported`);
    else if (userId === undefined) unresolved(`its owner, user #${src.userId}, was not imported`);
    if (!key || twin || userId === undefined) continue;
    firstOfValue.set(key, src);
    const keyHash = lookupHash(ctx.keys, key);
    const here = byHash.get(keyHash);
    if (here) reportMatch(ctx, src, here, userId);
    else planned.push({ src, key, keyHash, userId });
  }
  return planned;
}

export async function importApiKeys(ctx: ImportContext): Promise<void> {
  const here = await ctx.db.select({
    id: apiKeys.id, keyHash: apiKeys.keyHash, userId: apiKeys.userId, revoked: apiKeys.revoked, expiry: apiKeys.expiry, scope: apiKeys.scope,
  }).from(apiKeys);
  const ids = new Set(here.map((k) => k.id));
  const planned = planKeys(ctx, new Map(here.map((k) => [k.keyHash, { ...k, expiry: new Date(k.expiry) }])));
  for (const p of planned) if (!ids.has(p.src.id)) ctx.ids.keep('api_keys', p.src.id);
  const rows = planned.map(({ src, key, keyHash, userId }) => {
    const id = ids.has(src.id) ? ctx.ids.next('api_keys') : src.id;
    if (id !== src.id) conflict(ctx, { table: 'api keys', row: label(src), resolved: true, reason: `id ${src.id} is taken here; imported as #${id}` });
    return {
      id, userId, keyHash, keySealed: seal(ctx.keys, key), scope: src.scope, revoked: src.revoked, expiry: src.expiry,
      lastModified: src.lastModified, createdAt: ctx.now,
    };
  });
  await insertInChunks(ctx, 'api keys', rows, (chunk) => ctx.db.insert(apiKeys).values(chunk));
  ctx.report.tallies['api keys'].imported += rows.length;
}

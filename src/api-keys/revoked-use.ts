// #21 api_key.used_after_revocation: a revoked key presented at a key door (GeoServer's authkey
// introspection and users endpoint, the proxy's `?authkey=`, the key API) is an event, on the
// refusal path only (a usable key costs nothing more). Throttled per node: at most one event per
// key a minute; the presentations refused in between are counted in the next event's
// `changes.presentations` (a script retrying a revoked key in a loop writes one row a minute,
// not one a request). Never the key's value: its id and scope only.
import type { Db } from '../db/client.ts';
import { apiKeyActor } from '../access/index.ts';
import { recordEvent } from '../events/index.ts';
import type { FoundKey } from './api-keys.service.ts';

const WINDOW_MS = 60_000;
const MAX_TRACKED = 10_000;
const lastEvent = new Map<number, { at: number; refused: number }>();

/** Records (or counts, within the minute) the presentation of `key` when it is revoked; returns at once otherwise. */
export async function noteRevokedKeyUse(deps: { db: Db }, key: FoundKey | undefined, door: string, now = Date.now()): Promise<void> {
  if (!key?.revoked) return;
  const seen = lastEvent.get(key.id);
  if (seen && now - seen.at < WINDOW_MS) {
    seen.refused += 1;
    return;
  }
  if (lastEvent.size >= MAX_TRACKED) lastEvent.clear();
  lastEvent.set(key.id, { at: now, refused: 0 });
  const owner = { id: key.userId, email: key.owner.email, isStaff: key.owner.isStaff, isSuperuser: key.owner.isSuperuser };
  await recordEvent(deps.db, apiKeyActor(key.id, owner), {
    type: 'api_key.used_after_revocation', outcome: 'failure', subject: `api_key:${key.id}`, userId: key.userId,
    changes: { door, key_id: key.id, scope: key.scope, presentations: 1 + (seen?.refused ?? 0) },
  });
}

// The keys this node publishes and signs with, kept current without a restart (#20): reloaded
// when the change feed announces a signing-key change, and re-evaluated at the next state
// change (an activation, a key leaving the JWKS) by the node's own clock, so no node depends on
// a message to switch signer. When the feed's connection comes back the keys are reread (a
// notification may have been missed meanwhile), and a periodic reload covers the rest.
import type { ChangeFeed } from '../db/change-feed.ts';
import type { Db } from '../db/client.ts';
import { signingKeys } from '../db/schema.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { AppError } from '../errors.ts';
import { keyTimelines, nextTransition, signedTokenLifetimeSeconds, signerOf } from './signing-key-states.ts';
import { SIGNING_KEY_TOPIC, unsealSigningKey, type SigningJwk, type SigningKeyRow } from './signing-keys.service.ts';

// Without any announcement a node still rereads the keys this often (a key created while its
// feed was down is published long before its activation, which defaults to an hour).
const RELOAD_MS = 60_000;
// A timer set for a state change fires a little after it, never on the wrong side of it.
const AFTER_TRANSITION_MS = 20;

export interface KeySet {
  /** The key that signs now. */
  signer: SigningJwk;
  /** Every key in the JWKS (next, active, retiring), the signer first. */
  published: SigningJwk[];
}

export interface SigningKeyRing {
  current(): KeySet;
  /** Called with the new set whenever the signer or the published keys change. */
  onChange(listener: (keys: KeySet) => void): void;
  /** Rereads the keys now (also after this node created one). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

interface RingDeps {
  db: Db; keys: SecretKeys; changes: ChangeFeed;
  config: Parameters<typeof signedTokenLifetimeSeconds>[0];
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

const fingerprint = (set: KeySet) => set.published.map((k) => k.kid).join(',');

function keySetAt(deps: RingDeps, rows: SigningKeyRow[], unsealed: Map<string, SigningJwk>, now: Date) {
  const timelines = keyTimelines(rows, now, signedTokenLifetimeSeconds(deps.config));
  const signer = signerOf(timelines);
  if (!signer) throw new AppError('SIGNING_KEY_MISSING');
  const jwk = (row: SigningKeyRow) => unsealed.get(row.kid) ?? unsealed.set(row.kid, unsealSigningKey(deps.keys, row)).get(row.kid)!;
  const others = timelines.filter((t) => t.state !== 'retired' && t.key !== signer).map((t) => jwk(t.key));
  return { set: { signer: jwk(signer), published: [jwk(signer), ...others] }, next: nextTransition(timelines, now) };
}

export async function openSigningKeyRing(deps: RingDeps): Promise<SigningKeyRing> {
  const unsealed = new Map<string, SigningJwk>(); // kid → private JWK: unsealing is done once per key
  const listeners: Array<(keys: KeySet) => void> = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let running: Promise<void> | undefined;
  let again = false;

  const evaluate = async () => {
    const rows = await deps.db.select().from(signingKeys);
    for (const kid of unsealed.keys()) if (!rows.some((r) => r.kid === kid)) unsealed.delete(kid);
    const { set, next } = keySetAt(deps, rows, unsealed, new Date());
    if (fingerprint(set) !== fingerprint(current)) {
      current = set;
      deps.log.info({ signer: set.signer.kid, published: set.published.map((k) => k.kid) }, 'signing_keys.changed');
      for (const listener of listeners) {
        try { listener(set); } catch (err) { deps.log.warn({ err }, 'signing_keys.apply_failed'); }
      }
    }
    return next;
  };
  const schedule = (next: Date | undefined) => {
    clearTimeout(timer);
    if (closed) return;
    const delayMs = next ? Math.min(RELOAD_MS, next.getTime() - Date.now() + AFTER_TRANSITION_MS) : RELOAD_MS;
    timer = setTimeout(() => void refresh(), Math.max(0, delayMs));
    timer.unref();
  };
  // One reload at a time; a request for another during it runs once more afterwards.
  const refresh = async (): Promise<void> => {
    if (running) { again = true; return running; }
    running = evaluate().then(schedule, (err: unknown) => {
      deps.log.warn({ err }, 'signing_keys.reload_failed'); // keep the keys in force, try again later
      schedule(undefined);
    }).finally(() => { running = undefined; });
    await running;
    if (again) { again = false; await refresh(); }
  };

  const rows = await deps.db.select().from(signingKeys);
  const first = keySetAt(deps, rows, unsealed, new Date());
  let current: KeySet = first.set;
  schedule(first.next);
  const unsubscribe = deps.changes.subscribe((change) => {
    if (change.topic === SIGNING_KEY_TOPIC) void refresh();
  });
  const unwatch = deps.changes.onLiveness((live) => { if (live) void refresh(); });
  return {
    current: () => current,
    onChange: (listener) => { listeners.push(listener); },
    refresh,
    close: async () => { closed = true; clearTimeout(timer); unsubscribe(); unwatch(); },
  };
}

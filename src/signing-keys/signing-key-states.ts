// A signing key's life (#20), computed from its row, the other rows and the clock alone, so that
// every node reaches the same answer with no leader and no message:
//   next      published in the JWKS, not signing yet (until activates_at);
//   active    the signer: the latest key whose activates_at has passed;
//   retiring  a newer key took over (or it was retired outright); still published until every
//             token it signed has expired (the longest lifetime of a signed token);
//   retired   no longer published; the sweep deletes it.
import type { Config } from '../config.ts';

export type SigningKeyState = 'next' | 'active' | 'retiring' | 'retired';

export interface KeyTimes { id: number; kid: string; activatesAt: Date; retiredAt: Date | null }

export interface KeyTimeline<K extends KeyTimes = KeyTimes> {
  key: K;
  state: SigningKeyState;
  /** When it stops signing: when the next key activates (or it was retired); undefined while none follows. */
  signsUntil?: Date;
  /** When it leaves the JWKS: signsUntil plus the longest token lifetime. */
  publishedUntil?: Date;
}

// The proxy's identity JWTs live 60 s (src/proxy/identity-token.ts), less than any setting below.
const PROXY_IDENTITY_TTL_SECONDS = 60;

/** How long a token signed by a key may still be presented: the longest lifetime of any signed token. */
export function signedTokenLifetimeSeconds(config: Pick<Config, 'DJAM_ID_TOKEN_TTL_SECONDS' | 'DJAM_ACCESS_TOKEN_TTL_SECONDS' | 'resourceServers'>): number {
  const apiTtls = Object.values(config.resourceServers).map((s) => s.ttl ?? 0);
  return Math.max(config.DJAM_ID_TOKEN_TTL_SECONDS, config.DJAM_ACCESS_TOKEN_TTL_SECONDS, PROXY_IDENTITY_TTL_SECONDS, ...apiTtls);
}

const byActivation = (a: KeyTimes, b: KeyTimes) => a.activatesAt.getTime() - b.activatesAt.getTime() || a.id - b.id;

/** Each key's state at `now`, newest activation first. */
export function keyTimelines<K extends KeyTimes>(rows: readonly K[], now: Date, lifetimeSeconds: number): Array<KeyTimeline<K>> {
  // A key signs from its activation until the next (not retired) key's activation takes over.
  const succession = rows.filter((r) => r.retiredAt === null).sort(byActivation);
  const until = new Map<K, Date | undefined>(succession.map((k, i) => [k, succession[i + 1]?.activatesAt]));
  return [...rows].sort(byActivation).reverse().map((key) => {
    const signsUntil = key.retiredAt ?? until.get(key);
    const publishedUntil = signsUntil && new Date(signsUntil.getTime() + lifetimeSeconds * 1000);
    let state: SigningKeyState = key.activatesAt > now ? 'next' : 'active';
    if (signsUntil && signsUntil <= now) state = publishedUntil! > now ? 'retiring' : 'retired';
    return { key, state, signsUntil, publishedUntil };
  });
}

/**
 * The key that signs at `now`: the active one. Should none be active (every key retired outright,
 * or only a future one), a key every node publishes still signs rather than none: the latest
 * retiring key, else the first next one.
 */
export function signerOf<K extends KeyTimes>(timelines: ReadonlyArray<KeyTimeline<K>>): K | undefined {
  const pick = (state: SigningKeyState) => timelines.filter((t) => t.state === state);
  return (pick('active')[0] ?? pick('retiring')[0] ?? pick('next').at(-1))?.key;
}

/** The next instant at which some key changes state: the nodes look again then. */
export function nextTransition(timelines: readonly KeyTimeline[], now: Date): Date | undefined {
  const times = timelines.flatMap((t) => [t.key.activatesAt, t.signsUntil, t.publishedUntil])
    .filter((d): d is Date => d !== undefined && d > now);
  return times.length ? new Date(Math.min(...times.map((d) => d.getTime()))) : undefined;
}

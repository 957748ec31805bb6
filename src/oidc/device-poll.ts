// RFC 8628 §3.5: a device polling the token endpoint faster than the interval it was given is
// answered `slow_down` (the provider defines the error but leaves the pacing to its host). The
// last poll of each device code still pending is remembered by this node, by a hash of the code;
// a device polling two nodes alternately is paced by each.
import { createHash } from 'node:crypto';
import type { KoaContextWithOIDC } from 'oidc-provider';

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** The interval the device authorization response gives (seconds). */
const DEVICE_POLL_INTERVAL = 5;
const MAX_TRACKED = 10_000;

function deviceCodeOf(ctx: KoaContextWithOIDC): string | undefined {
  const body = (ctx.req as { body?: unknown }).body;
  if (typeof body !== 'string' || !body.includes('device_code')) return undefined;
  const params = new URLSearchParams(body);
  return params.get('grant_type') === DEVICE_CODE_GRANT ? params.get('device_code') ?? undefined : undefined;
}

export function devicePollPacing() {
  const lastPoll = new Map<string, number>();
  const forgetOld = (now: number) => {
    if (lastPoll.size < MAX_TRACKED) return;
    for (const [key, at] of lastPoll) if (now - at > 30 * 60_000) lastPoll.delete(key);
    if (lastPoll.size >= MAX_TRACKED) lastPoll.clear();
  };
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    const code = ctx.path === '/token' && ctx.method === 'POST' ? deviceCodeOf(ctx) : undefined;
    if (!code) return next();
    const key = createHash('sha256').update(code).digest('base64url');
    const now = Date.now();
    const previous = lastPoll.get(key);
    if (previous !== undefined && now - previous < DEVICE_POLL_INTERVAL * 1000) {
      lastPoll.set(key, now);
      ctx.status = 400;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { error: 'slow_down', error_description: `polling too quickly: wait at least ${DEVICE_POLL_INTERVAL} seconds more between requests` };
      return;
    }
    await next();
    const error = (ctx.body as { error?: unknown } | undefined)?.error;
    if (error === 'authorization_pending') {
      forgetOld(now);
      lastPoll.set(key, now);
    } else lastPoll.delete(key);
  };
}

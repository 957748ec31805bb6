// OIDC Back-Channel Logout 1.0 through the durable queue (#24). The provider signs the logout
// token and POSTs it itself, inline, once (and gives up after 2.5 s). Here its POST becomes a job:
// the provider's `fetch` (configuration.fetch), asked to POST a logout token, enqueues
// `oidc.backchannel_logout` {client, sub, sid} instead and answers "delivered". The job, run by
// a server process, asks the provider again to sign a fresh token (logout tokens live 120 s) and
// POST it, this time for real: a receiver that is down or answers other than 200/204 fails the
// job, which is retried (DJAM_JOB_RETRY_SECONDS, doubling) and ends dead in the jobs list, from
// where an administrator can retry it — never silently lost.
import { AsyncLocalStorage } from 'node:async_hooks';
import { decodeJwt } from 'jose';
import type Provider from 'oidc-provider';
import type { Db } from '../db/client.ts';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { JobHandlers } from '../queue/index.ts';
import { oidcPayloads } from '../db/schema.ts';
import { USER_SESSIONS_ENDED_JOB } from '../users/index.ts';

const BACKCHANNEL_LOGOUT_JOB = 'oidc.backchannel_logout';
const DELIVERY_TIMEOUT_MS = 10_000;

/** Set while a job delivers: the provider's POST then goes out. */
const delivering = new AsyncLocalStorage<true>();

interface LogoutJob { client_id: string; sub: string; sid?: string }
/** What the provider's Client offers for this (its typings leave the method out). */
interface LogoutClient { backchannelLogoutUri?: string; backchannelLogout(sub: string, sid: string): Promise<void> }

function logoutTokenOf(body: unknown): string | undefined {
  return body instanceof URLSearchParams ? body.get('logout_token') ?? undefined : undefined;
}

/**
 * The provider's outgoing requests (configuration.fetch). Logout tokens are queued unless a job is
 * delivering; everything else (a client's jwks_uri, a request_uri) goes out as the provider asked.
 * Deliveries go to the URIs administrators registered, private addresses included (an intranet
 * application), so the provider's special-use-address guard is not applied to them.
 */
export function providerFetch(enqueue: () => ((db: Db, type: string, payload: Record<string, unknown>) => Promise<number>) | undefined, db: Db) {
  return async (url: URL | string, options: RequestInit & { dispatcher?: unknown }): Promise<Response> => {
    const token = logoutTokenOf(options.body);
    if (!token) return fetch(url, options);
    if (delivering.getStore()) {
      const { dispatcher: _guard, signal: _short, ...rest } = options;
      return fetch(url, { ...rest, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
    }
    const add = enqueue();
    if (!add) return fetch(url, options); // no queue (a provider built without one): the provider's own inline POST
    const claims = decodeJwt(token);
    const job: LogoutJob = { client_id: String(claims.aud), sub: String(claims.sub), ...(typeof claims.sid === 'string' ? { sid: claims.sid } : {}) };
    await add(db, BACKCHANNEL_LOGOUT_JOB, { ...job });
    return new Response(null, { status: 204 });
  };
}

type Authorizations = Record<string, { sid?: string } | undefined>;

/**
 * Every application the user's provider sessions signed in to that listens, told (one job each,
 * through the provider's fetch): after DJAM ended all the user's sessions (deactivation, an
 * administrator, a password reset link).
 */
async function tellApplicationsOf(provider: Provider, db: Db, accountId: string): Promise<void> {
  const rows = await db.select({ payload: oidcPayloads.payload }).from(oidcPayloads).where(and(
    eq(oidcPayloads.model, 'Session'), sql`${oidcPayloads.payload}->>'accountId' = ${accountId}`,
    or(isNull(oidcPayloads.expiresAt), gt(oidcPayloads.expiresAt, sql`now()`)),
  ));
  for (const { payload } of rows) {
    for (const [clientId, authorization] of Object.entries((payload.authorizations ?? {}) as Authorizations)) {
      const client = await provider.Client.find(clientId) as unknown as LogoutClient | undefined;
      if (client?.backchannelLogoutUri) await client.backchannelLogout(accountId, authorization?.sid ?? '');
    }
  }
}

/** The jobs: the provider signs a fresh logout token for the client and POSTs it (throws unless 200/204). */
export function backchannelLogoutJobs(provider: () => Provider | undefined | Promise<Provider | undefined>, db: Db): JobHandlers {
  return {
    async [USER_SESSIONS_ENDED_JOB](payload) {
      const p = await provider();
      if (!p) throw new Error('back-channel logouts are delivered by a DJAM server process');
      await tellApplicationsOf(p, db, String(payload.user_id));
    },
    async [BACKCHANNEL_LOGOUT_JOB](payload) {
      const p = await provider();
      if (!p) throw new Error('back-channel logouts are delivered by a DJAM server process');
      const { client_id: clientId, sub, sid } = payload as unknown as LogoutJob;
      const client = await p.Client.find(clientId) as unknown as LogoutClient | undefined;
      if (!client?.backchannelLogoutUri) return; // the client was deleted or no longer listens
      await delivering.run(true, () => client.backchannelLogout(sub, sid ?? ''));
    },
  };
}

/** A provider session's back-channel logouts (DJAM's own sign-out, which ends the provider session too). */
export async function sendBackchannelLogouts(provider: Provider, session: InstanceType<Provider['Session']>): Promise<void> {
  const accountId = session.accountId;
  if (!accountId) return;
  for (const clientId of Object.keys(session.authorizations ?? {})) {
    const client = await provider.Client.find(clientId) as unknown as LogoutClient | undefined;
    if (client?.backchannelLogoutUri) await client.backchannelLogout(accountId, session.sidFor(clientId) ?? '');
  }
}

// The server a fuzz run storms, with a client that can still get a token afterwards.
import assert from 'node:assert/strict';
import { startTestServer, type TeardownContext, type TestServer } from '../helpers/start-server.ts';

export const CLIENT = { clientId: 'fuzzclient', clientSecret: 'fuzzsecret' };

/** `t`: where the server's teardown goes (a file-level before()'s context, or any `{ after }`). */
export async function startFuzzServer(t: TeardownContext): Promise<{ server: TestServer; port: number; apiPaths: string[] }> {
  // The storm comes from one IP and fails client authentication thousands of times: the shared
  // key-check limit (#20) would rightly refuse that IP, the normal token request included. The
  // storm looks for 5xx and resets, not limits, so the limit is lifted here.
  const server = await startTestServer(t, { DJAM_KEY_CHECK_RATE_LIMIT: '100000000' });
  await server.make.client({ ...CLIENT, grantType: 'client_credentials', redirectUris: [], scope: 'openid read', requireConsent: false });
  const doc = await (await fetch(`${server.url}/openid/api/schema/?format=json`)).json() as { paths: Record<string, unknown> };
  return { server, port: Number(new URL(server.url).port), apiPaths: Object.keys(doc.paths) };
}

/** The normal client-credentials request still gets a token (the storm left the server working). */
export async function assertTokenStillIssued(server: TestServer): Promise<void> {
  const res = await fetch(`${server.url}/openid/token`, {
    method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  assert.equal(typeof (JSON.parse(text) as { access_token?: unknown }).access_token, 'string');
}

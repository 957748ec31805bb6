// #18: with SITEURL unset, a local server's issuer and discovery follow the port it listens on
// (DJAM_PORT), or strict clients reject the discovery document (issuer mismatch).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startServerProcess } from '../helpers/server-process.ts';

test('#18 without SITEURL the local profile\'s issuer and discovery URLs name DJAM_PORT', async (t) => {
  const server = await startServerProcess({ SITEURL: '', DJAM_PROJECT_ENVIRONMENT: 'local' });
  t.after(() => server.stop());
  const port = new URL(server.url).port;
  const res = await fetch(`${server.url}/openid/.well-known/openid-configuration`);
  assert.equal(res.status, 200);
  const meta = await res.json() as Record<string, unknown>;
  assert.equal(meta.issuer, `http://localhost:${port}/openid`);
  for (const key of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint']) {
    assert.equal(new URL(String(meta[key])).port, port, key);
  }
});

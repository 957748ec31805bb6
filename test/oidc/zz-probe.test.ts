import { test } from 'node:test';
import { startTestServer } from '../helpers/start-server.ts';
test('probe', async (t) => {
  const server = await startTestServer(t);
  const alice = await server.make.user({ email: 'a@example.com', password: 'alicepass' });
  await server.make.client({ clientId: 'gsclient', clientSecret: 'gssecret', requireConsent: false, scope: 'openid profile email user_id groups token_introspection gsclient' });
  const b = await server.signIn(alice.email, alice.password);
  const q = (s: string) => `/openid/authorize?response_type=code&client_id=gsclient&redirect_uri=http://localhost:8100/cb&scope=${encodeURIComponent(s)}`;
  for (const s of ['openid', 'openid email', 'openid']) {
    const r = await b.get(q(s));
    console.log(s, r.status, r.headers.get('location'));
  }
});

// #21 SSRF: without DJAM_WEBHOOK_ALLOW_PRIVATE a webhook URL must reach a public address, checked
// when it is saved (over the admin API: a clear 400) and on each connection a delivery makes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkWebhookUrl } from '../../src/webhooks/url-check.ts';
import { startTestServer } from '../helpers/start-server.ts';
import { AdminCaller } from '../helpers/admin.fixture.ts';

const inward = [
  'http://127.0.0.1:8000/', 'http://localhost/', 'http://[::1]/', 'http://10.1.2.3/', 'http://172.16.0.1/', 'http://192.168.1.1/',
  'http://169.254.169.254/latest/meta-data/', 'http://100.64.0.1/', 'http://0.0.0.0/', 'http://[::ffff:127.0.0.1]/', 'http://[fd00::1]/',
  'http://[fe80::1]/', 'http://2130706433/', 'http://0x7f.1/',
];

test('#21 webhook URLs that reach inward are refused; public addresses pass', async () => {
  for (const url of inward) {
    await assert.rejects(checkWebhookUrl(url, false), (err: { code?: string }) => err.code === 'WEBHOOK_URL_REFUSED', url);
  }
  assert.equal(await checkWebhookUrl('https://93.184.216.34/hook', false), 'https://93.184.216.34/hook');
  assert.equal(await checkWebhookUrl('http://127.0.0.1:8000/', true), 'http://127.0.0.1:8000/', 'DJAM_WEBHOOK_ALLOW_PRIVATE lets it through');
});

test('#21 the admin API refuses a loopback webhook by default', async (t) => {
  const server = await startTestServer(t);
  const su = await server.make.user({ isStaff: true, isSuperuser: true });
  const root = new AdminCaller(server, { browser: await server.signIn(su.email, su.password) });
  const res = await root.post('/webhooks', { url: `${server.url}/api/admin/users`, event_types: ['*'] });
  assert.deepEqual([res.status, res.body.error, res.body.details.reason], [400, 'WEBHOOK_URL_REFUSED', 'the host is (or resolves to) an internal address']);
});

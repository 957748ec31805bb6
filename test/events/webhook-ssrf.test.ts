// #21 SSRF: without DJAM_WEBHOOK_ALLOW_PRIVATE a webhook URL must reach a public address, checked
// when it is saved (the service calls this check: the admin API answers 400 WEBHOOK_URL_REFUSED,
// see webhooks.test.ts) and on each connection a delivery makes. No server: the rule alone, fast.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { Agent, fetch } from 'undici';
import { checkWebhookUrl, guardedLookup } from '../../src/webhooks/url-check.ts';

const inward = [
  'http://127.0.0.1:8000/', 'http://localhost/', 'http://[::1]/', 'http://10.1.2.3/', 'http://172.16.0.1/', 'http://192.168.1.1/',
  'http://169.254.169.254/latest/meta-data/', 'http://100.64.0.1/', 'http://0.0.0.0/', 'http://[::ffff:127.0.0.1]/', 'http://[fd00::1]/',
  'http://[fe80::1]/', 'http://2130706433/', 'http://0x7f.1/',
  // #21 review: IPv6 forms that carry or reach an IPv4 address inward.
  'http://[::127.0.0.1]/', 'http://[::ffff:0:7f00:1]/', 'http://[64:ff9b:1::a00:1]/', 'http://[fec0::1]/', 'http://[2002:a00:1::]/',
];

test('#21 webhook URLs that reach inward are refused; public addresses pass', async () => {
  for (const url of inward) {
    await assert.rejects(checkWebhookUrl(url, false), (err: { code?: string }) => err.code === 'WEBHOOK_URL_REFUSED', url);
  }
  assert.equal(await checkWebhookUrl('https://93.184.216.34/hook', false), 'https://93.184.216.34/hook');
  assert.equal(await checkWebhookUrl('http://127.0.0.1:8000/', true), 'http://127.0.0.1:8000/', 'DJAM_WEBHOOK_ALLOW_PRIVATE lets it through');
});

test('#21 a delivery\'s connection looks its host up through the guard: a name that resolves inward fails the try', async (t) => {
  const receiver = createServer((_req, res) => res.end('reached')).listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  t.after(() => new Promise<void>((r) => { receiver.closeAllConnections(); receiver.close(() => r()); }));
  const { port } = receiver.address() as { port: number };
  const guarded = new Agent({ connect: { lookup: guardedLookup } });
  t.after(() => guarded.close());
  await assert.rejects(fetch(`http://localhost:${port}/`, { dispatcher: guarded }), (err: Error & { cause?: { code?: string } }) => err.cause?.code === 'EWEBHOOKINTERNAL');
  assert.equal(await (await fetch(`http://localhost:${port}/`, { dispatcher: new Agent() })).text(), 'reached', 'the same request without the guard gets through');
});

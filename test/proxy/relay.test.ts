// How the proxy passes an upstream's answer on (src/proxy/reply-relay.ts), against an upstream
// of this file that answers in awkward ways: in pieces over time, with informational answers
// first, with a status Fastify cannot send, or by breaking off mid-body.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { before, test } from 'node:test';
import { afterOf } from '../helpers/start-server.ts';
import { basicOf, startProxyFixture, type ProxyFixture } from './proxy.fixture.ts';

const PIECE_MS = 300;
const answers: Record<string, (res: ServerResponse) => void> = {
  // Headers and a first piece now, the rest later: the client must see the first part at once.
  '/slow': (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first ');
    setTimeout(() => res.end('second'), PIECE_MS);
  },
  '/hints': (res) => {
    res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
    res.writeHead(200, { 'content-type': 'text/plain' }).end('after hints');
  },
  '/bad-status': (res) => res.writeHead(600, { 'content-type': 'text/plain' }).end('nonsense'),
  '/broken': (res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
    res.write('only part of it');
    setTimeout(() => res.destroy(), 50);
  },
  '/no-type': (res) => res.writeHead(200, { 'content-length': '3' }).end('raw'),
  // Never ends: only the client going away can stop it.
  '/endless': (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const tick = setInterval(() => res.write('tick\n'), 20);
    res.on('close', () => { clearInterval(tick); endlessClosed(); });
  },
};
/** Called when the upstream's endless answer closes. */
let endlessClosed: () => void = () => {};

let F: ProxyFixture;
let origin: string;
before(async (t) => {
  F = await startProxyFixture(t);
  const upstream = createServer((req: IncomingMessage, res: ServerResponse) => (answers[req.url ?? ''] ?? ((r) => r.writeHead(404).end()))(res));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  // Registered after the fixture's: the server that relays to it closes first.
  afterOf(t)(() => new Promise((resolve) => { upstream.closeAllConnections(); upstream.close(() => resolve()); }));
  origin = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  const team = await F.server.make.team('relay-team', [F.people.alice.id]);
  const role = await F.server.make.role('relay-viewer', { teamIds: [team.id] });
  const resource = await F.server.make.resource({ slug: 'awkward', type: 'Upstream Service', url: origin });
  await F.server.make.rule(resource.id, role.id, true);
});

const get = (path: string) => fetch(`${F.B}/service/awkward${path}`, { headers: { authorization: basicOf(F.people.alice) } });

test('an answer that arrives in pieces is streamed: nothing waits for its end', async () => {
  const res = await get('/slow');
  const reader = res.body!.getReader();
  const pieces: string[] = [];
  for (let r = await reader.read(); !r.done; r = await reader.read()) pieces.push(Buffer.from(r.value).toString());
  // Held back until the end, the two pieces would have come as one.
  assert.deepEqual(pieces, ['first ', 'second']);
});

test('informational answers are skipped; the final one is passed on', async () => {
  const res = await get('/hints');
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'after hints');
});

test('a status Fastify cannot send is a 502', async () => {
  const res = await get('/bad-status');
  assert.equal(res.status, 502);
  assert.equal(await res.text(), 'The upstream service is unavailable.');
});

test('an upstream that breaks off mid-body breaks off the client too, never completing the answer', async () => {
  const res = await get('/broken');
  assert.equal(res.status, 200);
  await assert.rejects(res.text());
});

test('an answer without a Content-Type is not given one', async () => {
  const res = await get('/no-type');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), null);
  assert.equal(await res.text(), 'raw');
});

test('a client that goes away mid-answer closes the exchange with the upstream too', async () => {
  const upstreamClosed = new Promise<boolean>((resolve) => { endlessClosed = () => resolve(true); setTimeout(() => resolve(false), 5000); });
  const controller = new AbortController();
  const res = await fetch(`${F.B}/service/awkward/endless`, { headers: { authorization: basicOf(F.people.alice) }, signal: controller.signal });
  await res.body!.getReader().read();
  controller.abort();
  assert.ok(await upstreamClosed, 'the upstream response was closed');
});

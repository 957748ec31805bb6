// #18 §1: no 5xx and no dropped connection for any input, on every route. A seeded storm of
// generated requests (see generators.ts) over raw sockets; `npm run fuzz` runs a long one.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { exchange, serialize, type RawRequest } from './raw-http.ts';
import { describeTally, storm, type Tally } from './storm.ts';
import { judge } from './judge.ts';
import { assertTokenStillIssued, startFuzzServer } from './fuzz-server.ts';

let fuzz: Awaited<ReturnType<typeof startFuzzServer>>;
before(async (t) => { fuzz = await startFuzzServer(t); });

async function answerOf(req: RawRequest): Promise<string | undefined> {
  return judge(req, await exchange(fuzz.port, serialize(fuzz.port, req)));
}

const form = (body: string): Pick<RawRequest, 'headers' | 'body'> => ({ headers: [['content-type', 'application/x-www-form-urlencoded']], body: Buffer.from(body) });
const seen: Array<[string, RawRequest]> = [
  ['#18 the bare /openid path', { method: 'DELETE', target: '/openid?file=../..', headers: [], body: Buffer.alloc(0) }],
  ['#18 a long query on /openid', { method: 'GET', target: `/openid?state=${'a'.repeat(8200)}`, headers: [], body: Buffer.alloc(0) }],
  ['#18 client_id=%00 at authorize', { method: 'GET', target: '/openid/authorize?client_id=%00&response_type=code', headers: [], body: Buffer.alloc(0) }],
  ['#18 client_id=%00 at end-session', { method: 'GET', target: '/openid/end-session?client_id=%00', headers: [], body: Buffer.alloc(0) }],
  ['#18 NUL in a /o/token/ body', { method: 'POST', target: '/o/token/', ...form('grant_type=client_credentials&client_id=%00&client_secret=x') }],
  ['#18 NUL at introspect', { method: 'POST', target: '/openid/introspect', ...form('token=x&client_id=%00&client_secret=x') }],
  ['#18 NUL at revoke', { method: 'POST', target: '/openid/revoke', ...form('token=x&client_id=%00&client_secret=x') }],
  ['#18 broken percent-encoding at PAR', { method: 'POST', target: '/openid/request', ...form('client_id=%ZZ%&x=\u{1F600}') }],
  ['#18 NUL as a Basic user name', { method: 'POST', target: '/openid/token', headers: [['authorization', `Basic ${Buffer.from('\0:\0').toString('base64')}`], ['content-type', 'application/x-www-form-urlencoded']], body: Buffer.from('grant_type=client_credentials') }],
  ['#18 an OAuth error is JSON even for Accept: text/html', { method: 'POST', target: '/openid/token', headers: [['accept', 'text/html'], ['authorization', 'Bearer %%O']], body: Buffer.alloc(0) }],
  ['#18 NUL as a Basic user name at the proxy (counted by the shared throttle)', { method: 'GET', target: '/service/geoserver/wms', headers: [['authorization', `Basic ${Buffer.from('\0::').toString('base64')}`]], body: Buffer.alloc(0) }],
  ['#18 CONNECT', { method: 'CONNECT', target: '/openid/token', headers: [], body: Buffer.alloc(0) }],
];
for (const [name, req] of seen) {
  test(name, async () => { assert.equal(await answerOf(req), undefined); });
}

test('#18 a seeded storm of malformed requests: no 5xx, no reset, errors in the route\'s shape', async () => {
  const tally: Tally = new Map();
  await storm(fuzz.port, fuzz.apiPaths, Number(process.env.DJAM_FUZZ_RUNS ?? 2500), Number(process.env.DJAM_FUZZ_SEED ?? 18), tally);
  assert.equal(tally.size, 0, describeTally(tally));
  await assertTokenStillIssued(fuzz.server);
});

// docs/compatibility.md §8.3 "large bodies are streamed": 50 MB each way through the proxy while the memory of this
// process (client, server and upstream all run in it) stays flat. Bodies are generated and
// counted chunk by chunk; nothing here holds a whole body either.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { before, test } from 'node:test';
import type { Echo } from '../helpers/upstream.ts';
import { basicOf, startProxyFixture, type ProxyFixture } from './proxy.fixture.ts';

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;
const MAX_GROWTH_MB = 30;

let F: ProxyFixture;
// A short timeout: a transfer that keeps moving must not be cut off by it.
before(async (t) => { F = await startProxyFixture(t, { DJAM_PROXY_TIMEOUT_MS: '1000' }); });

/** Runs `transfer` while sampling rss; returns its result and the peak growth in MB. */
async function measured<T>(transfer: () => Promise<T>): Promise<{ result: T & { ms: number }; growthMb: number }> {
  const baseline = process.memoryUsage.rss();
  const started = Date.now();
  let peak = baseline;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 10);
  try {
    const result = { ...await transfer(), ms: Date.now() - started };
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growthMb: (peak - baseline) / MB };
  } finally {
    clearInterval(timer);
  }
}

/** POSTs `megabytes` of zeros with a Content-Length and no Content-Type, honouring backpressure. */
function upload(path: string, megabytes: number, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(F.B);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'POST', headers: { 'content-length': String(megabytes * MB), ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', reject);
    let left = megabytes * (MB / CHUNK);
    const chunk = Buffer.alloc(CHUNK); // written again and again: only 64 KB exist at any time
    const pump = () => {
      while (left > 0) {
        left--;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

/** GETs `path` and counts the body's bytes as they arrive. */
async function download(path: string, headers: Record<string, string>): Promise<{ status: number; bytes: number }> {
  const res = await fetch(`${F.B}${path}`, { headers });
  let bytes = 0;
  for await (const chunk of res.body!) bytes += chunk.length;
  return { status: res.status, bytes };
}

test('a 50 MB upload streams through the proxy with flat memory', async () => {
  const auth = { authorization: basicOf(F.people.alice) };
  await upload('/service/up', 50, auth); // warm-up: pools, buffers and the heap settle before measuring
  const { result, growthMb } = await measured(() => upload('/service/up', 50, auth));
  console.warn(`# upload 50 MB: rss growth ${growthMb.toFixed(1)} MB in ${result.ms} ms`);
  assert.equal(result.status, 200, result.body);
  const echo = JSON.parse(result.body) as Echo;
  assert.equal(echo.bytes, 50 * MB);
  assert.equal(echo.headers['content-length'], String(50 * MB));
  assert.ok(growthMb < MAX_GROWTH_MB, `rss grew ${growthMb.toFixed(1)} MB`);
});

test('a 50 MB download streams through the proxy with flat memory', async () => {
  const auth = { authorization: basicOf(F.people.alice) };
  await download('/service/up/_download?mb=50', auth);
  const { result, growthMb } = await measured(() => download('/service/up/_download?mb=50', auth));
  console.warn(`# download 50 MB: rss growth ${growthMb.toFixed(1)} MB in ${result.ms} ms`);
  assert.equal(result.status, 200);
  assert.equal(result.bytes, 50 * MB);
  assert.ok(growthMb < MAX_GROWTH_MB, `rss grew ${growthMb.toFixed(1)} MB`);
});

test('an upload slower than DJAM_PROXY_TIMEOUT_MS is not cut off while it keeps moving', async () => {
  const { hostname, port } = new URL(F.B);
  const started = Date.now();
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ hostname, port, path: '/service/up', method: 'PUT', headers: { authorization: basicOf(F.people.alice) } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', reject);
    let sent = 0;
    const tick = setInterval(() => {
      req.write('x'.repeat(1000));
      if (++sent === 8) { clearInterval(tick); req.end(); }
    }, 250);
  });
  assert.ok(Date.now() - started >= 1500, 'the upload outlasted the timeout');
  assert.equal(answer.status, 200, answer.body);
  assert.equal((JSON.parse(answer.body) as Echo).bytes, 8000);
});

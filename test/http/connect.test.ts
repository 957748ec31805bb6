// CONNECT is refused with a 405, and the refused connection is closed by the server: Node hands a
// CONNECT socket over to its listener, and a socket nobody reads never sees its peer go away, so
// the server's close() (a graceful shutdown, a rolling restart) would wait for it for ever.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from '../helpers/start-server.ts';
import { exchange } from '../fuzz/raw-http.ts';

test('CONNECT with a body: 405 with Allow, and the server still shuts down at once', async () => {
  let close: (() => Promise<void>) | undefined;
  const server = await startTestServer({ after(fn: () => Promise<void>) { close = fn; } });
  const port = Number(new URL(server.url).port);
  const head = `CONNECT /openid/token HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-length: 200000\r\n\r\n`;
  const answer = await exchange(port, Buffer.concat([Buffer.from(head, 'latin1'), Buffer.alloc(200_000, 0x61)]), 30_000);
  assert.ok(!('noAnswer' in answer), JSON.stringify(answer));
  assert.equal(answer.status, 405);
  assert.equal(answer.headers.allow, 'GET, HEAD, POST');
  const outcome = await Promise.race([
    close!().then(() => 'closed'),
    new Promise((resolve) => setTimeout(resolve, 20_000, 'close() still waiting after 20 s')),
  ]);
  assert.equal(outcome, 'closed');
});

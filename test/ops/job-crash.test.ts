// #20 `kill -9` of a node while it works through the mail queue loses no queued job: the other
// node takes over the killed node's job once its lease runs out and runs the rest. Two server
// processes (each running jobs from the database) on one PostgreSQL database, a real SMTP sink.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { inArray } from 'drizzle-orm';
import { jobs } from '../../src/db/schema.ts';
import { MAIL_SEND } from '../../src/mail/index.ts';
import { enqueue } from '../../src/queue/jobs.store.ts';
import { openSharedDatabase, startServerProcess } from '../helpers/server-process.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { testDatabaseUrl } from '../helpers/test-database.ts';

const skip = testDatabaseUrl ? false : 'two server processes share one database: set DJAM_TEST_DATABASE_URL (PGlite admits one process)';

describe('#20 a node killed mid-queue', { skip, timeout: 120_000 }, () => {
  it('loses no queued job: every e-mail arrives, at most the one in flight twice with the same Message-ID', async (t) => {
    const sink = await startSmtpSink(0, { ackDelayMs: 100 });
    t.after(() => sink.close());
    const shared = await openSharedDatabase();
    t.after(() => shared.database.close());
    const env = {
      ...shared.env, DJAM_EMAIL_HOST: '127.0.0.1', DJAM_EMAIL_PORT: String(sink.port), DJAM_EMAIL_USE_TLS: 'false',
      DJAM_EMAIL_SENDER: 'DJAM <noreply@djam.test>', DJAM_JOB_LOCK_SECONDS: '2', DJAM_JOB_POLL_SECONDS: '0.2',
    };
    const a = await startServerProcess(env);
    const b = await startServerProcess(env);
    t.after(async () => { await Promise.all([a.stop('SIGKILL'), b.stop()]); });

    const subjects = Array.from({ length: 30 }, (_, i) => `Queued ${i}`);
    const ids: number[] = [];
    for (const subject of subjects) ids.push(await enqueue(shared.database.db, MAIL_SEND, { to: 'ada@example.com', subject, text: subject, html: `<p>${subject}</p>` }));
    await sink.waitFor(6, 30_000);
    assert.equal(await a.stop('SIGKILL'), null, 'killed, not exited');

    await sink.waitFor(subjects.length, 60_000);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const rows = await shared.database.db.select({ status: jobs.status }).from(jobs).where(inArray(jobs.id, ids));
      if (rows.every((r) => r.status === 'done')) break;
      if (Date.now() > deadline) assert.fail(`jobs not done: ${JSON.stringify(rows.filter((r) => r.status !== 'done'))}`);
      await sleep(100);
    }
    await sleep(500);
    const received = sink.messages.map((m) => m.subject);
    assert.deepEqual([...new Set(received)].sort(), [...subjects].sort(), 'every queued e-mail arrived');
    const repeated = sink.messages.filter((m, i) => received.indexOf(m.subject ?? '') !== i);
    assert.ok(repeated.length <= 1, `repeats: ${repeated.map((m) => m.subject).join(', ')}`);
    for (const again of repeated) {
      const first = sink.messages.find((m) => m.subject === again.subject);
      assert.equal(again.messageId, first?.messageId, 'a repeat carries the first send\'s Message-ID');
    }
    assert.equal((await fetch(`${b.url}/healthz`)).status, 200, 'the other node keeps answering');
  });
});

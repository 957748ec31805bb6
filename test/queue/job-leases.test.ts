// #20 Jobs under a lease. A run writes its outcome only while it holds the job (runner id + claim
// token), so a runner that outlived its lease cannot mark done a job another runner has taken
// since; a live run renews its lease, so a slow e-mail is not sent a second time by another
// runner; and a job whose e-mail is known to have been sent is finished without sending it again.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../src/config.ts';
import { jobDeliveries, jobs } from '../../src/db/schema.ts';
import { createMailer, mailJobHandlers, queueMail } from '../../src/mail/index.ts';
import { createWorker, findJob, type Job, type JobHandlers, type JobLog } from '../../src/queue/index.ts';
import { enqueue } from '../../src/queue/jobs.store.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { startTestServer, type TestServer } from '../helpers/start-server.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

const SENDER = 'DJAM Tests <noreply@djam.test>';

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

/** A JobLog that keeps every line, for asserting what a runner said. */
function recordingLog(): JobLog & { lines: Array<{ msg: string; jobId?: number }> } {
  const lines: Array<{ msg: string; jobId?: number }> = [];
  const keep = (obj: object, msg: string) => { lines.push({ ...(obj as { jobId?: number }), msg }); };
  return { lines, info: keep, warn: keep, error: keep };
}

async function waitForJob(db: TestServer['database']['db'], id: number, done: (job: Job) => boolean, timeoutMs = 15_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await findJob(db, id);
    if (job && done(job)) return job;
    if (Date.now() > deadline) assert.fail(`job ${id} stuck at ${job?.status} after ${job?.attempts} attempts`);
    await sleep(25);
  }
}

function jobConfig(extra: Record<string, string> = {}) {
  return loadConfig({
    DJAM_SECRET_KEY: 'k'.repeat(40), DJAM_DATA_DIR: mkdtempSync(join(tmpdir(), 'djam-lease-')), DJAM_JOB_LOCK_SECONDS: '1',
    DJAM_JOB_POLL_SECONDS: '0.05', DJAM_JOB_RETRY_SECONDS: '30', ...extra,
  }, '/nonexistent/.env');
}

function mailEnv(smtpPort: number): Record<string, string> {
  return {
    DJAM_EMAIL_HOST: '127.0.0.1', DJAM_EMAIL_PORT: String(smtpPort), DJAM_EMAIL_USE_TLS: 'false', DJAM_EMAIL_SENDER: SENDER,
    DJAM_JOB_LOCK_SECONDS: '1', DJAM_JOB_POLL_SECONDS: '0.05',
  };
}

describe('#20 job leases', { timeout: 60_000 }, () => {
  it('a runner whose handler outlived its lease does not mark done the job another runner took since', async (t) => {
    const database = await openTestDatabase();
    t.after(() => database.close());
    const config = jobConfig();
    const started = [deferred(), deferred()];
    const release = [deferred(), deferred()];
    const handlers: JobHandlers = {
      'test.slow': async (_payload, job) => { started[job.attempt - 1].resolve(); await release[job.attempt - 1].promise; },
    };
    const logA = recordingLog();
    const logB = recordingLog();
    const a = createWorker(config, database.db, handlers, logA);
    await a.start();
    const id = await enqueue(database.db, 'test.slow', {});
    await started[0].promise;
    const b = createWorker(config, database.db, handlers, logB);
    await b.start();
    t.after(async () => { for (const r of release) r.resolve(); await Promise.all([a.stop(), b.stop()]); });

    await sleep(1500);
    assert.equal((await findJob(database.db, id))?.attempts, 1, 'a live run keeps its job past DJAM_JOB_LOCK_SECONDS: B did not take it');
    // A stalls (as in a long GC pause or a lost connection): its lease runs out, and B takes the job.
    await database.db.execute(sql`update ${jobs} set locked_until = now() - interval '1 second' where ${jobs.id} = ${id}`);
    await started[1].promise;

    release[0].resolve(); // A's handler returns after B took over
    await sleep(300);
    const meanwhile = await findJob(database.db, id);
    assert.deepEqual([meanwhile?.status, meanwhile?.attempts], ['running', 2], 'the stale runner did not mark it done');
    assert.ok(logA.lines.some((l) => l.msg === 'job.lease_lost' && l.jobId === id), 'the lost lease is logged');
    assert.ok(!logA.lines.some((l) => l.msg === 'job.done'));

    release[1].resolve();
    const done = await waitForJob(database.db, id, (j) => j.status === 'done');
    assert.equal(done.attempts, 2);
    assert.ok(logB.lines.some((l) => l.msg === 'job.done' && l.jobId === id));
  });

  it('a failure reported after the lease was lost does not reschedule the new holder\'s job', async (t) => {
    const database = await openTestDatabase();
    t.after(() => database.close());
    const config = jobConfig();
    const started = [deferred(), deferred()];
    const release = [deferred(), deferred()];
    const handlers: JobHandlers = {
      'test.fails': async (_payload, job) => {
        started[job.attempt - 1].resolve();
        await release[job.attempt - 1].promise;
        if (job.attempt === 1) throw new Error('the first run fails late');
      },
    };
    const logA = recordingLog();
    const a = createWorker(config, database.db, handlers, logA);
    await a.start();
    const id = await enqueue(database.db, 'test.fails', {});
    await started[0].promise;
    const b = createWorker(config, database.db, handlers, recordingLog());
    await b.start();
    t.after(async () => { for (const r of release) r.resolve(); await Promise.all([a.stop(), b.stop()]); });
    await database.db.execute(sql`update ${jobs} set locked_until = now() - interval '1 second' where ${jobs.id} = ${id}`);
    await started[1].promise;

    release[0].resolve();
    await sleep(300);
    const meanwhile = await findJob(database.db, id);
    assert.deepEqual([meanwhile?.status, meanwhile?.lastError], ['running', null], 'B still runs it; A\'s failure was discarded');
    assert.ok(logA.lines.some((l) => l.msg === 'job.lease_lost' && l.jobId === id));
    release[1].resolve();
    assert.equal((await waitForJob(database.db, id, (j) => j.status === 'done')).attempts, 2);
  });
});

describe('#20 each job\'s e-mail is sent once', { timeout: 60_000 }, () => {
  it('two runners (the server\'s and a worker) send a slow e-mail once: the live run keeps its lease', async (t) => {
    const sink = await startSmtpSink();
    t.after(() => sink.close());
    const server = await startTestServer(t, mailEnv(sink.port));
    const worker = createWorker(server.config, server.database.db, mailJobHandlers(createMailer(server.config)), recordingLog());
    await worker.start();
    t.after(() => worker.stop());

    sink.slowNext(3000); // three times DJAM_JOB_LOCK_SECONDS
    const id = await queueMail({ queue: server.app.queue }, server.database.db, { to: 'ada@example.com', subject: 'Slow', text: 'Slow', html: '<p>Slow</p>' });
    const job = await waitForJob(server.database.db, id, (j) => j.status === 'done');
    await sleep(1500);
    assert.equal(sink.messages.length, 1, 'delivered once');
    assert.equal(job.attempts, 1);
  });

  it('a job left running by a runner that died after its e-mail was sent is finished without sending it again', async (t) => {
    const sink = await startSmtpSink();
    t.after(() => sink.close());
    const server = await startTestServer(t, mailEnv(sink.port));
    const { db } = server.database;
    // The state a runner killed between the SMTP server's 250 and "done" leaves, and one killed mid-send.
    const payload = (subject: string) => ({ to: 'ada@example.com', subject, text: subject, html: `<p>${subject}</p>` });
    const crashed = { status: 'running', attempts: 1, lockedUntil: new Date(Date.now() - 1000), lockedBy: 'gone/1/dead', leaseToken: 'lost' };
    const [sent, unsent] = await db.insert(jobs).values([
      { type: 'mail.send', payload: payload('Sent before the crash'), ...crashed },
      { type: 'mail.send', payload: payload('Crashed mid-send'), ...crashed },
    ]).returning();
    await db.insert(jobDeliveries).values([
      { key: `mail.send:${sent.id}`, jobId: sent.id, sentAt: new Date() },
      { key: `mail.send:${unsent.id}`, jobId: unsent.id },
    ]);

    const [mail] = await sink.waitFor(1);
    assert.equal((await waitForJob(db, sent.id, (j) => j.status === 'done')).attempts, 2, 'taken again, then finished');
    assert.equal((await waitForJob(db, unsent.id, (j) => j.status === 'done')).attempts, 2);
    await sleep(500);
    assert.deepEqual(sink.messages.map((m) => m.subject), ['Crashed mid-send'], 'only the e-mail not known to be sent went out');
    // Every try of one job carries the same Message-ID, derived from the job, in the sender's domain.
    assert.equal(mail.messageId, `<djam-job-${unsent.id}.${unsent.createdAt.getTime().toString(36)}@djam.test>`);
  });
});

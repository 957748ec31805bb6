// Background jobs on the embedded backend (no RabbitMQ): the server runs `mail.send` jobs from
// its jobs table and talks SMTP to a real smtp-server. Covers delivery, the outbox rule (a job
// written in a transaction that rolls back never runs), retries with backoff, and dead jobs.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { queueMail, type MailMessage } from '../../src/mail/index.ts';
import { findJob, type Job } from '../../src/queue/index.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { startTestServer, type TestServer, freePort } from '../helpers/start-server.ts';

const SENDER = 'DJAM Tests <noreply@djam.test>';

function mailEnv(smtpPort: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DJAM_EMAIL_HOST: '127.0.0.1', DJAM_EMAIL_PORT: String(smtpPort), DJAM_EMAIL_USE_TLS: 'false', DJAM_EMAIL_SENDER: SENDER,
    DJAM_JOB_RETRY_SECONDS: '0.5', ...extra,
  };
}

function message(subject: string): MailMessage {
  return { to: 'Ada <ada@example.com>', subject, text: `Plain ${subject}`, html: `<p>HTML <b>${subject}</b></p>` };
}

/** A port nothing listens on (yet): bound, read, released. */
const closedPort = freePort;

/** Polls the job until `done(job)` holds; `seen` gets every distinct state on the way. */
async function waitForJob(server: TestServer, id: number, done: (job: Job) => boolean, timeoutMs = 15_000, seen: Job[] = []): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await findJob(server.database.db, id);
    assert.ok(job, `job ${id} exists`);
    const last = seen.at(-1);
    if (!last || last.attempts !== job.attempts || last.status !== job.status) seen.push(job);
    if (done(job)) return job;
    if (Date.now() > deadline) assert.fail(`job ${id} did not reach the expected state: ${JSON.stringify(seen.map((j) => [j.status, j.attempts]))}`);
    await sleep(25);
  }
}

function sendMail(server: TestServer, subject: string): Promise<number> {
  return queueMail({ queue: server.app.queue }, server.database.db, message(subject));
}

describe('jobs on the embedded backend, over SMTP', () => {
  it('delivers a queued e-mail: sender, recipient, subject, text and HTML parts', async (t) => {
    const sink = await startSmtpSink();
    t.after(() => sink.close());
    const server = await startTestServer(t, mailEnv(sink.port));

    const id = await sendMail(server, 'Activate your Account');
    const [mail] = await sink.waitFor(1);
    assert.equal(mail.subject, 'Activate your Account');
    assert.equal(mail.from?.text, '"DJAM Tests" <noreply@djam.test>');
    assert.deepEqual(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : [], ['ada@example.com']);
    assert.equal(mail.text?.trim(), 'Plain Activate your Account');
    assert.equal(mail.html, '<p>HTML <b>Activate your Account</b></p>');
    const job = await waitForJob(server, id, (j) => j.status === 'done');
    assert.deepEqual([job.type, job.attempts, job.lastError], ['mail.send', 1, null]);
  });

  it('never sends the e-mail of a transaction that rolled back (outbox)', async (t) => {
    const sink = await startSmtpSink();
    t.after(() => sink.close());
    const server = await startTestServer(t, mailEnv(sink.port));

    let rolledBackId: number | undefined;
    await assert.rejects(server.database.db.transaction(async (tx) => {
      rolledBackId = await queueMail({ queue: server.app.queue }, tx, message('Rolled back'));
      throw new Error('the change failed after queueing its mail');
    }), /the change failed/);
    assert.ok(rolledBackId, 'the job was written inside the transaction');
    // A job committed after it is delivered; by then the runner has looked at the table more than once.
    await sendMail(server, 'Committed');
    await sink.waitFor(1);
    await sleep(1200);
    assert.deepEqual(sink.messages.map((m) => m.subject), ['Committed']);
    assert.equal(await findJob(server.database.db, rolledBackId), undefined, 'the rolled-back job does not exist');
  });

  it('retries with growing delays while SMTP is down, and delivers once it listens', async (t) => {
    const port = await closedPort();
    const server = await startTestServer(t, mailEnv(port, { DJAM_JOB_MAX_ATTEMPTS: '6' }));

    const id = await sendMail(server, 'Delivered late');
    const seen: Job[] = [];
    const second = await waitForJob(server, id, (j) => j.status === 'pending' && j.attempts === 2, 15_000, seen);
    assert.match(second.lastError ?? '', /ECONNREFUSED/);
    const first = seen.find((j) => j.status === 'pending' && j.attempts === 1);
    assert.ok(first, 'the state after the first failure was observed');
    // DJAM_JOB_RETRY_SECONDS=0.5, doubling: the first retry waits 0.5 s, the second 1 s.
    const delayMs = (j: Job) => j.runAt.getTime() - j.updatedAt.getTime();
    assert.ok(Math.abs(delayMs(first) - 500) < 100, `first delay ${delayMs(first)} ms`);
    assert.ok(Math.abs(delayMs(second) - 1000) < 100, `second delay ${delayMs(second)} ms`);

    const sink = await startSmtpSink(port);
    t.after(() => sink.close());
    const [mail] = await sink.waitFor(1);
    assert.equal(mail.subject, 'Delivered late');
    const done = await waitForJob(server, id, (j) => j.status === 'done');
    assert.ok(done.attempts >= 3, `attempts ${done.attempts}`);
    assert.equal(done.lastError, null);
  });

  it('buries the job as dead after DJAM_JOB_MAX_ATTEMPTS failures, with the last error', async (t) => {
    const port = await closedPort();
    const server = await startTestServer(t, mailEnv(port, { DJAM_JOB_MAX_ATTEMPTS: '2', DJAM_JOB_RETRY_SECONDS: '0.1' }));

    const id = await sendMail(server, 'Never delivered');
    const dead = await waitForJob(server, id, (j) => j.status === 'dead');
    assert.equal(dead.attempts, 2);
    assert.equal(dead.maxAttempts, 2);
    assert.match(dead.lastError ?? '', new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${port}`));

    // A dead job stays dead: SMTP coming back does not resurrect it.
    const sink = await startSmtpSink(port);
    t.after(() => sink.close());
    await sleep(1500);
    assert.equal(sink.messages.length, 0);
    const still = await findJob(server.database.db, id);
    assert.deepEqual([still?.status, still?.attempts], ['dead', 2]);
  });

  it('sends many e-mails, each once, in the order queued', async (t) => {
    const sink = await startSmtpSink();
    t.after(() => sink.close());
    const server = await startTestServer(t, mailEnv(sink.port));
    const subjects = Array.from({ length: 10 }, (_, i) => `Batch ${i} ${randomBytes(2).toString('hex')}`);
    for (const subject of subjects) await sendMail(server, subject);
    await sink.waitFor(subjects.length);
    await sleep(300);
    assert.deepEqual(sink.messages.map((m) => m.subject), subjects);
  });
});

// Background jobs over RabbitMQ: the server relays committed jobs to a durable queue and
// `djam worker` child processes consume it and send over SMTP to a real smtp-server. Each test
// uses its own queue (deleted afterwards), so runs never interfere. Workers are separate
// processes on the same database, which needs PostgreSQL (a PGlite directory has one owner).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp from 'amqplib';
import { queueMail } from '../../src/mail/index.ts';
import { findJob, type Job } from '../../src/queue/index.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { startTestServer, type TestServer, freePort } from '../helpers/start-server.ts';
import { testDatabaseUrl } from '../helpers/test-database.ts';

const rabbitUrl = process.env.DJAM_TEST_RABBITMQ_URL;
const repoRoot = new URL('../..', import.meta.url).pathname;
const skip = !rabbitUrl ? 'set DJAM_TEST_RABBITMQ_URL (and DJAM_TEST_DATABASE_URL) to run the RabbitMQ tests'
  : !testDatabaseUrl ? 'the RabbitMQ tests run `djam worker` processes beside the server: set DJAM_TEST_DATABASE_URL too (PGlite admits one process)'
    : false;

type Env = Record<string, string | undefined>;

interface WorkerProcess { ready: Promise<void>; logged(msg: string): number; kill(): void; stop(): Promise<void> }

/** `node bin/djam.js worker`; `ready` resolves once it consumes the queue (its `worker.consuming` log line). */
function spawnWorker(env: Env): WorkerProcess {
  const child = spawn(process.execPath, ['bin/djam.js', 'worker'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const counts = new Map<string, number>();
  let output = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start consuming in 20 s:\n${stderr}`)), 20_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the worker exited (${code}) before consuming:\n${stderr}`)); });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      const lines = output.split('\n');
      output = lines.pop() ?? '';
      for (const line of lines) {
        const msg = line.startsWith('{') ? String((JSON.parse(line) as { msg?: string }).msg) : line;
        counts.set(msg, (counts.get(msg) ?? 0) + 1);
        if (msg === 'worker.consuming') { clearTimeout(timer); resolve(); }
      }
    });
  });
  ready.catch(() => undefined); // observed by the test that awaits it
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    ready,
    logged: (msg) => counts.get(msg) ?? 0,
    kill: () => { child.kill('SIGKILL'); },
    async stop() {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function brokerEnv(url: string, queue: string): Env {
  const u = new URL(url);
  return {
    DJAM_RABBITMQ_HOST: u.hostname, DJAM_RABBITMQ_PORT: u.port || '5672', DJAM_RABBITMQ_USER: decodeURIComponent(u.username) || 'guest',
    DJAM_RABBITMQ_PASSWORD: decodeURIComponent(u.password) || 'guest', DJAM_RABBITMQ_QUEUE: queue,
  };
}

async function withChannel<T>(fn: (channel: amqp.Channel) => Promise<T>): Promise<T> {
  const connection = await amqp.connect(rabbitUrl!);
  try {
    return await fn(await connection.createChannel());
  } finally {
    await connection.close();
  }
}

interface Setup { server: TestServer; sink: SmtpSink; queue: string; startWorker(): WorkerProcess }

/** Server (relaying to a fresh queue) + SMTP sink; teardown: workers, then server, then the queue. */
async function setUp(t: TestContext, serverEnv: Env = {}): Promise<Setup> {
  const queue = `djam.test.${randomBytes(6).toString('hex')}`;
  const workers: WorkerProcess[] = [];
  t.after(() => Promise.all(workers.map((w) => w.stop())).then(() => undefined)); // node:test runs after-hooks in order
  const sink = await startSmtpSink();
  const jobEnv = {
    DJAM_EMAIL_HOST: '127.0.0.1', DJAM_EMAIL_PORT: String(sink.port), DJAM_EMAIL_USE_TLS: 'false',
    DJAM_JOB_RETRY_SECONDS: '0.5', DJAM_JOB_LOCK_SECONDS: '2', ...brokerEnv(rabbitUrl!, queue),
  };
  const server = await startTestServer(t, Object.fromEntries(Object.entries({ ...jobEnv, ...serverEnv }).filter(([, v]) => v !== undefined)) as Record<string, string>);
  t.after(async () => {
    await sink.close();
    await withChannel((channel) => channel.deleteQueue(queue));
  });
  const settings = (server.database as typeof server.database & { settings: Record<string, string> }).settings;
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DJAM_')));
  const workerEnv: Env = {
    ...clean, ...settings, ...jobEnv, DJAM_SECRET_KEY: server.config.DJAM_SECRET_KEY, DJAM_DATA_DIR: server.config.DJAM_DATA_DIR, DJAM_LOG_LEVEL: 'info',
  };
  return { server, sink, queue, startWorker() { const w = spawnWorker(workerEnv); workers.push(w); return w; } };
}

function sendMail(server: TestServer, subject: string): Promise<number> {
  return queueMail({ queue: server.app.queue }, server.database.db, { to: 'ada@example.com', subject, text: subject, html: `<p>${subject}</p>` });
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function waitForJob(server: TestServer, id: number, done: (job: Job) => boolean, timeoutMs = 15_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await findJob(server.database.db, id);
    if (job && done(job)) return job;
    if (Date.now() > deadline) assert.fail(`job ${id} stuck at ${job?.status} after ${job?.attempts} attempts (${job?.lastError})`);
    await sleep(25);
  }
}

/** A TCP forwarder to the broker on a port chosen before it listens: the broker "comes back" when it starts. */
async function brokerForwarder(port: number): Promise<{ close(): Promise<void> }> {
  const target = new URL(rabbitUrl!);
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = connect(Number(target.port || 5672), target.hostname);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => { inbound.destroy(); outbound.destroy(); });
      s.on('close', () => { sockets.delete(s); inbound.destroy(); outbound.destroy(); });
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }) };
}

/** A port nothing listens on (yet): bound, read, released. */
const closedPort = freePort;

describe('jobs over RabbitMQ', { skip }, () => {
  it('the server relays a job to the durable queue; a worker started later delivers it', async (t) => {
    const { server, sink, queue, startWorker } = await setUp(t);

    const id = await sendMail(server, 'Queued while no worker runs');
    await waitForJob(server, id, (j) => j.status === 'relayed');
    assert.equal((await withChannel((c) => c.checkQueue(queue))).messageCount, 1, 'one persistent message waits in the queue');
    await sleep(300);
    assert.equal(sink.messages.length, 0, 'the server itself sends nothing');

    await startWorker().ready;
    const [mail] = await sink.waitFor(1);
    assert.equal(mail.subject, 'Queued while no worker runs');
    const job = await waitForJob(server, id, (j) => j.status === 'done');
    assert.equal(job.attempts, 1);
    assert.equal((await withChannel((c) => c.checkQueue(queue))).messageCount, 0, 'the message was acknowledged');
  });

  it('two workers at once deliver each of 20 e-mails exactly once', async (t) => {
    const { server, sink, startWorker } = await setUp(t);
    const workers = [startWorker(), startWorker()];
    await Promise.all(workers.map((w) => w.ready));

    const subjects = Array.from({ length: 20 }, (_, i) => `Mail ${i}`);
    const ids = await Promise.all(subjects.map((s) => sendMail(server, s)));
    await sink.waitFor(20);
    for (const id of ids) await waitForJob(server, id, (j) => j.status === 'done');
    await sleep(1000);
    assert.deepEqual(sink.messages.map((m) => m.subject).sort(), [...subjects].sort(), 'every e-mail arrived once');
    for (const id of ids) assert.equal((await findJob(server.database.db, id))?.attempts, 1, `job ${id} ran once`);
    const done = workers.map((w) => w.logged('job.done'));
    assert.equal(done[0] + done[1], 20);
    assert.ok(done.every((n) => n > 0), `both workers took jobs: ${done.join(' + ')}`);
  });

  it('#20 two workers send a slow e-mail once: the worker sending it keeps its lease past DJAM_JOB_LOCK_SECONDS', async (t) => {
    const { server, sink, startWorker } = await setUp(t);
    const workers = [startWorker(), startWorker()];
    await Promise.all(workers.map((w) => w.ready));

    sink.slowNext(5000); // DJAM_JOB_LOCK_SECONDS is 2: the lock would have run out twice
    const id = await sendMail(server, 'Slow but once');
    const job = await waitForJob(server, id, (j) => j.status === 'done', 20_000);
    await sleep(2500); // a second send would have started by now
    assert.deepEqual(sink.messages.map((m) => m.subject), ['Slow but once']);
    assert.equal(job.attempts, 1);
    assert.equal(workers[0].logged('job.done') + workers[1].logged('job.done'), 1);
  });

  it('a worker killed while its SMTP send hangs does not lose the job: another delivers it after the lock', async (t) => {
    const { server, sink, startWorker } = await setUp(t);
    const first = startWorker();
    await first.ready;

    const dataStarted = sink.hangNext();
    const id = await sendMail(server, 'Survives a crash');
    await within(dataStarted, 15_000, 'the first worker starting to send');
    const running = await findJob(server.database.db, id);
    assert.deepEqual([running?.status, running?.attempts], ['running', 1]);
    first.kill();

    const second = startWorker();
    await second.ready;
    const [mail] = await sink.waitFor(1, 20_000);
    assert.equal(mail.subject, 'Survives a crash');
    const job = await waitForJob(server, id, (j) => j.status === 'done');
    assert.equal(job.attempts, 2, 'the second worker ran it once more');
    await sleep(500);
    assert.equal(sink.messages.length, 1);
  });

  it('a job queued while the broker refuses connections waits in the table and flows once the relay reaches it', async (t) => {
    const port = await closedPort();
    const { server, sink, startWorker } = await setUp(t, { DJAM_RABBITMQ_HOST: '127.0.0.1', DJAM_RABBITMQ_PORT: String(port) });

    const id = await sendMail(server, 'Waited for the broker');
    await sleep(1500); // the relay tried on enqueue and polled again
    const waiting = await findJob(server.database.db, id);
    assert.deepEqual([waiting?.status, waiting?.attempts], ['pending', 0], 'the job stays pending, nothing is lost');

    const forwarder = await brokerForwarder(port);
    t.after(() => forwarder.close());
    await waitForJob(server, id, (j) => j.status === 'relayed');
    await startWorker().ready;
    const [mail] = await sink.waitFor(1);
    assert.equal(mail.subject, 'Waited for the broker');
    assert.equal((await waitForJob(server, id, (j) => j.status === 'done')).attempts, 1);
  });

  it('a worker that cannot declare its queue retries at a steady pace, then consumes with one connection', async (t) => {
    const { server, sink, queue, startWorker } = await setUp(t, { DJAM_RABBITMQ_PORT: '1' });
    // Declared by hand, incompatibly. The server's own relay points at a closed port here, so it
    // cannot re-declare the queue; the worker's relay relays the job once the queue is fixed.
    await withChannel(async (c) => { await c.deleteQueue(queue); await c.assertQueue(queue, { durable: false }); });

    const worker = startWorker();
    await waitFor(() => worker.logged('worker.connect_failed') > 0, 20_000, 'the first failed attempt');
    await sleep(4500);
    // A retry every 2 s: at most 3 failures by now. Each failure used to schedule two retries (1, 2, 4, ...).
    const failures = worker.logged('worker.connect_failed');
    assert.ok(failures <= 3, `${failures} failed attempts`);

    await withChannel((c) => c.deleteQueue(queue));
    await worker.ready;
    const id = await sendMail(server, 'After the queue was fixed');
    await sink.waitFor(1);
    assert.equal((await waitForJob(server, id, (j) => j.status === 'done')).attempts, 1);
    assert.equal((await withChannel((c) => c.checkQueue(queue))).consumerCount, 1, 'one consumer, not one per failed attempt');
  });
});

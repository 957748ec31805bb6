// The RabbitMQ backend. A relay moves due jobs from the table to a durable queue (persistent
// messages, publisher confirms), so a job committed while the broker is down is published once
// it is back; workers consume the queue and run each job at most once at a time (claimById).
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Db } from '../db/client.ts';
import type { JobHandlers } from './handlers.ts';
import { claimById, claimNext, type RetryPolicy } from './jobs.store.ts';
import { runJob, runnerId, type JobLog } from './run-job.ts';
import { sql } from 'drizzle-orm';
import { jobs } from '../db/schema.ts';

// A relayed job not picked up in this time is published again (a lost message never loses the job).
const RELAY_LOCK_SECONDS = 600;

export interface BrokerSettings { url: string; queue: string }

async function connect(settings: BrokerSettings): Promise<ChannelModel> {
  // Loaded here, not at the top: a server without RabbitMQ (the default) never needs it.
  const { default: amqp } = await import('amqplib');
  const connection = await amqp.connect(settings.url);
  connection.on('error', () => undefined); // 'close' follows; reconnection is handled by the loops
  return connection;
}

export class Relay {
  private connection: ChannelModel | undefined;
  private channel: ConfirmChannel | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private busy: Promise<void> | undefined;
  private readonly id = runnerId();

  private readonly db: Db;
  private readonly settings: BrokerSettings;
  private readonly log: JobLog;
  private readonly pollSeconds: number;

  constructor(db: Db, settings: BrokerSettings, log: JobLog, pollSeconds = 1) {
    this.db = db;
    this.settings = settings;
    this.log = log;
    this.pollSeconds = pollSeconds;
  }

  start(): void {
    this.schedule(0);
  }

  wake(): void {
    if (!this.busy && !this.stopped) this.schedule(0);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.busy = this.tick().finally(() => { this.busy = undefined; }); }, ms).unref();
  }

  private async ensureChannel(): Promise<ConfirmChannel> {
    if (this.channel) return this.channel;
    this.connection = await connect(this.settings);
    this.connection.on('close', () => { this.connection = undefined; this.channel = undefined; });
    this.channel = await this.connection.createConfirmChannel();
    await this.channel.assertQueue(this.settings.queue, { durable: true });
    return this.channel;
  }

  private async tick(): Promise<void> {
    try {
      const channel = await this.ensureChannel();
      for (let job = await claimNext(this.db, 'relayed', RELAY_LOCK_SECONDS, this.id); job && !this.stopped;
        job = await claimNext(this.db, 'relayed', RELAY_LOCK_SECONDS, this.id)) {
        try {
          channel.sendToQueue(this.settings.queue, Buffer.from(JSON.stringify({ id: job.id, type: job.type })), { persistent: true, messageId: String(job.id) });
          await channel.waitForConfirms();
        } catch (err) {
          await this.db.execute(sql`update ${jobs} set status = 'pending', locked_until = null where ${jobs.id} = ${job.id} and ${jobs.leaseToken} = ${job.leaseToken}`);
          throw err;
        }
      }
    } catch (err) {
      this.log.warn({ error: err instanceof Error ? err.message : String(err) }, 'jobs.relay_failed');
    }
    if (!this.stopped) this.schedule(this.pollSeconds * 1000);
  }

  /** For readiness: can the relay reach the broker now? */
  async probe(): Promise<boolean> {
    return this.ensureChannel().then(() => true, () => false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.busy;
    await this.connection?.close().catch(() => undefined);
  }
}

/** `djam worker`: consumes the queue and runs the jobs; reconnects when the broker goes away. */
export class Consumer {
  private connection: ChannelModel | undefined;
  private stopped = false;
  private inFlight = new Set<Promise<void>>();
  private retry: NodeJS.Timeout | undefined;
  private readonly id = runnerId();

  private readonly db: Db;
  private readonly handlers: JobHandlers;
  private readonly policy: RetryPolicy;
  private readonly settings: BrokerSettings;
  private readonly log: JobLog;

  constructor(db: Db, handlers: JobHandlers, policy: RetryPolicy, settings: BrokerSettings, log: JobLog) {
    this.db = db;
    this.handlers = handlers;
    this.policy = policy;
    this.settings = settings;
    this.log = log;
  }

  async start(): Promise<void> {
    try {
      const connection = await connect(this.settings);
      this.connection = connection;
      // Only the live connection's loss reconnects, and only one retry is ever pending: a set-up
      // failure (queue not declarable) reports both here and in the catch, and two retries would
      // double the connections at every failure (1, 2, 4, ... consumers in one worker).
      connection.on('close', () => { if (this.connection === connection) this.reconnectLater(); });
      const channel = await connection.createChannel();
      await channel.assertQueue(this.settings.queue, { durable: true });
      await channel.prefetch(1);
      await channel.consume(this.settings.queue, (msg) => { if (msg) this.track(this.handle(channel, msg)); });
      this.log.info({ queue: this.settings.queue }, 'worker.consuming');
    } catch (err) {
      this.log.warn({ error: err instanceof Error ? err.message : String(err) }, 'worker.connect_failed');
      this.reconnectLater();
    }
  }

  private reconnectLater(): void {
    this.connection = undefined;
    if (!this.stopped && !this.retry) this.retry = setTimeout(() => { this.retry = undefined; void this.start(); }, 2000);
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  // An exception escaping a consume callback would close the connection: everything is caught.
  private async handle(channel: Channel, msg: ConsumeMessage): Promise<void> {
    try {
      const { id } = JSON.parse(msg.content.toString()) as { id: number };
      const job = await claimById(this.db, Number(id), this.policy.lockSeconds, this.id);
      if (job) await runJob(this.db, this.handlers, job, this.policy, this.log);
      channel.ack(msg);
    } catch (err) {
      this.log.error({ error: err instanceof Error ? err.message : String(err) }, 'worker.message_failed');
      try { channel.nack(msg, false, true); } catch { /* channel already closed: the broker redelivers */ }
    }
  }

  /** Stops consuming and waits for the running jobs. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await Promise.allSettled([...this.inFlight]);
    await this.connection?.close().catch(() => undefined);
  }
}

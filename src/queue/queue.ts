// One queue interface over two backends: the embedded runner (jobs run in this process from
// the database) or RabbitMQ (jobs relayed to a durable queue and run by `djam worker`).
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { JobHandlers } from './handlers.ts';
import { EmbeddedRunner } from './embedded-runner.ts';
import { enqueue, type RetryPolicy } from './jobs.store.ts';
import { Consumer, Relay, type BrokerSettings } from './rabbitmq.ts';
import type { JobLog } from './run-job.ts';

export interface Queue {
  /** Writes the job with `db` (pass the transaction of the change that causes it). */
  enqueue(db: Db, type: string, payload: Record<string, unknown>): Promise<number>;
  start(): void;
  stop(): Promise<void>;
  /** Readiness of the backend: the broker is reachable (always true when embedded). */
  probe(): Promise<boolean>;
}

function retryPolicy(config: Config): RetryPolicy {
  return { maxAttempts: config.DJAM_JOB_MAX_ATTEMPTS, retrySeconds: config.DJAM_JOB_RETRY_SECONDS, lockSeconds: config.DJAM_JOB_LOCK_SECONDS, pollSeconds: config.DJAM_JOB_POLL_SECONDS };
}

function brokerSettings(config: Config): BrokerSettings | undefined {
  if (!config.DJAM_RABBITMQ_HOST) return undefined;
  const auth = `${encodeURIComponent(config.DJAM_RABBITMQ_USER)}:${encodeURIComponent(config.DJAM_RABBITMQ_PASSWORD)}`;
  return { url: `amqp://${auth}@${config.DJAM_RABBITMQ_HOST}:${config.DJAM_RABBITMQ_PORT}`, queue: config.DJAM_RABBITMQ_QUEUE };
}

/** The server's side: run jobs in-process, or relay them to RabbitMQ when it is configured. */
export function createQueue(config: Config, db: Db, handlers: JobHandlers, log: JobLog): Queue {
  const broker = brokerSettings(config);
  const policy = retryPolicy(config);
  const backend = broker ? new Relay(db, broker, log, policy.pollSeconds) : new EmbeddedRunner(db, handlers, policy, log);
  return {
    async enqueue(tx, type, payload) {
      const id = await enqueue(tx, type, payload, policy.maxAttempts);
      setTimeout(() => backend.wake(), 20).unref(); // after the caller's commit, most of the time; polling covers the rest
      return id;
    },
    start: () => backend.start(),
    stop: () => backend.stop(),
    probe: () => (backend instanceof Relay ? backend.probe() : Promise.resolve(true)),
  };
}

/** `djam worker`: consume RabbitMQ (and relay, so jobs flow even with no server up), or run from the database. */
export function createWorker(config: Config, db: Db, handlers: JobHandlers, log: JobLog): { start(): Promise<void>; stop(): Promise<void> } {
  const broker = brokerSettings(config);
  const policy = retryPolicy(config);
  if (!broker) {
    const runner = new EmbeddedRunner(db, handlers, policy, log);
    return { start: async () => runner.start(), stop: () => runner.stop() };
  }
  const relay = new Relay(db, broker, log, policy.pollSeconds);
  const consumer = new Consumer(db, handlers, policy, broker, log);
  return {
    start: async () => { relay.start(); await consumer.start(); },
    stop: async () => { await consumer.stop(); await relay.stop(); },
  };
}

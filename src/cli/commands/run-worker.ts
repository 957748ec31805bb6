// `djam worker`: runs background jobs. With DJAM_RABBITMQ_HOST it consumes the durable queue
// (run as many as you like); without, it runs due jobs from the database.
import pino from 'pino';
import { loadConfig } from '../../config.ts';
import { logOptions } from '../../logging.ts';
import { openRuntime } from '../../runtime.ts';
import { createMailer, mailJobHandlers } from '../../mail/index.ts';
import { createWorker } from '../../queue/index.ts';
import { webhookJobHandlers } from '../../webhooks/index.ts';
import { defineCommand } from '../command.ts';

export const workerCommand = defineCommand({
  name: 'worker', summary: 'run background jobs (consumes RabbitMQ when DJAM_RABBITMQ_HOST is set)', usage: '', flags: {},
  details: 'Runs until SIGTERM or SIGINT. With DJAM_RABBITMQ_HOST it consumes the durable queue (run as many as you like); without, it runs due jobs from the database.',
  run: runWorker,
});

async function runWorker(): Promise<number> {
  const config = loadConfig();
  const { stream, ...options } = logOptions(config);
  const log = pino(options, stream);
  const { database, keys } = await openRuntime(config);
  const mailer = createMailer(config);
  const worker = createWorker(config, database.db, { ...mailJobHandlers(mailer), ...webhookJobHandlers({ db: database.db, keys, config }) }, log);
  await worker.start();
  log.info({ mail: mailer.describe, broker: config.DJAM_RABBITMQ_HOST ?? null }, 'worker.started');
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  log.info('worker.stopping');
  await worker.stop();
  mailer.close();
  await database.close();
  return 0;
}

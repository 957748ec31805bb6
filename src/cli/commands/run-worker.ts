// `djam worker`: runs background jobs. With DJAM_RABBITMQ_HOST it consumes the durable queue
// (run as many as you like); without, it runs due jobs from the database.
import pino from 'pino';
import { loadConfig } from '../../config.ts';
import { logOptions } from '../../logging.ts';
import { openRuntime } from '../../runtime.ts';
import { createMailer, mailJobHandlers } from '../../mail/index.ts';
import { createWorker, enqueueJob } from '../../queue/index.ts';
import { openChangeFeed } from '../../db/change-feed.ts';
import { createCacheRegistry } from '../../cache/index.ts';
import { openSigningKeyRing, type SigningKeyRing } from '../../signing-keys/index.ts';
import type Provider from 'oidc-provider';
import { createClientCache } from '../../clients/index.ts';
import { createUserCache } from '../../users/index.ts';
import { backchannelLogoutJobs, createPayloadCache, createProvider } from '../../oidc/index.ts';
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
  // #24: back-channel logouts are signed by the provider at delivery: the worker builds one (no
  // routes) at the first of them; until a signing key exists those jobs fail and are retried.
  const changes = await openChangeFeed({ db: database.db, listen: database.listen }, { role: 'client' });
  let logoutSender: Promise<{ provider: Provider; signingKeys: SigningKeyRing }> | undefined;
  const provider = async () => {
    logoutSender ??= (async () => {
      const caches = createCacheRegistry(changes);
      const signingKeys = await openSigningKeyRing({ db: database.db, keys, changes, config, log });
      return { signingKeys, provider: createProvider({
        config, db: database.db, keys, signingKeys, clientCache: createClientCache(caches, database.db),
        userCache: createUserCache(caches, database.db), payloadCache: createPayloadCache(caches), queue: { enqueue: enqueueJob },
      }) };
    })().catch((err: unknown) => { logoutSender = undefined; throw err; });
    return (await logoutSender).provider;
  };
  const worker = createWorker(config, database.db, { ...mailJobHandlers(mailer), ...webhookJobHandlers({ db: database.db, keys, config }), ...backchannelLogoutJobs(provider, database.db) }, log);
  await worker.start();
  log.info({ mail: mailer.describe, broker: config.DJAM_RABBITMQ_HOST ?? null }, 'worker.started');
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  log.info('worker.stopping');
  await worker.stop();
  mailer.close();
  if (logoutSender) await (await logoutSender.catch(() => undefined))?.signingKeys.close();
  await changes.close();
  await database.close();
  return 0;
}

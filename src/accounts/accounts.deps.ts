// What the self-service pages and their services are given by buildApp.
import type { Config } from '../config.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import type { Db } from '../db/client.ts';
import type { Queue } from '../queue/index.ts';

export interface AccountDeps { config: Config; db: Db; keys: SecretKeys; queue: Queue }

/**
 * The site name of the e-mails, and the origin of their links: SITEURL, never the request's Host
 * header, which an attacker could set to get reset links pointing at their own server.
 */
export function siteName(config: Pick<Config, 'baseUrl'>): string {
  return new URL(config.baseUrl).host;
}

/** Runs `fn` in one transaction, handing it deps whose `db` is that transaction. */
export function inTransaction<T>(deps: AccountDeps, fn: (tx: AccountDeps) => Promise<T>): Promise<T> {
  return deps.db.transaction((tx) => fn({ ...deps, db: tx as unknown as Db }));
}

// Opens the configured database for one command and closes it afterwards. A command's changes
// are in force on every running node when it returns: like a request of the admin API, it waits
// (bounded) until each node listening on the change feed has acknowledged them.
import { loadConfig } from '../config.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { openChangeFeed } from '../db/change-feed.ts';
import type { Database, Db } from '../db/client.ts';
import { openRuntime } from '../runtime.ts';
import { findUserByEmail, type User } from '../users/index.ts';
import { AppError } from '../errors.ts';

export async function withRuntime<T>(fn: (deps: { db: Db; keys: SecretKeys }) => Promise<T>): Promise<T> {
  const { database, keys } = await openRuntime(loadConfig());
  try {
    return await fn({ db: database.db, keys });
  } finally {
    await closeConfirmed(database);
  }
}

/**
 * Closes a command's database once every running node has applied what the command committed
 * (see db/change-feed.ts), also after a failure, which may have committed part of its work.
 */
export async function closeConfirmed(database: Database): Promise<void> {
  // A client of the feed: it hears the nodes' acknowledgements, and is itself neither counted
  // nor waited for. No feed (a database without notifications) means no node to wait for.
  const feed = await openChangeFeed(database, { role: 'client' }).catch(() => undefined);
  try {
    await feed?.confirm();
  } finally {
    await feed?.close();
    await database.close();
  }
}

export async function requireUser(deps: { db: Db }, email: string): Promise<User> {
  const user = await findUserByEmail(deps, email);
  if (!user) throw new AppError('USER_NOT_FOUND', { message: `No user with the e-mail ${email}.` });
  return user;
}

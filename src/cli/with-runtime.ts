// Opens the configured database for one command and closes it afterwards.
import { loadConfig } from '../config.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import type { Db } from '../db/client.ts';
import { openRuntime } from '../runtime.ts';
import { findUserByEmail, type User } from '../users/index.ts';
import { AppError } from '../errors.ts';

export async function withRuntime<T>(fn: (deps: { db: Db; keys: SecretKeys }) => Promise<T>): Promise<T> {
  const { database, keys } = await openRuntime(loadConfig());
  try {
    return await fn({ db: database.db, keys });
  } finally {
    await database.close();
  }
}

export async function requireUser(deps: { db: Db }, email: string): Promise<User> {
  const user = await findUserByEmail(deps, email);
  if (!user) throw new AppError('USER_NOT_FOUND', { message: `No user with the e-mail ${email}.` });
  return user;
}

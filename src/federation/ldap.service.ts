// Password sign-in against an LDAP directory or Active Directory (#23), through ldapts: find the
// user's entry (as the service account, or anonymously), then bind as that entry with the
// password given; the password is never stored. A directory user is linked by their DN (the
// link table's `ldap` kind), created just in time, and put in the teams named by their
// directory groups at every sign-in. users/authenticate.ts calls it (a callback in deps) for a
// login that has no local password.
import { readFileSync } from 'node:fs';
import { checkServerIdentity, type ConnectionOptions } from 'node:tls';
import { Client, InvalidCredentialsError } from 'ldapts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { recordAudit, userActor } from '../access/index.ts';
import type { User } from '../users/index.ts';
import { applyTeamMapping, resolveUpstreamUser } from './links.service.ts';

export interface DirectoryEntry { dn: string; email: string; firstName: string; lastName: string; groups: string[] }

/** RFC 4515: a value inside a filter, its special characters escaped. */
function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function tlsOptionsOf(config: Config): ConnectionOptions | undefined {
  return config.DJAM_LDAP_CA_FILE ? { ca: readFileSync(config.DJAM_LDAP_CA_FILE) } : undefined;
}

async function connect(config: Config): Promise<Client> {
  const timeoutMs = config.DJAM_IDP_TIMEOUT_SECONDS * 1000;
  const url = config.DJAM_LDAP_URL!;
  // TLS options go to the constructor for ldaps:// only: there, ldapts would also start TLS on an ldap:// socket at once.
  const client = new Client({ url, timeout: timeoutMs, connectTimeout: timeoutMs, ...(url.startsWith('ldaps:') ? { tlsOptions: tlsOptionsOf(config) } : {}) });
  if (config.DJAM_LDAP_START_TLS) {
    // ldapts upgrades the socket without naming the server: the certificate is checked against the URL's host.
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    await client.startTLS({ ...tlsOptionsOf(config), checkServerIdentity: (_name, cert) => checkServerIdentity(host, cert) });
  }
  return client;
}

const first = (v: unknown): string => {
  const one = Array.isArray(v) ? v[0] : v;
  return typeof one === 'string' ? one : Buffer.isBuffer(one) ? one.toString('utf8') : '';
};

/** The directory could not be asked (down, TLS refused, the service account refused): not the user's fault. */
function unavailable(cause: unknown): AppError {
  return new AppError('LDAP_UNAVAILABLE', { cause });
}

/**
 * The entry of `login` when `password` is its password; undefined when the directory has no
 * such user (or several); INVALID_CREDENTIALS when the password is wrong.
 */
export async function checkDirectoryPassword(config: Config, login: string, password: string): Promise<DirectoryEntry | undefined> {
  // An empty password is an unauthenticated bind, which a directory accepts for any DN.
  if (!login || !password) return undefined;
  let client: Client | undefined;
  try {
    client = await connect(config);
    if (config.DJAM_LDAP_BIND_DN) await client.bind(config.DJAM_LDAP_BIND_DN, config.DJAM_LDAP_BIND_PASSWORD ?? '');
    const filter = config.DJAM_LDAP_USER_FILTER.replaceAll('{login}', escapeFilterValue(login));
    const attrs = [config.DJAM_LDAP_ATTR_EMAIL, config.DJAM_LDAP_ATTR_FIRST_NAME, config.DJAM_LDAP_ATTR_LAST_NAME];
    const { searchEntries } = await client.search(config.DJAM_LDAP_USER_BASE, { scope: 'sub', filter, attributes: attrs, sizeLimit: 2 });
    if (searchEntries.length !== 1) return undefined;
    const entry = searchEntries[0];
    try {
      await client.bind(entry.dn, password);
    } catch (err) {
      if (err instanceof InvalidCredentialsError) throw new AppError('INVALID_CREDENTIALS');
      throw err;
    }
    // The group search runs as the service account again (the user may not read groups).
    if (config.DJAM_LDAP_BIND_DN) await client.bind(config.DJAM_LDAP_BIND_DN, config.DJAM_LDAP_BIND_PASSWORD ?? '');
    const groups = config.DJAM_LDAP_GROUP_BASE ? await groupsOf(client, config, entry.dn) : [];
    return {
      dn: entry.dn, email: first(entry[config.DJAM_LDAP_ATTR_EMAIL]).trim(), groups,
      firstName: first(entry[config.DJAM_LDAP_ATTR_FIRST_NAME]).slice(0, 150), lastName: first(entry[config.DJAM_LDAP_ATTR_LAST_NAME]).slice(0, 150),
    };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw unavailable(err);
  } finally {
    await client?.unbind().catch(() => undefined);
  }
}

/** A client bound as the service account (or anonymous), for the sync. */
export async function directoryClient(config: Config): Promise<Client> {
  const client = await connect(config);
  if (config.DJAM_LDAP_BIND_DN) await client.bind(config.DJAM_LDAP_BIND_DN, config.DJAM_LDAP_BIND_PASSWORD ?? '');
  return client;
}

/** The entry at `dn` (the link's subject), or undefined when the directory no longer matches it. */
export async function readDirectoryEntry(client: Client, config: Config, dn: string): Promise<Omit<DirectoryEntry, 'groups' | 'dn'> | undefined> {
  const { searchEntries } = await client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: [config.DJAM_LDAP_ATTR_EMAIL, config.DJAM_LDAP_ATTR_FIRST_NAME, config.DJAM_LDAP_ATTR_LAST_NAME] });
  const entry = searchEntries[0];
  if (!entry) return undefined;
  return {
    email: first(entry[config.DJAM_LDAP_ATTR_EMAIL]).trim(),
    firstName: first(entry[config.DJAM_LDAP_ATTR_FIRST_NAME]).slice(0, 150), lastName: first(entry[config.DJAM_LDAP_ATTR_LAST_NAME]).slice(0, 150),
  };
}

export async function directoryGroups(client: Client, config: Config, dn: string): Promise<string[]> {
  return config.DJAM_LDAP_GROUP_BASE ? groupsOf(client, config, dn) : [];
}

async function groupsOf(client: Client, config: Config, dn: string): Promise<string[]> {
  const filter = config.DJAM_LDAP_GROUP_FILTER.replaceAll('{dn}', escapeFilterValue(dn));
  const nameAttr = config.DJAM_LDAP_GROUP_NAME_ATTRIBUTE;
  const { searchEntries } = await client.search(config.DJAM_LDAP_GROUP_BASE!, { scope: 'sub', filter, attributes: [nameAttr] });
  return searchEntries.map((g) => first(g[nameAttr])).filter(Boolean).sort();
}

/**
 * The password check users/authenticate.ts asks for a login without a local password: the
 * directory's user (created just in time, teams from their groups), or undefined when the
 * directory does not know the login. Undefined without DJAM_LDAP_URL.
 */
export function directoryPasswordCheck(deps: { config: Config; db: Db }): ((login: string, password: string) => Promise<User | undefined>) | undefined {
  if (!deps.config.DJAM_LDAP_URL) return undefined;
  return async (login, password) => {
    const entry = await checkDirectoryPassword(deps.config, login, password);
    if (!entry) return undefined;
    if (!entry.email.includes('@')) throw new AppError('INVALID_CREDENTIALS', { message: 'Your directory entry has no e-mail address: ask an administrator.' });
    let resolved: Awaited<ReturnType<typeof resolveUpstreamUser>>;
    try {
      // The directory is the deployment's own: its e-mail addresses are believed.
      resolved = await resolveUpstreamUser(deps, { kind: 'ldap', providerId: null }, { allowJit: true, allowedDomains: [] },
        { subject: entry.dn, email: entry.email, emailVerified: true, firstName: entry.firstName, lastName: entry.lastName });
    } catch (err) {
      // A local account with the directory user's address is not taken over by the directory.
      if (err instanceof AppError && err.code === 'IDP_ACCOUNT_EXISTS') {
        throw new AppError('INVALID_CREDENTIALS', { message: 'An account with your directory e-mail address already exists here: sign in with its own password.' });
      }
      if (err instanceof AppError && err.code === 'IDP_ACCESS_DENIED') throw new AppError('INVALID_CREDENTIALS');
      throw err;
    }
    if (resolved.created) {
      await recordAudit(deps.db, userActor(resolved.user), { action: 'user.create', entityType: 'user', entityId: resolved.user.id, after: { email: resolved.user.email, door: 'ldap' } });
    }
    await applyTeamMapping(deps, resolved.link, resolved.user, entry.groups);
    return resolved.user;
  };
}

// #23: the directory of the LDAP sign-in row: slapd started as test/federation/ldap.test.ts starts
// it (test/helpers/slapd.ts: a free loopback port, a throw-away tree), seeded with one user, and
// the server settings that point DJAM at it. Where slapd is not installed the row says so.
import type { Env } from './server.ts';
import { BENCH_LDAP_USER } from './seed.ts';
import { BASE_DN, ROOT_DN, ROOT_PASSWORD, slapdMissing, startSlapd } from '../test/helpers/slapd.ts';

export type BenchDirectory = { env: Env; stop(): Promise<void> } | { skip: string };

export async function startBenchDirectory(): Promise<BenchDirectory> {
  const missing = slapdMissing();
  if (missing) return { skip: `slapd not installed (${missing})` };
  const teardown: Array<() => Promise<void>> = [];
  const slapd = await startSlapd({ after: (fn: () => Promise<void>) => { teardown.push(fn); } });
  const stop = async () => { for (const fn of teardown.reverse()) await fn(); };
  const people = `ou=people,${BASE_DN}`;
  const groups = `ou=groups,${BASE_DN}`;
  const admin = await slapd.admin();
  try {
    await admin.add(BASE_DN, { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' });
    await admin.add(people, { objectClass: ['organizationalUnit'], ou: 'people' });
    await admin.add(groups, { objectClass: ['organizationalUnit'], ou: 'groups' });
    const dn = `uid=${BENCH_LDAP_USER.login},${people}`;
    await admin.add(dn, { objectClass: ['inetOrgPerson'], uid: BENCH_LDAP_USER.login, cn: 'Bench', givenName: 'Bench', sn: 'Directory', mail: 'bench-ldap@example.org', userPassword: BENCH_LDAP_USER.password });
    await admin.add(`cn=bench-directory,${groups}`, { objectClass: ['groupOfNames'], cn: 'bench-directory', member: [dn] });
  } catch (err) {
    await stop();
    throw err;
  } finally {
    await admin.unbind().catch(() => undefined);
  }
  return {
    env: { DJAM_LDAP_URL: slapd.url, DJAM_LDAP_BIND_DN: ROOT_DN, DJAM_LDAP_BIND_PASSWORD: ROOT_PASSWORD, DJAM_LDAP_USER_BASE: people, DJAM_LDAP_GROUP_BASE: groups },
    stop,
  };
}

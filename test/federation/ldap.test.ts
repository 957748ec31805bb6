// #23: password sign-in against a real OpenLDAP directory (slapd, started by this file on a free
// port): search the entry, bind as it, create the user just in time, directory groups → teams,
// also through GeoServer's credential check; wrong passwords, filter injection, an existing local
// address and a deleted entry refused.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Attribute, Change, type Client } from 'ldapts';
import { findUserByEmail } from '../../src/users/index.ts';
import { checkDirectoryPassword, syncDirectoryUsers } from '../../src/federation/index.ts';
import { AppError } from '../../src/errors.ts';
import { listTeamNamesOfUser } from '../../src/privileges/index.ts';
import { BASE_DN, ROOT_DN, ROOT_PASSWORD, slapdMissing, startSlapd } from '../helpers/slapd.ts';
import { afterOf, startTestServer, type TestServer } from '../helpers/start-server.ts';

const missing = slapdMissing();
let djam: TestServer;
let admin: Client;
let tls: { ldapsUrl: string; caFile: string };

const people = `ou=people,${BASE_DN}`;
const groups = `ou=groups,${BASE_DN}`;

async function addPerson(uid: string, password: string, mail: string): Promise<string> {
  const dn = `uid=${uid},${people}`;
  await admin.add(dn, { objectClass: ['inetOrgPerson'], uid, cn: uid, givenName: uid[0].toUpperCase() + uid.slice(1), sn: 'Directory', mail, userPassword: password });
  return dn;
}

before(async (t) => {
  if (missing) return;
  const slapd = await startSlapd(t);
  admin = await slapd.admin();
  tls = slapd;
  afterOf(t)(() => admin.unbind().catch(() => undefined));
  await admin.add(BASE_DN, { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' });
  await admin.add(people, { objectClass: ['organizationalUnit'], ou: 'people' });
  await admin.add(groups, { objectClass: ['organizationalUnit'], ou: 'groups' });
  const lena = await addPerson('lena', 'lena-Directory-pw', 'lena@example.org');
  await addPerson('mo', 'mo-Directory-pw', 'mo@example.org');
  await admin.add(`cn=gis-editors,${groups}`, { objectClass: ['groupOfNames'], cn: 'gis-editors', member: [lena] });
  await admin.add(`cn=survey,${groups}`, { objectClass: ['groupOfNames'], cn: 'survey', member: [lena] });
  djam = await startTestServer(t, {
    DJAM_LDAP_URL: slapd.url, DJAM_LDAP_BIND_DN: ROOT_DN, DJAM_LDAP_BIND_PASSWORD: ROOT_PASSWORD,
    DJAM_LDAP_USER_BASE: people, DJAM_LDAP_GROUP_BASE: groups, DJAM_IDP_TIMEOUT_SECONDS: '3',
  });
});

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('#23 sign-in with a directory password (LDAP)', { skip: missing }, () => {
  test('a directory user signs in with their uid, is created just in time, and their groups are teams', async () => {
    const b = djam.browser();
    const res = await b.submitForm('/accounts/login/', { username: 'lena', password: 'lena-Directory-pw' });
    assert.equal(res.status, 302);
    const lena = await findUserByEmail({ db: djam.database.db }, 'lena@example.org');
    assert.ok(lena);
    assert.equal(lena.firstName, 'Lena');
    assert.equal(lena.password, '', 'the directory password is not stored');
    assert.equal(res.headers.get('location'), `/user/account/edit/${lena.id}/`);
    assert.deepEqual(await listTeamNamesOfUser({ db: djam.database.db }, lena.id), ['gis-editors', 'survey']);

    // GeoServer's credential check sees the same user and groups, by e-mail too.
    const check = await fetch(`${djam.url}/openid/credentials/introspect/?u=${b64('lena@example.org')}&p=${b64('lena-Directory-pw')}`);
    assert.equal(check.status, 200);
    assert.deepEqual(await check.json(), { username: 'lena@example.org', groups: ['gis-editors', 'survey'] });

    // Taken out of a directory group: the next sign-in takes the team back.
    await admin.modify(`cn=survey,${groups}`, new Change({ operation: 'replace', modification: new Attribute({ type: 'member', values: [`uid=mo,${people}`] }) }));
    assert.equal((await djam.browser().submitForm('/accounts/login/', { username: 'lena@example.org', password: 'lena-Directory-pw' })).status, 302);
    assert.deepEqual(await listTeamNamesOfUser({ db: djam.database.db }, lena.id), ['gis-editors']);
  });

  test('a wrong password, an empty one and a filter injection are refused', async () => {
    for (const [username, password] of [['mo', 'wrong'], ['mo', ''], ['*', 'mo-Directory-pw'], ['mo)(uid=*', 'mo-Directory-pw']]) {
      const res = await djam.browser().submitForm('/accounts/login/', { username, password });
      assert.equal(res.status, 200, `${username}/${password}`);
      assert.match(await res.text(), /class="error"/);
    }
    assert.equal(await findUserByEmail({ db: djam.database.db }, 'mo@example.org'), undefined);
    const check = await fetch(`${djam.url}/openid/credentials/introspect/?u=${b64('mo')}&p=${b64('wrong')}`);
    assert.equal(check.status, 401);
  });

  test('a local account with the directory user\'s address is not taken over', async () => {
    await addPerson('nina', 'nina-Directory-pw', 'nina@example.org');
    const local = await djam.make.user({ email: 'nina@example.org' });
    const res = await djam.browser().submitForm('/accounts/login/', { username: 'nina', password: 'nina-Directory-pw' });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /already exists here: sign in with its own password/);
    // Her own password still works, for her own account.
    assert.equal((await djam.browser().submitForm('/accounts/login/', { username: local.email, password: local.password })).status, 302);
  });

  test('an entry deleted from the directory cannot sign in any more', async () => {
    await addPerson('otto', 'otto-Directory-pw', 'otto@example.org');
    assert.equal((await djam.browser().submitForm('/accounts/login/', { username: 'otto', password: 'otto-Directory-pw' })).status, 302);
    await admin.del(`uid=otto,${people}`);
    const res = await djam.browser().submitForm('/accounts/login/', { username: 'otto@example.org', password: 'otto-Directory-pw' });
    assert.equal(res.status, 200);
  });

  test('ldap-sync: a dry run says what would change; the run renames, and deactivates users gone from the directory', async () => {
    await addPerson('pia', 'pia-Directory-pw', 'pia@example.org');
    await addPerson('quinn', 'quinn-Directory-pw', 'quinn@example.org');
    for (const uid of ['pia', 'quinn']) assert.equal((await djam.browser().submitForm('/accounts/login/', { username: uid, password: `${uid}-Directory-pw` })).status, 302);
    await admin.modify(`uid=pia,${people}`, new Change({ operation: 'replace', modification: new Attribute({ type: 'sn', values: ['Renamed'] }) }));
    await admin.del(`uid=quinn,${people}`);
    const deps = { config: djam.config, db: djam.database.db, keys: djam.keys };
    const dry = await syncDirectoryUsers(deps, { dryRun: true });
    assert.ok(dry.lines.includes('quinn@example.org: would be deactivated (gone from the directory)'), dry.lines.join('\n'));
    assert.ok(dry.lines.some((l) => l.startsWith('pia@example.org: would be updated: name → Pia Renamed')), dry.lines.join('\n'));
    assert.equal((await findUserByEmail({ db: djam.database.db }, 'quinn@example.org'))!.isActive, true, 'a dry run changes nothing');
    const run = await syncDirectoryUsers(deps, { dryRun: false });
    assert.ok(run.deactivated >= 1);
    assert.equal((await findUserByEmail({ db: djam.database.db }, 'quinn@example.org'))!.isActive, false);
    assert.equal((await findUserByEmail({ db: djam.database.db }, 'pia@example.org'))!.lastName, 'Renamed');
    assert.equal((await syncDirectoryUsers(deps, { dryRun: true })).lines.filter((l) => l.startsWith('pia') || l.startsWith('quinn')).length, 0, 'nothing left to do');
  });

  test('ldaps:// and StartTLS with the directory\'s CA file; a certificate from an unknown CA is refused', async () => {
    const config = { ...djam.config, DJAM_LDAP_CA_FILE: tls.caFile };
    const probe = (c: typeof config) => checkDirectoryPassword(c, 'mo', 'mo-Directory-pw');
    assert.equal((await probe({ ...config, DJAM_LDAP_URL: tls.ldapsUrl }))?.email, 'mo@example.org');
    assert.equal((await probe({ ...config, DJAM_LDAP_START_TLS: true }))?.email, 'mo@example.org');
    await assert.rejects(checkDirectoryPassword({ ...djam.config, DJAM_LDAP_URL: tls.ldapsUrl }, 'mo', 'mo-Directory-pw'),
      (err) => err instanceof AppError && err.code === 'LDAP_UNAVAILABLE');
  });
});

// A real OpenLDAP server for one test file (#23): slapd from the distribution's package, started
// on a free loopback port with its own configuration and database in a temporary folder, seeded
// through ldapts, stopped by the file's teardown. Where slapd is not installed the caller skips
// its tests and says why (.ci/run installs it).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { afterOf, freePort, type TeardownContext } from './start-server.ts';

export const SLAPD = '/usr/sbin/slapd';
export const BASE_DN = 'dc=example,dc=org';
export const ROOT_DN = `cn=admin,${BASE_DN}`;
export const ROOT_PASSWORD = 'root-secret';

export interface Slapd {
  url: string;
  /** ldaps:// on its own port, with a certificate for 127.0.0.1 signed by `caFile` (a CA made for this run). */
  ldapsUrl: string;
  caFile: string;
  admin(): Promise<Client>;
}

/** A throw-away CA and a server certificate for 127.0.0.1 it signed, made with openssl. */
function makeTestCertificates(dir: string): { ca: string; cert: string; key: string } {
  const f = (name: string) => join(dir, name);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '1', '-subj', '/CN=DJAM test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1']);
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '1', '-extfile', f('san.ext')]);
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}

/** Why the LDAP tests cannot run here, or undefined when they can. */
export function slapdMissing(): string | undefined {
  return existsSync(SLAPD) ? undefined : `${SLAPD} is not installed (apt-get install slapd; .ci/run does)`;
}

export async function startSlapd(t: TeardownContext): Promise<Slapd> {
  const dir = mkdtempSync(join(tmpdir(), 'djam-slapd-'));
  mkdirSync(join(dir, 'db'));
  const tls = makeTestCertificates(dir);
  writeFileSync(join(dir, 'slapd.conf'), [
    `TLSCACertificateFile ${tls.ca}`, `TLSCertificateFile ${tls.cert}`, `TLSCertificateKeyFile ${tls.key}`,
    'include /etc/ldap/schema/core.schema', 'include /etc/ldap/schema/cosine.schema', 'include /etc/ldap/schema/inetorgperson.schema',
    'modulepath /usr/lib/ldap', 'moduleload back_mdb', `pidfile ${join(dir, 'slapd.pid')}`,
    'database mdb', 'maxsize 10485760', `suffix "${BASE_DN}"`, `rootdn "${ROOT_DN}"`, `rootpw ${ROOT_PASSWORD}`, `directory ${join(dir, 'db')}`,
    // Users may check their own password; only the service account (the root here) reads the tree.
    'access to attrs=userPassword by anonymous auth by * none', 'access to * by users read by anonymous auth',
  ].join('\n'));
  const url = `ldap://127.0.0.1:${await freePort()}`;
  const ldapsUrl = `ldaps://127.0.0.1:${await freePort()}`;
  // -d 0: stay in the foreground (the test owns the process) without debug output.
  const child = spawn(SLAPD, ['-f', join(dir, 'slapd.conf'), '-h', `${url}/ ${ldapsUrl}/`, '-d', '0'], { stdio: 'ignore' });
  afterOf(t)(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const admin = async () => {
    const client = new Client({ url, connectTimeout: 1000 });
    await client.bind(ROOT_DN, ROOT_PASSWORD);
    return client;
  };
  for (let i = 0; ; i++) {
    try {
      await (await admin()).unbind();
      break;
    } catch (err) {
      if (i > 50 || child.exitCode !== null) throw new Error(`slapd did not start: ${String(err)}`, { cause: err });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, ldapsUrl, caFile: tls.ca, admin };
}

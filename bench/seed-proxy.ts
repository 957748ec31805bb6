// Seeds the bench's proxy scenario: `node --import tsx bench/seed-proxy.ts <upstream URL> <email>
// <password>` prints `{"authkey": "<the user's resource key>"}`. There is no CLI for resources yet, so this does what an administrator would, through
// the services, on the database the server is about to open (same env, same openRuntime as the
// CLI; it runs before the server starts because embedded PGlite admits one process at a time).
import { loadConfig } from '../src/config.ts';
import { openRuntime } from '../src/runtime.ts';
import { createApiKey, daysFromNow } from '../src/api-keys/index.ts';
import { addTeamMember, createAccessRule, createResource, createRole, createTeam, grantRoleToTeam } from '../src/teams/index.ts';
import { createUser } from '../src/users/index.ts';

const [url, email, password] = process.argv.slice(2);
const { database, keys } = await openRuntime(loadConfig());
try {
  const deps = { db: database.db, keys };
  const user = await createUser(deps, { email, password, emailConfirmed: true });
  const team = await createTeam(deps, 'bench');
  await addTeamMember(deps, team.id, user.id);
  const role = await createRole(deps, 'bench-viewer');
  await grantRoleToTeam(deps, role.id, team.id); // the role comes via the team, the longer path
  const resource = await createResource(deps, { slug: 'bench', type: 'Upstream Service', url });
  await createAccessRule(deps, { resourceId: resource.id, roleId: role.id, active: true });
  const { key } = await createApiKey(deps, { userId: user.id, scope: 'resource', expiry: daysFromNow(30) });
  process.stdout.write(`${JSON.stringify({ authkey: key })}\n`);
} finally {
  await database.close();
}

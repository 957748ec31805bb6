// `djam createrole --name N [--team T]... [--user EMAIL]...`: a role granted to teams (and so
// their members) or to users directly.
import { AppError } from '../../errors.ts';
import { cliActor } from '../../access/index.ts';
import { changeUserRoleAs, createRole, findRoleByName, findTeamByName, grantRoleToTeam } from '../../privileges/index.ts';
import { defineCommand } from '../command.ts';
import { requireUser, withRuntime } from '../with-runtime.ts';

export const createRoleCommand = defineCommand({
  name: 'createrole', summary: 'create a role (or reuse one by name) and grant it to teams and users', usage: '--name N [--team T]... [--user EMAIL]...',
  flags: {
    name: { type: 'string', value: 'N', required: true, doc: 'the role\'s name' },
    team: { type: 'string', multiple: true, value: 'T', doc: 'grant the role to this team and so its members (repeatable)' },
    user: { type: 'string', multiple: true, value: 'EMAIL', doc: 'grant the role to this user directly (repeatable)' },
  },
  run: (values) => withRuntime(async (deps) => {
    const name = values.name ?? '';
    const role = (await findRoleByName(deps, name)) ?? (await createRole(deps, name));
    for (const teamName of values.team ?? []) {
      const team = await findTeamByName(deps, teamName);
      if (!team) throw new AppError('VALIDATION_FAILED', { message: `No team named ${teamName}.` });
      await grantRoleToTeam(deps, role.id, team.id);
    }
    for (const email of values.user ?? []) await changeUserRoleAs(deps, cliActor, (await requireUser(deps, email)).id, role.id, 'add');
    process.stdout.write(`${JSON.stringify({ id: role.id, name: role.name })}\n`);
    return 0;
  }),
});

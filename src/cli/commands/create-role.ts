// `djam createrole --name N [--team T]... [--user EMAIL]...`: a role granted to teams (and so
// their members) or to users directly.
import { parseArgs } from 'node:util';
import { AppError } from '../../errors.ts';
import { cliActor } from '../../access/index.ts';
import { changeUserRoleAs, createRole, findRoleByName, findTeamByName, grantRoleToTeam } from '../../teams/index.ts';
import { requireUser, usage, withRuntime } from '../with-runtime.ts';

export async function createRoleCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { name: { type: 'string' }, team: { type: 'string', multiple: true }, user: { type: 'string', multiple: true } } });
  if (!values.name) return usage('djam createrole --name N [--team T]... [--user EMAIL]...');
  const name = values.name;
  return withRuntime(async (deps) => {
    const role = (await findRoleByName(deps, name)) ?? (await createRole(deps, name));
    for (const teamName of values.team ?? []) {
      const team = await findTeamByName(deps, teamName);
      if (!team) throw new AppError('VALIDATION_FAILED', { message: `No team named ${teamName}.` });
      await grantRoleToTeam(deps, role.id, team.id);
    }
    for (const email of values.user ?? []) await changeUserRoleAs(deps, cliActor, (await requireUser(deps, email)).id, role.id, 'add');
    process.stdout.write(`${JSON.stringify({ id: role.id, name: role.name })}\n`);
    return 0;
  });
}

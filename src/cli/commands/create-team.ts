// `djam createteam --name N [--member EMAIL]...`: a team and its members (team names are what
// GeoServer sees as roles).
import { parseArgs } from 'node:util';
import { cliActor } from '../../access/index.ts';
import { changeTeamMembershipAs, createTeam, findTeamByName } from '../../teams/index.ts';
import { requireUser, usage, withRuntime } from '../with-runtime.ts';

export async function createTeamCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { name: { type: 'string' }, member: { type: 'string', multiple: true } } });
  if (!values.name) return usage('djam createteam --name N [--member EMAIL]...');
  const name = values.name;
  return withRuntime(async (deps) => {
    const team = (await findTeamByName(deps, name)) ?? (await createTeam(deps, name));
    for (const email of values.member ?? []) await changeTeamMembershipAs(deps, cliActor, (await requireUser(deps, email)).id, team.id, 'add');
    process.stdout.write(`${JSON.stringify({ id: team.id, name: team.name, members_added: values.member?.length ?? 0 })}\n`);
    return 0;
  });
}

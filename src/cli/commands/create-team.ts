// `djam createteam --name N [--member EMAIL]...`: a team and its members (team names are what
// GeoServer sees as roles).
import { cliActor } from '../../access/index.ts';
import { changeTeamMembershipAs, createTeam, findTeamByName } from '../../privileges/index.ts';
import { defineCommand } from '../command.ts';
import { requireUser, withRuntime } from '../with-runtime.ts';

export const createTeamCommand = defineCommand({
  name: 'createteam', summary: 'create a team (or reuse one by name) and add members by e-mail', usage: '--name N [--member EMAIL]...',
  flags: {
    name: { type: 'string', value: 'N', required: true, doc: 'the team\'s name (GeoServer sees it as a role)' },
    member: { type: 'string', multiple: true, value: 'EMAIL', doc: 'add the user with this e-mail address (repeatable)' },
  },
  run: (values) => withRuntime(async (deps) => {
    const name = values.name ?? '';
    const team = (await findTeamByName(deps, name)) ?? (await createTeam(deps, name));
    for (const email of values.member ?? []) await changeTeamMembershipAs(deps, cliActor, (await requireUser(deps, email)).id, team.id, 'add');
    process.stdout.write(`${JSON.stringify({ id: team.id, name: team.name, members_added: values.member?.length ?? 0 })}\n`);
    return 0;
  }),
});

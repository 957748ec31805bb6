export { createRole, effectiveRoleIds, findRoleByName, grantRoleToTeam, grantRoleToUser, listEffectiveRoleNames } from './roles.service.ts';
export {
  addTeamMember, createTeam, findTeamByName, listTeamNamesOfUser, listTeams, listUsersWithTeams,
} from './teams.service.ts';
export {
  createNamedRole, createNamedTeam, deleteRole, deleteTeam, getRole, getTeam, listDirectRolesOfUser, listRoleHolders,
  listRolesOfTeam, listRolesPage, listTeamMembers, listTeamsOfUser, listTeamsPage, missingTeamIds, renameRole, renameTeam,
  removeTeamMember, revokeRoleFromTeam,
} from './teams-admin.service.ts';
export { adminsHoldingRole, adminsInTeams } from './affected-admins.ts';
export { changeTeamMembershipAs, changeUserRoleAs } from './memberships-manage.service.ts';

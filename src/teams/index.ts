export { LOGIN_PREVENTED_MESSAGE, isLoginPrevented, setLoginPrevention } from './login-preventions.service.ts';
export {
  UPSTREAM_SERVICE, createAccessRule, createResource, listUsableResources,
} from './resources.service.ts';
export type { AccessRule, NewResource, Resource } from './resources.service.ts';
export { createRole, findRoleByName, grantRoleToTeam, grantRoleToUser, listEffectiveRoleNames } from './roles.service.ts';
export type { Role } from './roles.service.ts';
export {
  addTeamMember, createTeam, findTeamByName, listTeamNamesOfUser, listTeams, listUsersWithTeams,
} from './teams.service.ts';
export type { Team } from './teams.service.ts';
export { createPreventionIndex } from './prevention-index.ts';
export type { PreventionIndex } from './prevention-index.ts';
export { createAccessDecisions } from './access-decisions.ts';
export type { AccessDecisions } from './access-decisions.ts';
export {
  createNamedRole, createNamedTeam, deleteRole, deleteTeam, getRole, getTeam, listDirectRolesOfUser, listRoleHolders,
  listRolesOfTeam, listRolesPage, listTeamMembers, listTeamsOfUser, listTeamsPage, missingTeamIds, renameRole, renameTeam,
  revokeRoleFromTeam,
} from './teams-admin.service.ts';
export {
  deleteAccessRule, deleteLoginPrevention, deleteResource, findLoginPreventionOfClient, getAccessRule, getLoginPrevention,
  getResource, listAccessRulesPage, listLoginPreventionsPage, listResourcesPage, updateAccessRule, updateResource,
} from './resources-admin.service.ts';
export type { LoginPreventionView } from './resources-admin.service.ts';
export { adminsHoldingRole, adminsInTeams } from './affected-admins.ts';
export { changeTeamMembershipAs, changeUserRoleAs } from './memberships-manage.service.ts';

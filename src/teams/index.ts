export { LOGIN_PREVENTED_MESSAGE, isLoginPrevented, setLoginPrevention } from './login-preventions.service.ts';
export { addTeamMember, createTeam, findTeamByName, listTeamNamesOfUser } from './teams.service.ts';
export type { Team } from './teams.service.ts';

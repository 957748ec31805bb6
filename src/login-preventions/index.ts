// Login preventions: a client whose sign-ins are refused to everyone outside the teams it names.
export { LOGIN_PREVENTED_MESSAGE, isLoginPrevented, setLoginPrevention } from './login-preventions.service.ts';
export { createPreventionIndex } from './prevention-index.ts';
export type { PreventionIndex } from './prevention-index.ts';
export {
  deleteLoginPrevention, findLoginPreventionOfClient, getLoginPrevention, listLoginPreventionsPage,
} from './login-preventions-admin.service.ts';

export { authenticate } from './authenticate.ts';
export { hashPassword, verifyPassword } from './passwords.ts';
export { createSession, deleteSession, deleteSessionsOfUser, findSession, findSessionUuidByCode, recordSessionCode } from './sessions.service.ts';
export type { ActiveSession } from './sessions.service.ts';
export {
  createUser, findUser, findUserByEmail, findUserByUsername, getUser, normaliseEmail, setPassword, setPasswordHash, updateUserProfile,
} from './users.service.ts';
export type { NewUser, ProfileChange, User } from './users.service.ts';
export { passwordProblems } from './password-rules.ts';
export { importLegacyUsers, importSkipReasons } from './users-import.service.ts';
export type { ImportReport } from './users-import.service.ts';

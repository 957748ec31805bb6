export { authenticate, type DirectoryPasswordCheck } from './authenticate.ts';
export {
  admitMailRequest, admitPasswordAttempt, checkKey, countKeyMiss, createCredentialThrottle, keyCheckWait, retryAfterOf,
} from './credential-throttle.ts';
export type { CredentialThrottle } from './credential-throttle.ts';
export { deleteDeadThrottleCounters, postgresThrottleStore, redisThrottleStore } from './throttle-store.ts';
export type { ThrottleStore } from './throttle-store.ts';
export { hashPassword, verifyPassword } from './passwords.ts';
export { startSession, deleteExpiredSessions, deleteSession, deleteSessionsOfUser, findSession, raiseSession, USER_SESSIONS_ENDED_JOB } from './sessions.service.ts';
export type { ActiveSession, SessionCache } from './sessions.service.ts';
export {
  createUser, findUser, findUserByEmail, findUserByUsername, getUser, normaliseEmail, setPasswordHash, setPendingEmail,
  switchToPendingEmail, updateUserProfile,
} from './users.service.ts';
export type { NewUser, User } from './users.service.ts';
export { passwordProblems } from './password-rules.ts';
export { importLegacyUsers, importSkipReasons } from './users-import.service.ts';
export type { ImportReport } from './users-import.service.ts';
export { createUserCache } from './user-cache.ts';
export { createSessionCache } from './session-cache.ts';
export type { UserCache } from './user-cache.ts';
export { USER_SORT_FIELDS, listUsers, updateUser } from './users-admin.service.ts';
export type { UserChange } from './users-admin.service.ts';
export { changeUserAs, confirmEmailAs, createUserAs, deleteUserAs, resetPasswordAs, setPasswordAs } from './users-manage.service.ts';
export { userRecord } from './user-record.ts';
export { lockStateOfUser, unlockUserAs } from './lockout.service.ts';

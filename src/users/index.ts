export { authenticate } from './authenticate.ts';
export { hashPassword, verifyPassword } from './passwords.ts';
export { createSession, deleteSession, findSession, findSessionUuidByCode, recordSessionCode } from './sessions.service.ts';
export type { ActiveSession } from './sessions.service.ts';
export { createUser, findUser, findUserByEmail, getUser, normaliseEmail, setPassword } from './users.service.ts';
export type { NewUser, User } from './users.service.ts';

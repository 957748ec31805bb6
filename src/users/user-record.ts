// A user as the admin API shows it and the audit log records it: snake_case, ISO dates, and
// whether a password is set instead of its hash.
import type { User } from './users.service.ts';

export function userRecord(u: User) {
  return {
    id: u.id, email: u.email, username: u.username, first_name: u.firstName, last_name: u.lastName,
    is_active: u.isActive, is_staff: u.isStaff, is_superuser: u.isSuperuser, email_confirmed: u.emailConfirmed,
    date_joined: new Date(u.dateJoined).toISOString(), last_login: u.lastLogin === null ? null : new Date(u.lastLogin).toISOString(), has_usable_password: u.password !== '' && !u.password.startsWith('!'),
  };
}

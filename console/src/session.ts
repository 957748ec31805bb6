// Who is signed in: the console rides on the server's own session (the login page sets the
// cookie), so GET /api/admin/session answers for the browser, with the CSRF token to echo.
import { HttpError } from 'react-admin';
import type { Session } from './api-types.ts';
import { api, setCsrfToken } from './http.ts';

type SessionState =
  | { kind: 'signed-in'; session: Session }
  | { kind: 'signed-out' }
  | { kind: 'refused'; message: string };

let cached: Session | undefined;

export async function loadSession(): Promise<SessionState> {
  try {
    const session = await api<Session>('GET', '/session');
    cached = session;
    setCsrfToken(session.csrf_token);
    return { kind: 'signed-in', session };
  } catch (err) {
    cached = undefined;
    if (err instanceof HttpError && err.status === 401) return { kind: 'signed-out' };
    if (err instanceof HttpError && err.status === 403) return { kind: 'refused', message: err.message };
    throw err;
  }
}

export const cachedSession = (): Session | undefined => cached;

export function forgetSession(): void {
  cached = undefined;
  setCsrfToken(undefined);
}

export function displayName(user: Session['user']): string {
  if (!user) return 'Administrator';
  const name = `${user.first_name} ${user.last_name}`.trim();
  return name || user.email;
}

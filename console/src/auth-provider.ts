// react-admin's AuthProvider on the server session: no login form of our own (the server's
// /accounts/login/ signs in), sign-out by a POST to /accounts/logout/, and the permission that decides
// which menus show: `superuser` or `staff`.
import type { AuthProvider } from 'react-admin';
import { loginUrl, signOut } from './http.ts';
import { cachedSession, displayName, forgetSession, loadSession } from './session.ts';

type Permission = 'superuser' | 'staff';

/** Leaves the SPA for the sign-in page; the promise never settles as the page goes away. */
function goToLogin(): Promise<never> {
  window.location.assign(loginUrl());
  return new Promise(() => undefined);
}

async function session() {
  const known = cachedSession();
  if (known) return known;
  const state = await loadSession();
  if (state.kind === 'signed-out') return goToLogin();
  if (state.kind === 'refused') throw new Error(state.message);
  return state.session;
}

export const authProvider: AuthProvider = {
  login: async () => goToLogin(),
  logout: async () => {
    // The token first: forgetSession() drops the copy /api/admin/session handed out.
    signOut();
    forgetSession();
    // The page is leaving for the server's answer; react-admin must not redirect meanwhile.
    return new Promise<never>(() => undefined);
  },
  checkAuth: async () => {
    await session();
  },
  checkError: async (error: { status?: number }) => {
    if (error?.status === 401) {
      forgetSession();
      await goToLogin();
    }
    // A 403 (superuser only, CSRF) is a refusal of one action, shown as its message; the session stays.
  },
  getIdentity: async () => {
    const { user } = await session();
    return { id: user?.id ?? 'machine', fullName: displayName(user) };
  },
  getPermissions: async (): Promise<Permission> => ((await session()).user?.is_superuser ? 'superuser' : 'staff'),
};

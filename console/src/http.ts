// Every call to the admin API: same-origin JSON with the session cookie, the CSRF token echoed on
// unsafe methods, and the API's one error shape `{ error, message, details }` turned into
// react-admin's HttpError, whose `body.errors` (field → message) the forms show beside each input.
import { HttpError } from 'react-admin';

const API_BASE = '/api/admin';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The server's own sign-in page, coming back to where the administrator was. */
export function loginUrl(next = `${window.location.pathname}${window.location.search}${window.location.hash}`): string {
  return `${window.location.origin}/accounts/login/?next=${encodeURIComponent(next)}`;
}
/** The server's sign-out confirmation page (for a link: signing out itself takes a POST with the token). */
export const logoutUrl = (): string => `${window.location.origin}/accounts/logout/?next=${encodeURIComponent('/accounts/login/')}`;

/**
 * Signs out as the server's own pages do: a form POST with the CSRF token (a GET only asks to
 * confirm). The browser leaves the SPA for the server's answer, the login page.
 */
export function signOut(): void {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = logoutUrl();
  const token = document.createElement('input');
  token.type = 'hidden';
  token.name = 'csrfmiddlewaretoken';
  token.value = csrfToken() ?? '';
  form.append(token);
  document.body.append(form);
  form.submit();
}

let sessionCsrfToken: string | undefined;

/** Remembers the token /api/admin/session handed out; the XSRF-TOKEN cookie wins when it is readable. */
export function setCsrfToken(token: string | undefined): void {
  sessionCsrfToken = token;
}

function csrfToken(): string | undefined {
  const cookie = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='));
  return cookie ? decodeURIComponent(cookie.slice('XSRF-TOKEN='.length)) : sessionCsrfToken;
}

interface ErrorBody { error?: string; message?: string; details?: { fields?: Record<string, string> } }

// Conflicts the API reports by code, shown on the input they are about.
const CONFLICT_FIELDS: Record<string, string> = { EMAIL_TAKEN: 'email', USERNAME_TAKEN: 'email', NAME_TAKEN: 'name', CLIENT_ID_TAKEN: 'client_id' };

function toHttpError(status: number, body: ErrorBody | undefined, statusText: string): HttpError {
  const fields = { ...(body?.details?.fields ?? {}) };
  const conflictField = body?.error ? CONFLICT_FIELDS[body.error] : undefined;
  if (conflictField && body?.message && !fields[conflictField]) fields[conflictField] = body.message;
  const base = body?.message ?? (statusText || `HTTP ${status}`);
  const listed = Object.entries(fields).map(([field, message]) => `${field}: ${message}`).join('; ');
  const message = listed ? `${base} ${listed}` : base;
  const errors = Object.keys(fields).length ? { ...fields, root: { serverError: message } } : undefined;
  return new HttpError(message, status, { ...body, errors });
}

/** Calls `/api/admin<path>` and returns the parsed JSON (undefined for 204). */
export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!SAFE_METHODS.has(method)) {
    const token = csrfToken();
    if (token) headers['x-csrftoken'] = token;
  }
  const res = await fetch(`${API_BASE}${path}`, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) throw toHttpError(res.status, parsed as ErrorBody | undefined, res.statusText);
  return parsed as T;
}

/** A query string from the defined values only. */
export function queryString(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

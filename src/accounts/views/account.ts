// The account page (docs/compatibility.md §6.9): the profile form and, when the dashboard flags are on, the
// Resources section with the usable upstream services and the user's active API keys.
import { html, type SafeHtml } from '../../http/views/html.ts';
import { layout, message } from '../../http/views/layout.ts';
import type { User } from '../../users/index.ts';
import type { KeyAction } from '../account-keys.service.ts';
import type { FieldErrors } from '../form-input.ts';
import type { ProfileForm } from '../profile.service.ts';
import { csrfInput, field, formAlert } from './fields.ts';

interface ServiceLink { slug: string; description: string | null; url: string }
interface KeyView { id: number; key: string; expiry: Date }

export interface AccountView {
  user: User;
  csrfToken: string;
  values?: ProfileForm;
  errors?: FieldErrors;
  notice?: string;
  showFixError?: boolean;
  /** A same-origin return path (safeNext), carried through the profile form: the pending authorization. */
  next?: string;
  /** undefined: that part of the Resources section is off. */
  services?: ServiceLink[];
  keys?: KeyView[];
  /** #21: the user's own recent sign-ins, newest first. */
  signIns?: SignInView[];
}

interface SignInView { time: Date; ip: string | null; userAgent: string | null }

const FIX_ERROR = 'User data cannot be empty! Fill the form and try again!';
export const PROFILE_UPDATED = 'Information successfully updated!';
export const OTHER_SESSIONS_ENDED = 'You are signed out everywhere else.';
export const emailChangeNotice = (email: string) =>
  `${PROFILE_UPDATED} We have sent a confirmation link to ${email}. Your e-mail address changes when you follow it, within 12 hours.`;
export const KEY_NOTICES: Record<KeyAction, string> = {
  create: 'A new API key was created.',
  renew: 'The API key was renewed.',
  rotate: 'The API key was replaced by a new one; the old key no longer works.',
  revoke: 'The API key was revoked.',
};

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function pendingHint(user: User): string | undefined {
  return user.pendingEmail ? `Waiting for confirmation: ${user.pendingEmail}. Follow the link we sent there to make it your address.` : undefined;
}

function profileForm(v: AccountView): SafeHtml {
  const errors = v.errors ?? {};
  const values = v.values ?? { first_name: v.user.firstName, last_name: v.user.lastName, email: v.user.email, secondary_email: v.user.secondaryEmail ?? '' };
  return html`<section aria-labelledby="account-info"><h2 id="account-info">Account info</h2>
    ${v.showFixError ? message('error', FIX_ERROR) : formAlert(errors)}
    <form method="post" action="/user/account/edit/${v.user.id}/" novalidate>
      ${csrfInput(v.csrfToken)}
      ${v.next ? html`<input type="hidden" name="next" value="${v.next}">` : ''}
      ${field({ name: 'first_name', label: 'First name', value: values.first_name, required: true, maxlength: 150, autocomplete: 'given-name' }, errors)}
      ${field({ name: 'last_name', label: 'Last name', value: values.last_name, required: true, maxlength: 150, autocomplete: 'family-name' }, errors)}
      ${field({ name: 'email', label: 'Email', type: 'email', value: values.email, required: true, maxlength: 254, autocomplete: 'email', hint: pendingHint(v.user) }, errors)}
      ${field({ name: 'secondary_email', label: 'Secondary email', type: 'email', value: values.secondary_email, maxlength: 254 }, errors)}
      <button type="submit">Save</button>
    </form>
    <p><a href="/accounts/password_change/">Change password</a> · <a href="/accounts/idp/">Sign-in methods</a></p></section>`;
}

function servicesPart(services: ServiceLink[]): SafeHtml {
  return html`<h3>Upstream services</h3>
    ${services.length ? html`<ul>${services.map((s) => html`<li><a href="${s.url}">${s.slug}</a>${s.description ? ` - ${s.description}` : ''}</li>`)}</ul>`
      : html`<p>There aren't available upstream services.</p>`}`;
}

// Every key has the same three buttons: the accessible name says which key each one acts on.
function keyForm(csrfToken: string, key: KeyView, action: KeyAction, label: string, cls = 'secondary'): SafeHtml {
  return html`<form method="post" action="/user/account/keys/${key.id}/${action}/" class="inline">${csrfInput(csrfToken)}<button type="submit" class="${cls}" aria-label="${label} key ${key.key.slice(0, 8)}">${label}</button></form>`;
}

function keysPart(keys: KeyView[], csrfToken: string): SafeHtml {
  const rows = keys.map((k) => html`<li><code>${k.key}</code> expires <time datetime="${k.expiry.toISOString()}">${utc(k.expiry)}</time>
    <div class="actions">${keyForm(csrfToken, k, 'renew', 'Renew')}${keyForm(csrfToken, k, 'rotate', 'Rotate')}${keyForm(csrfToken, k, 'revoke', 'Revoke', 'danger')}</div></li>`);
  return html`<h3 id="api-keys">API keys</h3>
    ${keys.length ? html`<ul class="keys">${rows}</ul>` : html`<p>There aren't API Key configured.</p>`}
    <form method="post" action="/user/account/keys/">${csrfInput(csrfToken)}<button type="submit">Create a new API key</button></form>`;
}

/** When, from where and with what the user signed in: a stranger's sign-in is theirs to notice. */
function signInsPart(signIns: SignInView[], csrfToken: string): SafeHtml {
  const rows = signIns.map((s) => html`<tr><td><time datetime="${s.time.toISOString()}">${utc(s.time)}</time></td><td>${s.ip ?? ''}</td><td>${s.userAgent ?? ''}</td></tr>`);
  return html`<section aria-labelledby="sign-ins"><h2 id="sign-ins">Recent sign-ins</h2>
    ${signIns.length ? html`<table><thead><tr><th>When</th><th>IP address</th><th>Device</th></tr></thead><tbody>${rows}</tbody></table>`
      : html`<p>No sign-ins recorded yet.</p>`}
    <form method="post" action="/user/account/sessions/end-others/">${csrfInput(csrfToken)}<button type="submit" class="secondary">Sign out everywhere else</button></form></section>`;
}

export function accountPage(v: AccountView): string {
  const resources = v.services || v.keys ? html`<section aria-labelledby="resources"><h2 id="resources">Resources</h2>
    ${v.services ? servicesPart(v.services) : ''}${v.keys ? keysPart(v.keys, v.csrfToken) : ''}</section>` : '';
  return layout({ title: 'Your account', user: v.user, csrfToken: v.csrfToken }, html`
    ${message('notice', v.notice)}
    ${profileForm(v)}
    ${resources}
    ${v.signIns ? signInsPart(v.signIns, v.csrfToken) : ''}
    <p><a class="button secondary" href="/o/applications/">Your OAuth applications</a> <a class="button secondary" href="/accounts/security/">Security: authenticator app, passkeys, recovery codes</a></p>`);
}

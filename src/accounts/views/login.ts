import { html, raw, type SafeHtml } from '../../http/views/html.ts';
import { layout, message } from '../../http/views/layout.ts';
import { PASSKEY_SCRIPT_PATH, WEBAUTHN_BROWSER_PATH } from '../../mfa/index.ts';

export interface LoginView { action: string; csrfToken: string; email?: string; error?: SafeHtml | string; notice?: string; title?: string; next?: string;
  /** #23: one "Sign in with <name>" button per enabled upstream identity provider. */
  upstreams?: Array<{ slug: string; name: string }>; }

export function loginPage(v: LoginView): string {
  return layout({ title: v.title ?? 'Sign in' }, html`
    ${message('notice', v.notice)}
    ${message('error', v.error)}
    <form method="post" action="${v.action}" novalidate>
      <input type="hidden" name="csrfmiddlewaretoken" value="${v.csrfToken}">
      <label for="id_username">Email</label>
      <input type="email" id="id_username" name="username" value="${v.email ?? ''}" autocomplete="username" required autofocus maxlength="254">
      <label for="id_password">Password</label>
      <input type="password" id="id_password" name="password" autocomplete="current-password" required maxlength="4096">
      <button type="submit">Sign in</button>
    </form>
    <p><button type="button" class="secondary" data-passkey="login" data-csrf="${v.csrfToken}" data-next="${v.next ?? ''}">Sign in with a passkey</button></p>
    <p class="error" role="alert" id="passkey-error" hidden></p>
    ${upstreamButtons(v.upstreams ?? [], v.next)}
    <p><a href="/accounts/password_reset/">Forgotten your password?</a> · <a href="/user/register/">Create an account</a></p>
    <script src="${WEBAUTHN_BROWSER_PATH}" defer></script><script src="${PASSKEY_SCRIPT_PATH}" defer></script>`);
}

/** #23: the upstream providers' buttons, each starting its sign-in with the same `next`. */
function upstreamButtons(upstreams: Array<{ slug: string; name: string }>, next: string | undefined): SafeHtml {
  if (!upstreams.length) return html``;
  const query = next ? `?next=${encodeURIComponent(next)}` : '';
  return html`<p class="actions">${upstreams.map((u) => html`<a class="button secondary" href="/accounts/idp/${u.slug}/login/${query}">Sign in with ${u.name}</a>`)}</p>`;
}

export const notConfirmedMessage = raw(
  'Please confirm your email before continuation. Do you want to <a href="/user/resend_activation_email/">re-send activation email</a>?',
);

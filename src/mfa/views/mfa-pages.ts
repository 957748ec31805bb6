// The pages of the second step and of the Security page (#22). No inline script (the pages'
// CSP allows scripts from 'self' only): the passkey buttons are wired by /static/passkeys.js.
import { html, type SafeHtml } from '../../http/views/html.ts';
import { layout, message } from '../../http/views/layout.ts';
import type { Factor } from '../factors.service.ts';
import { PASSKEY_SCRIPT_PATH, WEBAUTHN_BROWSER_PATH } from './passkey-script.ts';

type PageUser = { email: string; isStaff?: boolean; isSuperuser?: boolean };
const csrfInput = (token: string) => html`<input type="hidden" name="csrfmiddlewaretoken" value="${token}">`;
const passkeyScripts = html`<script src="${WEBAUTHN_BROWSER_PATH}" defer></script><script src="${PASSKEY_SCRIPT_PATH}" defer></script>`;

export interface VerifyView { action: string; csrfToken: string; error?: string; hasPasskey: boolean; next?: string; title?: string }

export function verifyPage(v: VerifyView): string {
  return layout({ title: v.title ?? 'Two-step verification' }, html`
    ${message('error', v.error)}
    <form method="post" action="${v.action}" novalidate>
      ${csrfInput(v.csrfToken)}
      <label for="id_code">Code from your authenticator app, or a recovery code</label>
      <input type="text" id="id_code" name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus maxlength="40">
      <button type="submit">Verify</button>
    </form>
    ${v.hasPasskey ? html`<p><button type="button" class="secondary" data-passkey="verify" data-csrf="${v.csrfToken}" data-next="${v.next ?? ''}">Use a passkey</button></p>
      <p class="error" role="alert" id="passkey-error" hidden></p>${passkeyScripts}` : ''}`);
}

export interface ConfirmView { action: string; csrfToken: string; error?: string; user: PageUser }

/** Re-authentication before removing a factor or regenerating codes: the password or a code. */
export function confirmPage(v: ConfirmView): string {
  return layout({ title: 'Confirm it is you', user: v.user, csrfToken: v.csrfToken }, html`
    <p>This change needs a sign-in from the last 5 minutes. Enter your password, or a code of your authenticator app.</p>
    ${message('error', v.error)}
    <form method="post" action="${v.action}" novalidate>
      ${csrfInput(v.csrfToken)}
      <label for="id_password">Password</label>
      <input type="password" id="id_password" name="password" autocomplete="current-password" maxlength="4096">
      <label for="id_code">or a code</label>
      <input type="text" id="id_code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="40">
      <button type="submit">Confirm</button>
    </form>`);
}

export interface TotpView { csrfToken: string; qrDataUrl: string; uri: string; secret: string; action: string; error?: string; user?: PageUser; forced: boolean }

export function totpPage(v: TotpView): string {
  return layout({ title: 'Add an authenticator app', user: v.user, csrfToken: v.csrfToken, hasCopyButtons: true }, html`
    ${v.forced ? html`<p class="notice" role="status">Your account must use a second factor. Set up an authenticator app to continue.</p>` : ''}
    ${message('error', v.error)}
    <p>Scan this QR code with your authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, FreeOTP…).</p>
    <p><img src="${v.qrDataUrl}" alt="QR code of your authenticator app's setup link" width="200" height="200"></p>
    <p>Cannot scan it? Enter this key in the app (time-based, 6 digits, every 30 seconds):</p>
    <p><code id="totp-secret">${v.secret}</code> <button type="button" class="secondary" data-copy="totp-secret">Copy</button></p>
    <p>or open this link on the device that has the app: <a href="${v.uri}"><code id="totp-uri">${v.uri}</code></a></p>
    <form method="post" action="${v.action}" novalidate>
      ${csrfInput(v.csrfToken)}
      <label for="id_code">Code shown by the app</label>
      <input type="text" id="id_code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="6" pattern="[0-9]{6}">
      <button type="submit">Confirm</button>
    </form>`);
}

export interface RecoveryCodesView { codes?: string[]; unused: number; csrfToken: string; user: PageUser; next?: string }

export function recoveryCodesPage(v: RecoveryCodesView): string {
  const body: SafeHtml = v.codes
    ? html`<p class="notice" role="status">Save these recovery codes now: they are shown this once. Each one signs you in once if you lose your authenticator.</p>
      <ol id="recovery-codes">${v.codes.map((c) => html`<li><code>${c}</code></li>`)}</ol>
      <textarea id="recovery-codes-text" readonly hidden>${v.codes.join('\n')}</textarea>
      <p><button type="button" class="secondary" data-copy="recovery-codes-text">Copy</button>
        <a class="button secondary" href="/accounts/security/recovery-codes.txt" download="djam-recovery-codes.txt">Download</a></p>
      <p><a class="button" href="${v.next ?? '/accounts/security/'}">I have saved them, continue</a></p>`
    : html`<p>You have ${v.unused} unused recovery code${v.unused === 1 ? '' : 's'}.</p>
      <form method="post" action="/accounts/security/recovery-codes/">${csrfInput(v.csrfToken)}<button type="submit">Make new recovery codes</button></form>
      <p>The old codes stop working at once.</p>`;
  return layout({ title: 'Recovery codes', user: v.user, csrfToken: v.csrfToken, hasCopyButtons: Boolean(v.codes) }, body);
}

const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : 'never');

function factorRow(csrfToken: string, f: Factor): SafeHtml {
  const label = f.kind === 'totp' ? 'Authenticator app' : `Passkey “${f.name}”`;
  const rename = f.kind === 'passkey' ? html`<form method="post" action="/accounts/security/factors/${f.id}/rename" class="inline">${csrfInput(csrfToken)}
      <label for="name-${f.id}" class="visually-hidden">New name of ${label}</label><input id="name-${f.id}" name="name" value="${f.name}" maxlength="100" required>
      <button type="submit" class="secondary">Rename</button></form>` : '';
  return html`<li data-factor="${f.kind}"><strong>${label}</strong> — added ${when(f.createdAt)}, last used ${when(f.lastUsedAt)}
    <div class="actions">${rename}<form method="post" action="/accounts/security/factors/${f.id}/remove" class="inline">${csrfInput(csrfToken)}
      <button type="submit" class="danger" aria-label="Remove ${label}">Remove</button></form></div></li>`;
}

export interface SecurityView { factors: Factor[]; unusedCodes: number; csrfToken: string; user: PageUser; notice?: string; error?: string }

export function securityPage(v: SecurityView): string {
  return layout({ title: 'Security', user: v.user, csrfToken: v.csrfToken }, html`
    ${message('notice', v.notice)}${message('error', v.error)}
    <h2>Second factors</h2>
    ${v.factors.length ? html`<ul class="factors">${v.factors.map((f) => factorRow(v.csrfToken, f))}</ul>` : html`<p>You sign in with your password only. Add a second factor to protect your account.</p>`}
    <p><a class="button" href="/accounts/security/totp/">Add an authenticator app</a></p>
    <p><label for="passkey-name">Passkey name</label><input id="passkey-name" maxlength="100" value="Passkey">
      <button type="button" data-passkey="register" data-csrf="${v.csrfToken}">Add a passkey</button></p>
    <p class="error" role="alert" id="passkey-error" hidden></p>
    ${v.factors.length ? html`<h2>Recovery codes</h2><p>${v.unusedCodes} unused. <a href="/accounts/security/recovery-codes/">Manage recovery codes</a></p>` : ''}
    ${passkeyScripts}`);
}

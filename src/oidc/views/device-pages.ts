// The device authorization grant's pages (RFC 8628 §3.3), at /openid/device: enter the code the
// device shows, confirm the application and what it asks for, and the end. Rendered in DJAM's
// page frame like the login pages; plain forms, no script. The provider checks the code, its
// expiry and single use, and its own xsrf token; a wrong code answers 400 (the device-code
// throttle in http/client-auth-throttle.ts counts it).
import type { KoaContextWithOIDC } from 'oidc-provider';
import { html, raw } from '../../http/views/html.ts';
import { layout } from '../../http/views/layout.ts';
import { scopeLabels } from '../scopes.ts';

type DeviceError = Error & { userCode?: string };

function problemOf(err: DeviceError | undefined): string | undefined {
  if (!err) return undefined;
  switch (err.name) {
    case 'NoCodeError': return 'Enter the code your device shows.';
    case 'NotFoundError': return 'This code is not known. Check the code your device shows and try again.';
    case 'ExpiredError': return 'This code has expired. Start again on your device to get a new one.';
    case 'AlreadyUsedError': return 'This code has already been used. Start again on your device to get a new one.';
    case 'AbortedError': return 'Sign-in cancelled: the device will not be signed in.';
    default: return 'The request could not be processed. Start again on your device.';
  }
}

/** The provider's own input form carries an inline handler; the same fields in DJAM's form, without it. */
function codeForm(ctx: KoaContextWithOIDC, value: string | undefined): ReturnType<typeof html> {
  const secret = (ctx.oidc.session?.state as { secret?: string } | undefined)?.secret ?? '';
  return html`<form method="post" action="${ctx.oidc.urlFor('code_verification')}">
    <input type="hidden" name="xsrf" value="${secret}">
    <label for="user_code">Code</label>
    <input id="user_code" name="user_code" type="text" value="${value ?? ''}" autocomplete="off" autocapitalize="characters" spellcheck="false" autofocus required>
    <div class="actions"><button type="submit">Continue</button></div>
  </form>`;
}

export async function userCodeInputSource(ctx: KoaContextWithOIDC, _form: string, _out?: unknown, err?: DeviceError): Promise<void> {
  const problem = problemOf(err);
  // A re-rendered error is a 200 for the provider; a wrong code is a 400 for the throttle and for tools.
  if (err && err.name !== 'AbortedError') ctx.status = 400;
  ctx.type = 'html';
  ctx.body = layout({ title: 'Sign in a device' }, html`
    ${problem ? html`<p class="${err?.name === 'AbortedError' ? 'notice' : 'error'}" role="alert">${problem}</p>` : ''}
    <p>Enter the code displayed on your device (letters, with or without the dash).</p>
    ${codeForm(ctx, err?.name === 'AbortedError' ? undefined : err?.userCode)}`);
}

export async function userCodeConfirmSource(
  ctx: KoaContextWithOIDC, form: string, client: { clientId: string; clientName?: string }, _deviceInfo: unknown, userCode: string,
): Promise<void> {
  const code = ctx.oidc.entities.DeviceCode as { params?: { scope?: unknown } } | undefined;
  const scopes = String(code?.params?.scope ?? '').split(' ').filter(Boolean);
  ctx.type = 'html';
  ctx.body = layout({ title: 'Confirm the device' }, html`
    ${raw(form)}
    <p><strong>${client.clientName ?? client.clientId}</strong> asks to sign in on a device showing the code</p>
    <p class="code"><code>${userCode}</code></p>
    ${scopes.length ? html`<p>It asks for:</p><ul>${scopes.map((s) => html`<li>${scopeLabels[s] ?? s}</li>`)}</ul>` : ''}
    <p>If you did not start this on a device of yours, or the code differs, cancel.</p>
    <div class="actions">
      <button autofocus type="submit" form="op.deviceConfirmForm">Continue</button>
      <button type="submit" form="op.deviceConfirmForm" class="secondary" name="abort" value="yes">Cancel</button>
    </div>`);
}

export async function successSource(ctx: KoaContextWithOIDC): Promise<void> {
  const client = ctx.oidc.client;
  ctx.type = 'html';
  ctx.body = layout({ title: 'Device signed in' }, html`
    <p class="notice" role="status">${client?.clientName ?? 'The application'} is signed in on your device. You can close this page.</p>`);
}

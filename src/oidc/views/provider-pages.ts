// Pages the provider renders itself: errors shown to the user (never redirected to an
// unverified client), the RP-initiated logout confirmation and its success page.
import type { KoaContextWithOIDC } from 'oidc-provider';
import { html, raw } from '../../http/views/html.ts';
import { layout } from '../../http/views/layout.ts';

const ERROR_TEXT: Record<string, string> = {
  invalid_client: 'The client identifier (client_id) is missing or invalid.',
  invalid_redirect_uri: 'The redirect URI is not registered for this application.',
};

export async function renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): Promise<void> {
  ctx.type = 'html';
  const text = ERROR_TEXT[out.error] ?? out.error_description ?? 'The request could not be processed.';
  ctx.body = layout({ title: out.error === 'invalid_redirect_uri' ? 'Redirect URI Error' : 'Authorization error' }, html`
    <p class="error" role="alert">${text}</p>
    <p><code>${out.error}</code>${out.error_description ? html`: ${out.error_description}` : ''}</p>`);
}

/** `form` is the provider's hidden form (with its own xsrf token); the buttons submit it. */
export async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  const client = ctx.oidc.client;
  ctx.body = layout({ title: 'Sign out' }, html`
    ${raw(form)}
    <p>${client ? html`<strong>${client.clientName ?? client.clientId}</strong> asks to sign you out of DJAM.` : 'Do you want to sign out of DJAM?'}</p>
    <div class="actions">
      <button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
      <button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button>
    </div>`);
}

export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.body = layout({ title: 'Signed out' }, html`<p class="notice" role="status">You have been signed out.</p>
    <p><a href="/accounts/login/">Sign in again</a></p>`);
}

// The pages of signing in through an upstream (#23): a failure with its reason and a way back,
// and the signed-in user's sign-in methods (link, unlink).
import { html, type SafeHtml } from '../../http/views/html.ts';
import { layout, message } from '../../http/views/layout.ts';

export function upstreamFailurePage(v: { title: string; error: string; loginHref: string }): string {
  return layout({ title: v.title }, html`
    ${message('error', v.error)}
    <p><a href="${v.loginHref}">Back to the sign-in page</a></p>`);
}

export interface MethodsView {
  user: { email: string; isStaff: boolean; isSuperuser: boolean };
  csrfToken: string;
  hasPassword: boolean;
  links: Array<{ id: number; providerName: string; createdAt: Date; lastUsedAt: Date | null }>;
  linkable: Array<{ slug: string; name: string }>;
  notice?: string;
  error?: string;
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : 'never');

export function signInMethodsPage(v: MethodsView): string {
  const rows: SafeHtml[] = v.links.map((l) => html`<li>${l.providerName} <small>(linked ${day(l.createdAt)}, last used ${day(l.lastUsedAt)})</small>
      <form method="post" action="/accounts/idp/links/${String(l.id)}/unlink/" class="inline">
        <input type="hidden" name="csrfmiddlewaretoken" value="${v.csrfToken}">
        <button type="submit" class="secondary">Unlink</button>
      </form></li>`);
  const offers: SafeHtml[] = v.linkable.map((p) => html`<li><form method="post" action="/accounts/idp/${p.slug}/link/" class="inline">
        <input type="hidden" name="csrfmiddlewaretoken" value="${v.csrfToken}">
        <button type="submit">Link ${p.name}</button>
      </form></li>`);
  return layout({ title: 'Sign-in methods', user: v.user, csrfToken: v.csrfToken }, html`
    ${message('notice', v.notice)}
    ${message('error', v.error)}
    <p>Password: ${v.hasPassword ? 'set' : 'none'}</p>
    <h2>Linked accounts</h2>
    ${rows.length ? html`<ul>${rows}</ul>` : html`<p>None yet.</p>`}
    ${offers.length ? html`<h2>Link another account</h2><p>You will sign in at the provider; its account then signs you in here.</p><ul>${offers}</ul>` : ''}`);
}

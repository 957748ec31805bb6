import { html } from '../../http/views/html.ts';
import { layout } from '../../http/views/layout.ts';
import { scopeLabels } from '../scopes.ts';

export interface ConsentView { uid: string; clientName: string; scopes: string[]; csrfToken: string; user: { email: string } }

export function consentPage(v: ConsentView): string {
  return layout({ title: 'Authorize access', user: v.user, csrfToken: v.csrfToken }, html`
    <p><strong>${v.clientName}</strong> asks to access your DJAM account (${v.user.email}).</p>
    ${v.scopes.length ? html`<p>It will be able to:</p>
    <ul class="scopes">${v.scopes.map((s) => html`<li>${scopeLabels[s] ?? s} <code>${s}</code></li>`)}</ul>` : ''}
    <div class="actions">
      <form method="post" action="/interaction/${v.uid}/confirm">
        <input type="hidden" name="csrfmiddlewaretoken" value="${v.csrfToken}">
        <button type="submit" name="allow" value="Authorize" autofocus>Authorize</button>
      </form>
      <form method="post" action="/interaction/${v.uid}/abort">
        <input type="hidden" name="csrfmiddlewaretoken" value="${v.csrfToken}">
        <button type="submit" class="secondary">Cancel</button>
      </form>
    </div>`);
}

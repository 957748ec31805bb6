// Pages of /o/applications/: the signed-in user's own OAuth applications.
import { html, type SafeHtml } from '../../http/views/html.ts';
import { layout, message } from '../../http/views/layout.ts';
import { grantTypeOf, type ClientRow } from '../clients.service.ts';

interface Frame { user: { email: string }; csrfToken: string }
export interface FormValues { name: string; client_type: string; grant_type: string; redirect_uris: string; post_logout_redirect_uris: string }

const GRANT_LABELS = { authorization_code: 'Authorization code', client_credentials: 'Client credentials', device_code: 'Device code' } as const;
const grantLabel = (c: ClientRow) => GRANT_LABELS[grantTypeOf(c)];

export function listPage(f: Frame, clients: ClientRow[], notice?: string): string {
  return layout({ title: 'Your applications', ...f }, html`
    ${message('notice', notice)}
    ${clients.length ? html`<table><thead><tr><th>Name</th><th>Client id</th><th>Type</th><th>Grant</th></tr></thead><tbody>
      ${clients.map((c) => html`<tr><td><a href="/o/applications/${c.id}/">${c.name}</a></td><td><code>${c.clientId}</code></td><td>${c.clientType}</td><td>${grantLabel(c)}</td></tr>`)}
    </tbody></table>` : html`<p>No applications yet.</p>`}
    <p><a class="button" href="/o/applications/register/">Register a new application</a></p>`);
}

function fieldError(errors: Record<string, string>, name: string): SafeHtml {
  return errors[name] ? html`<p class="field-error" id="${name}-error">${errors[name]}</p>` : html``;
}

function option(value: string, label: string, current: string): SafeHtml {
  return html`<option value="${value}"${current === value ? html` selected` : ''}>${label}</option>`;
}

export function formPage(f: Frame, title: string, action: string, v: FormValues, errors: Record<string, string> = {}): string {
  const invalid = (n: string) => (errors[n] ? html` aria-invalid="true" aria-describedby="${n}-error"` : '');
  return layout({ title, ...f }, html`
    ${message('error', Object.keys(errors).length ? 'Please correct the errors below.' : undefined)}
    <form method="post" action="${action}" novalidate>
      <input type="hidden" name="csrfmiddlewaretoken" value="${f.csrfToken}">
      <label for="id_name">Name</label>
      <input type="text" id="id_name" name="name" value="${v.name}" maxlength="100" required${invalid('name')}>
      ${fieldError(errors, 'name')}
      <label for="id_client_type">Client type</label>
      <select id="id_client_type" name="client_type"${invalid('client_type')}>
        ${option('confidential', 'Confidential (a server that keeps a secret)', v.client_type)}
        ${option('public', 'Public (browser or mobile app, PKCE required)', v.client_type)}
      </select>
      ${fieldError(errors, 'client_type')}
      <label for="id_grant_type">Authorization grant type</label>
      <select id="id_grant_type" name="authorization_grant_type"${invalid('grant_type')}>
        ${option('authorization-code', 'Authorization code', v.grant_type)}
        ${option('client-credentials', 'Client credentials', v.grant_type)}
        ${option('device-code', 'Device code (TVs, CLIs, desktop tools)', v.grant_type)}
      </select>
      ${fieldError(errors, 'grant_type')}
      <label for="id_redirect_uris">Redirect URIs</label>
      <textarea id="id_redirect_uris" name="redirect_uris"${invalid('redirect_uris')}>${v.redirect_uris}</textarea>
      <p class="hint">One per line, matched exactly. Required for the authorization-code grant.</p>
      ${fieldError(errors, 'redirect_uris')}
      <label for="id_post_logout">Post-logout redirect URIs</label>
      <textarea id="id_post_logout" name="post_logout_redirect_uris">${v.post_logout_redirect_uris}</textarea>
      <div class="actions"><button type="submit">Save</button><a class="button secondary" href="/o/applications/">Cancel</a></div>
    </form>`);
}

export function detailPage(f: Frame, c: ClientRow, secret?: string | null): string {
  return layout({ title: c.name, ...f, hasCopyButtons: !!secret }, html`
    ${secret ? html`<div class="notice" role="status"><p><strong>Copy the client secret now.</strong> It is shown only once; DJAM keeps it encrypted and cannot show it again.</p>
      <p><label for="client-secret">Client secret</label><input type="text" id="client-secret" class="secret" readonly value="${secret}">
      <button type="button" class="secondary" data-copy="client-secret">Copy</button></p></div>` : ''}
    <table>
      <tr><th scope="row">Client id</th><td><code id="client-id">${c.clientId}</code></td></tr>
      <tr><th scope="row">Client type</th><td>${c.clientType}</td></tr>
      <tr><th scope="row">Grant type</th><td>${grantLabel(c)}</td></tr>
      <tr><th scope="row">Redirect URIs</th><td>${c.redirectUris.map((u) => html`<code>${u}</code><br>`)}</td></tr>
      <tr><th scope="row">Scopes</th><td><code>${c.scope}</code></td></tr>
      <tr><th scope="row">Consent page</th><td>${c.requireConsent ? 'shown' : 'skipped'}</td></tr>
    </table>
    <div class="actions">
      <a class="button" href="/o/applications/${c.id}/update/">Edit</a>
      ${c.clientType === 'confidential' ? html`<form method="post" action="/o/applications/${c.id}/rotate-secret/" class="inline">
        <input type="hidden" name="csrfmiddlewaretoken" value="${f.csrfToken}"><button type="submit" class="secondary">Generate a new secret</button></form>` : ''}
      <a class="button secondary" href="/o/applications/${c.id}/delete/">Delete</a>
      <a href="/o/applications/">Back to the list</a>
    </div>`);
}

export function deletePage(f: Frame, c: ClientRow): string {
  return layout({ title: `Delete ${c.name}?`, ...f }, html`
    <p>Applications using client id <code>${c.clientId}</code> will stop working at once.</p>
    <form method="post" action="/o/applications/${c.id}/delete/">
      <input type="hidden" name="csrfmiddlewaretoken" value="${f.csrfToken}">
      <div class="actions"><button type="submit" class="danger">Delete</button><a class="button secondary" href="/o/applications/${c.id}/">Cancel</a></div>
    </form>`);
}

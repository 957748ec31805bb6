// The sign-out confirmation (issue #17 item 11): signing out changes state, so it takes a POST
// with the CSRF token; a GET (a link, an image another site embeds) only shows this form.
import { html } from '../../http/views/html.ts';
import { layout, message } from '../../http/views/layout.ts';

export interface LogoutView {
  csrfToken: string;
  /** A `next` that safeNext() accepted, carried through to the POST. */
  next?: string;
  /** Set when a POST came without a valid token. */
  error?: string;
}

export function logoutPage(v: LogoutView): string {
  const action = v.next ? `/accounts/logout/?next=${encodeURIComponent(v.next)}` : '/accounts/logout/';
  return layout({ title: 'Sign out' }, html`
    ${message('error', v.error)}
    <p>Do you want to sign out of DJAM?</p>
    <form method="post" action="${action}">
      <input type="hidden" name="csrfmiddlewaretoken" value="${v.csrfToken}">
      <button type="submit" autofocus>Sign out</button>
    </form>`);
}

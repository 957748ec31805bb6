import { html } from '../../http/views/html.ts';
import { layout } from '../../http/views/layout.ts';
import type { User } from '../../users/index.ts';

export function accountPage(user: User, csrfToken: string): string {
  return layout({ title: 'Your account', user, csrfToken }, html`
    <table>
      <tr><th scope="row">Email</th><td>${user.email}</td></tr>
      <tr><th scope="row">First name</th><td>${user.firstName}</td></tr>
      <tr><th scope="row">Last name</th><td>${user.lastName}</td></tr>
      <tr><th scope="row">Email confirmed</th><td>${user.emailConfirmed ? 'yes' : 'no'}</td></tr>
    </table>
    <p><a class="button" href="/o/applications/">Your OAuth applications</a></p>`);
}

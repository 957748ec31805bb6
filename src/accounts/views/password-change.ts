// The password-change pages (docs/compatibility.md §6.7).
import { html } from '../../http/views/html.ts';
import { layout } from '../../http/views/layout.ts';
import type { FieldErrors } from '../form-input.ts';
import { csrfInput, field, formAlert } from './fields.ts';

interface Frame { user: { email: string }; csrfToken: string }

export function changePasswordPage(f: Frame, errors: FieldErrors = {}, formError?: string): string {
  return layout({ title: 'Change your password', ...f }, html`
    <p>For your security, enter your old password, then the new one twice.</p>
    ${formAlert(errors, formError)}
    <form method="post" action="/accounts/password_change/" novalidate>
      ${csrfInput(f.csrfToken)}
      ${field({ name: 'old_password', label: 'Old password', type: 'password', required: true, autocomplete: 'current-password' }, errors)}
      ${field({ name: 'new_password1', label: 'New password', type: 'password', required: true, autocomplete: 'new-password', hint: 'At least 8 characters.' }, errors)}
      ${field({ name: 'new_password2', label: 'New password confirmation', type: 'password', required: true, autocomplete: 'new-password' }, errors)}
      <button type="submit">Change my password</button>
    </form>`);
}

export function passwordChangedPage(f: Frame, accountId: number): string {
  return layout({ title: 'Password changed', ...f }, html`
    <p role="status" class="notice">Your password was changed.</p>
    <p><a href="/user/account/${accountId}/">Back to your account</a></p>`);
}

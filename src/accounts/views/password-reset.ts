// The password-reset pages (docs/compatibility.md §6.7): ask for a link, "sent", choose the new password, the
// invalid-link page and the end page (which offers the login form, as the original's).
import { html } from '../../http/views/html.ts';
import { layout } from '../../http/views/layout.ts';
import type { FieldErrors } from '../form-input.ts';
import { captchaField, captchaFormAttribute } from './captcha.ts';
import { csrfInput, field, formAlert } from './fields.ts';

interface FormView { csrfToken: string; errors?: FieldErrors; formError?: string }

export function resetRequestPage(v: FormView & { siteKey?: string; email?: string }): string {
  const errors = v.errors ?? {};
  return layout({ title: 'Reset your password' }, html`
    <p>Forgotten your password? Enter your e-mail address and we will send you a link to choose a new one.</p>
    ${formAlert(errors, v.formError)}
    <form method="post" action="/accounts/password_reset/" novalidate${captchaFormAttribute(v.siteKey)}>
      ${csrfInput(v.csrfToken)}
      ${field({ name: 'email', label: 'Email', type: 'email', value: v.email, required: true, maxlength: 254, autocomplete: 'email' }, errors)}
      ${captchaField(v.siteKey, errors.captcha)}
      <button type="submit">Send me the link</button>
    </form>`);
}

export function resetSentPage(): string {
  return layout({ title: 'Password reset sent' }, html`
    <p role="status">We’ve emailed you instructions for setting your password, if an account exists with the email you entered. You should receive them shortly.</p>
    <p>If you don’t receive an email, please make sure you’ve entered the address you registered with, and check your spam folder.</p>`);
}

export function setPasswordPage(v: FormView & { action: string }): string {
  const errors = v.errors ?? {};
  return layout({ title: 'Enter new password' }, html`
    <p>Please enter your new password twice so we can verify you typed it in correctly.</p>
    ${formAlert(errors, v.formError)}
    <form method="post" action="${v.action}" novalidate>
      ${csrfInput(v.csrfToken)}
      ${field({ name: 'new_password1', label: 'New password', type: 'password', required: true, autocomplete: 'new-password', hint: 'At least 8 characters.' }, errors)}
      ${field({ name: 'new_password2', label: 'Confirm password', type: 'password', required: true, autocomplete: 'new-password' }, errors)}
      <button type="submit">Change my password</button>
    </form>`);
}

export function invalidResetLinkPage(): string {
  return layout({ title: 'Password reset unsuccessful' }, html`
    <p role="alert" class="error">The password reset link was invalid, possibly because it has already been used. Please request a new password reset.</p>
    <p><a class="button" href="/accounts/password_reset/">Request a new link</a></p>`);
}

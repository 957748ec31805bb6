// The sign-up page (docs/compatibility.md §6.4) and the "check your mailbox" page that follows it.
import { html } from '../../http/views/html.ts';
import { layout } from '../../http/views/layout.ts';
import type { FieldErrors } from '../form-input.ts';
import type { RegistrationForm } from '../registration.service.ts';
import { captchaField, captchaFormAttribute } from './captcha.ts';
import { csrfInput, field, formAlert } from './fields.ts';

export interface RegisterView { csrfToken: string; siteKey?: string; values?: Partial<RegistrationForm>; errors?: FieldErrors; formError?: string }

export function registerPage(v: RegisterView): string {
  const errors = v.errors ?? {};
  const values = v.values ?? {};
  return layout({ title: 'Create your account' }, html`
    ${formAlert(errors, v.formError)}
    <form method="post" action="/user/register/" novalidate${captchaFormAttribute(v.siteKey)}>
      ${csrfInput(v.csrfToken)}
      ${field({ name: 'first_name', label: 'First name', value: values.first_name, required: true, maxlength: 50, autocomplete: 'given-name' }, errors)}
      ${field({ name: 'last_name', label: 'Last name', value: values.last_name, required: true, maxlength: 50, autocomplete: 'family-name' }, errors)}
      ${field({ name: 'email', label: 'Email', type: 'email', value: values.email, required: true, maxlength: 254, autocomplete: 'email', hint: 'You will sign in with this address.' }, errors)}
      ${field({ name: 'secondary_email', label: 'Secondary email', type: 'email', value: values.secondary_email, maxlength: 254, hint: 'A recovery address.' }, errors)}
      ${field({ name: 'password1', label: 'Password', type: 'password', required: true, autocomplete: 'new-password', hint: 'At least 8 characters.' }, errors)}
      ${field({ name: 'password2', label: 'Password confirmation', type: 'password', required: true, autocomplete: 'new-password', hint: 'Enter the same password again.' }, errors)}
      ${captchaField(v.siteKey, errors.captcha)}
      <button type="submit">Sign up</button>
    </form>
    <p>Already have an account? <a href="/accounts/login/">Sign in</a>.</p>`);
}

export function activationSentPage(): string {
  return layout({ title: 'Check your mailbox' }, html`
    <p role="status">We have sent an e-mail to the address you entered, if an account can be made or activated with it. For a new account it holds a link to confirm your address: open it within 12 hours to activate your account.</p>
    <p>No e-mail? Look in your spam folder, or <a href="/user/resend_activation_email/">send the activation e-mail again</a>.</p>`);
}

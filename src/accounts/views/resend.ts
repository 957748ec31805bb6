// The "send the activation e-mail again" page (docs/compatibility.md §6.6).
import { html } from '../../http/views/html.ts';
import { layout } from '../../http/views/layout.ts';
import type { FieldErrors } from '../form-input.ts';
import { csrfInput, field, formAlert } from './fields.ts';

export interface ResendView { csrfToken: string; email?: string; errors?: FieldErrors; formError?: string }

export function resendPage(v: ResendView): string {
  const errors = v.errors ?? {};
  return layout({ title: 'Resend the activation e-mail' }, html`
    ${formAlert(errors, v.formError)}
    <form method="post" action="/user/resend_activation_email/" novalidate>
      ${csrfInput(v.csrfToken)}
      ${field({ name: 'email', label: 'Email', type: 'email', value: v.email, required: true, maxlength: 254, autocomplete: 'email' }, errors)}
      <button type="submit">Send</button>
    </form>`);
}

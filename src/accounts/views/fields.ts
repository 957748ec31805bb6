// Accessible form fields for the account pages: a label for every input, and on error
// aria-invalid plus a message the input points at with aria-describedby.
import { html, type SafeHtml } from '../../http/views/html.ts';
import { message } from '../../http/views/layout.ts';
import type { FieldErrors } from '../form-input.ts';

interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value?: string;
  required?: boolean;
  maxlength?: number;
  autocomplete?: string;
  hint?: string;
}

export function field(spec: FieldSpec, errors: FieldErrors = {}): SafeHtml {
  const id = `id_${spec.name}`;
  const messages = errors[spec.name];
  const describedBy = [spec.hint ? `${spec.name}-hint` : '', messages ? `${spec.name}-error` : ''].filter(Boolean).join(' ');
  return html`<label for="${id}">${spec.label}${spec.required ? '' : html` <span class="hint">(optional)</span>`}</label>
    <input type="${spec.type ?? 'text'}" id="${id}" name="${spec.name}"${spec.type === 'password' ? '' : html` value="${spec.value ?? ''}"`}${spec.required ? html` required` : ''}${spec.maxlength ? html` maxlength="${spec.maxlength}"` : ''}${spec.autocomplete ? html` autocomplete="${spec.autocomplete}"` : ''}${messages ? html` aria-invalid="true"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}>
    ${spec.hint ? html`<p class="hint" id="${spec.name}-hint">${spec.hint}</p>` : ''}
    ${messages ? html`<p class="field-error" id="${spec.name}-error">${messages.join(' ')}</p>` : ''}`;
}

export function csrfInput(token: string): SafeHtml {
  return html`<input type="hidden" name="csrfmiddlewaretoken" value="${token}">`;
}

/** The form-level alert: the summary when fields are wrong, or an error of the whole form. */
export function formAlert(errors: FieldErrors, formError?: SafeHtml | string): SafeHtml {
  if (formError) return message('error', formError);
  const all = errors.__all__;
  if (all) return message('error', all.join(' '));
  return message('error', Object.keys(errors).length ? 'Please correct the errors below.' : undefined);
}

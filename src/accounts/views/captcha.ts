// The reCAPTCHA v3 parts of a form page: Google's script, our small submit hook (served from
// /user/captcha.js because the Content-Security-Policy forbids inline scripts), the hidden
// `captcha` field it fills, and the policy that lets the page talk to Google.
import { html, type SafeHtml } from '../../http/views/html.ts';
import { CAPTCHA_ACTION } from '../captcha.service.ts';

export const CAPTCHA_SCRIPT_PATH = '/user/captcha.js';

export const CAPTCHA_CSP = [
  "default-src 'self'", "script-src 'self' https://www.google.com/recaptcha/ https://www.gstatic.com/recaptcha/",
  'frame-src https://www.google.com/recaptcha/ https://recaptcha.google.com/recaptcha/', "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'",
].join('; ');

// On submit: ask reCAPTCHA for a token with our action, put it in the form, then submit for real.
export const CAPTCHA_SCRIPT = `document.addEventListener('submit', function (event) {
  var form = event.target;
  if (!form.dataset || !form.dataset.captcha || form.dataset.captchaDone) return;
  event.preventDefault();
  grecaptcha.ready(function () {
    grecaptcha.execute(form.dataset.captcha, { action: ${JSON.stringify(CAPTCHA_ACTION)} }).then(function (token) {
      form.elements.captcha.value = token;
      form.dataset.captchaDone = '1';
      form.submit();
    });
  });
});
`;

/** The form attribute naming the site key (empty when the captcha is off). */
export function captchaFormAttribute(siteKey: string | undefined): SafeHtml {
  return siteKey ? html` data-captcha="${siteKey}"` : html``;
}

export function captchaField(siteKey: string | undefined, error: string[] | undefined): SafeHtml {
  if (!siteKey) return html``;
  return html`<input type="hidden" name="captcha" value="">
    ${error ? html`<p class="field-error" id="captcha-error" role="alert">${error.join(' ')}</p>` : ''}
    <p class="hint">This form is protected by reCAPTCHA and needs JavaScript.</p>
    <script src="https://www.google.com/recaptcha/api.js?render=${encodeURIComponent(siteKey)}" async defer></script>
    <script src="${CAPTCHA_SCRIPT_PATH}" defer></script>`;
}

// The passkey buttons' script, served from our origin (the pages' CSP allows 'self' only), with
// @simplewebauthn/browser's bundle from node_modules beside it (no CDN).
export const WEBAUTHN_BROWSER_PATH = '/static/simplewebauthn-browser.js';
export const PASSKEY_SCRIPT_PATH = '/static/passkeys.js';

// A button data-passkey="register" adds a passkey (name from #passkey-name); "login" signs in
// with any passkey; "verify" uses one of the pending user's passkeys as the second step.
export const PASSKEY_SCRIPT = `(function () {
  function fail(message) {
    var box = document.getElementById('passkey-error');
    if (box) { box.textContent = message; box.hidden = false; }
  }
  function post(url, csrf, body) {
    return fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-csrftoken': csrf }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().catch(function () { return {}; }).then(function (j) { if (!r.ok) throw new Error(j.message || 'The passkey could not be used.'); return j; }); });
  }
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('button[data-passkey]');
    if (!button) return;
    var W = window.SimpleWebAuthnBrowser;
    var kind = button.getAttribute('data-passkey');
    var csrf = button.getAttribute('data-csrf');
    var next = button.getAttribute('data-next');
    var query = next ? '?next=' + encodeURIComponent(next) : '';
    var done;
    if (kind === 'register') {
      var field = document.getElementById('passkey-name');
      done = post('/accounts/security/passkeys/options', csrf, {})
        .then(function (options) { return W.startRegistration({ optionsJSON: options }); })
        .then(function (response) { return post('/accounts/security/passkeys/', csrf, { response: response, name: field ? field.value : 'Passkey' }); });
    } else {
      done = post('/accounts/login/passkey/options', csrf, { purpose: kind })
        .then(function (options) { return W.startAuthentication({ optionsJSON: options }); })
        .then(function (response) { return post('/accounts/login/passkey/' + query, csrf, { response: response, purpose: kind }); });
    }
    done.then(function (answer) { window.location.assign(answer.redirect); }, function (err) { fail(err && err.message ? err.message : String(err)); });
  });
})();
`;

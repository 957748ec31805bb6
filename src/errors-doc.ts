// docs/errors.md is generated from the error catalogue of errors.ts (npm run docs), and a test
// fails when the committed file is stale: a code added, removed or reworded shows up there.
import { catalogue, type ErrorCode } from './errors.ts';

/** Where a code is raised, for the codes whose name does not say it (optional: a new code needs none). */
const where: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'any JSON body or query a schema or service refuses; `details.fields` maps each field to its problem. On a page: the form again, with the message beside the field',
  UNAUTHENTICATED: 'admin API without a session or a valid Bearer token (with `WWW-Authenticate: Bearer`)',
  FORBIDDEN: 'the policy (`src/access/policy.ts`) refuses the actor; a token without the `admin` scope; another user\'s account page',
  CSRF_FAILED: 'an unsafe method with a session cookie but without the session\'s CSRF token, or from another origin (`details.reason`)',
  RATE_LIMITED: 'the credential throttle (sign-in, Basic passwords, key checks) or a page\'s per-address limit; carries `Retry-After`. DRF endpoints answer DRF\'s `Request was throttled. …`, GeoServer token introspection OAuth `slow_down`, the proxy the message as text',
  NOT_FOUND: 'no route at that address, or a record the caller may not learn exists',
  EMAIL_TAKEN: 'sign-up (answered like a success, the owner is mailed), the account page and the admin API',
  USERNAME_TAKEN: 'as `EMAIL_TAKEN`, for the username that follows the e-mail',
  CLIENT_ID_TAKEN: 'admin API and `djam createclient --client-id`',
  INVALID_CREDENTIALS: 'the sign-in form (200, the form again, as the original) and every other password door',
  EMAIL_NOT_CONFIRMED: 'the sign-in form, with a link to resend the activation e-mail',
  CAPTCHA_FAILED: 'sign-up and password reset when reCAPTCHA keys are set (the form again)',
  UNSUPPORTED_MEDIA_TYPE: 'a DRF-style endpoint (the key API) given a body it has no parser for',
  APIKEY_EXPIRY_INVALID: 'key API: `expiry` not `YYYY-MM-DDTHH:MM:SS.fffZ`, in the past or beyond `DJAM_MAX_APIKEY_EXPIRE_DAYS` ([compatibility.md §5.3](compatibility.md#53-permission-checks))',
  APIKEY_RESOURCE_KEY_REFUSED: 'key API: a `resource_key` the caller may not manage, or a method naming no action ([compatibility.md §5.3](compatibility.md#53-permission-checks))',
  APIKEY_REVOKED_INVALID: 'key API: a `revoked` value that is no boolean spelling ([compatibility.md §5.5](compatibility.md#55-actions))',
  SUPERUSER_REQUIRED: 'the policy: an operation only a superuser may do (administrators, their keys, clients with `admin` scope or without consent, signing keys)',
  LAST_SUPERUSER: 'admin API: demoting, deactivating or deleting the last active superuser',
  STAFF_REQUIRED: 'admin API: signed in, but neither staff nor superuser',
  NAME_TAKEN: 'admin API: a team, role or resource slug that exists, a second login prevention for one client',
};

/** The shape each surface gives an AppError, shown with one real code so that it stays true. */
function shapes(): string[] {
  const sample = 'TEAM_NOT_FOUND' in catalogue ? 'TEAM_NOT_FOUND' : (Object.keys(catalogue)[0] as ErrorCode);
  const { status, message } = catalogue[sample];
  return [
    '## One code, several surfaces',
    '',
    'Services throw `AppError(code)`; what the caller sees depends on the door it came through',
    '(`src/http/error-handler.ts` and the few routes that speak an original format). For `' + sample + '`:',
    '',
    '| surface | answer |',
    '|---|---|',
    `| DJAM JSON (the admin API \`/api/admin/*\` and every other DJAM endpoint asked for JSON) | \`${status}\` \`${JSON.stringify({ error: sample, message, details: { id: 7 } })}\` |`,
    `| a page (the request accepts \`text/html\`) | \`${status}\`, the form re-rendered with the message beside it, or a "Request refused" page saying \`${message}\` |`,
    `| the key API \`/openid/api/token/*\` (DRF) | \`${status}\` \`${JSON.stringify({ detail: message })}\` |`,
    '| the CLI (`npx djam …`) | `djam <command>: <message>` on stderr, `details` as JSON after it, exit status 1 |',
    '',
    'The OAuth 2.0 and OpenID Connect endpoints under `/openid/` and `/o/` do not use this catalogue: they',
    'answer RFC 6749 `{"error": "invalid_grant", "error_description": "…"}` (or the error in the redirect),',
    'as [compatibility.md §3](compatibility.md#3-oauth-20-and-openid-connect) describes. GeoServer\'s',
    'endpoints and the DRF views keep the original\'s `{"detail": …}` and `{"username": null, "groups": null}`',
    'bodies ([compatibility.md §4](compatibility.md#4-geoserver-endpoints)). A request no route matches is `404 NOT_FOUND`; an',
    'unexpected failure is `500 {"error": "INTERNAL", "message": "Something went wrong on our side."}`, its',
    'cause logged with the request id and never sent.',
    '',
  ];
}

export function renderErrorsDoc(): string {
  const rows = Object.entries(catalogue).map(([code, e]) => {
    const note = where[code as ErrorCode] ?? (code.endsWith('_NOT_FOUND') ? 'no record with that id (admin API, CLI)' : '');
    return `| \`${code}\` | ${e.status} | ${e.message.replaceAll('|', '\\|')} | ${note.replaceAll('|', '\\|')} |`;
  });
  return [
    '# Error codes',
    '',
    '<!-- Generated from src/errors.ts by `npm run docs`; do not edit by hand. -->',
    '',
    'Every refusal a DJAM endpoint answers carries one of these codes (`error` in JSON). The code is',
    'for programs and stays; `message` is for people and may be reworded; `details` (when present) is',
    'for programs too.',
    '',
    '| code | status | message | raised by |',
    '|---|---|---|---|',
    ...rows,
    '',
    ...shapes(),
  ].join('\n');
}

// Multi-factor sign-in (#22): authenticator apps, passkeys, recovery codes, the second step.
export { mfaRoutes } from './mfa.routes.ts';
export { afterFirstFactor } from './sign-in.ts';
export { CONFIRM_PATH, isFresh } from './second-step.routes.ts';
export { isPasswordAloneRefused } from './factors.service.ts';
export { PASSKEY_SCRIPT_PATH, WEBAUTHN_BROWSER_PATH } from './views/passkey-script.ts';

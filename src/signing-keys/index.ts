export { createRsaSigningKey, ensureSigningKey, listSigningKeys, loadSigningJwks } from './signing-keys.service.ts';
export type { SigningJwk } from './signing-keys.service.ts';

export {
  activationTime, announceSigningKeys, createRsaSigningKey, deleteRetiredSigningKeys, ensureSigningKey, listSigningKeys,
} from './signing-keys.service.ts';
export type { SigningJwk } from './signing-keys.service.ts';
export { openSigningKeyRing } from './signing-key-ring.ts';
export type { KeySet, SigningKeyRing } from './signing-key-ring.ts';
export type { SigningKeyState } from './signing-key-states.ts';

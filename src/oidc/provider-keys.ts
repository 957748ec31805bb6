// The provider's signing keys follow the node's key ring (#20). oidc-provider reads `jwks` once,
// when it is constructed, and offers no way to give it other keys; rebuilding the provider would
// mean re-wiring every route that holds it. Its own key-set initialiser, run again on the same
// instance, validates the keys as at start and replaces, in one assignment, both the key store
// that signs (id tokens, JWT access tokens: the first key fitting the algorithm, so the signer
// comes first) and the JWKS served at /openid/jwks. test/oidc/signing-key-rotation.test.ts
// fails should an upgrade of oidc-provider change this.
import type Provider from 'oidc-provider';
import initializeKeystore from 'oidc-provider/lib/helpers/initialize_keystore.js';
import type { KeySet, SigningKeyRing } from '../signing-keys/index.ts';

/** The `jwks` configuration of a key set: the signer first. */
export function providerJwks(keys: KeySet): { keys: KeySet['published'] } {
  return { keys: keys.published.map((k) => structuredClone(k)) };
}

export function followSigningKeys(provider: Provider, ring: SigningKeyRing): void {
  ring.onChange((keys) => initializeKeystore.call(provider, providerJwks(keys)));
}

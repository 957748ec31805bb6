// oidc-provider's key-set initialiser (lib/helpers/initialize_keystore.js), used by
// provider-keys.ts to give a running provider new keys; the package publishes no types for it.
declare module 'oidc-provider/lib/helpers/initialize_keystore.js' {
  export default function initializeKeystore(this: object, jwks: { keys: object[] }): void;
}

// oidc-provider's key-set initialiser (lib/helpers/initialize_keystore.js), used by
// provider-keys.ts to give a running provider new keys; the package publishes no types for it.
declare module 'oidc-provider/lib/helpers/resource_server.js' {
  /** What `features.resourceIndicators.getResourceServerInfo` builds; token-exchange.ts sets one on the token it issues. */
  export default class ResourceServer {
    constructor(identifier: string, data: { audience: string; scope: string; accessTokenFormat: 'jwt' | 'opaque'; accessTokenTTL?: number; jwt?: object });
  }
}
declare module 'oidc-provider/lib/helpers/initialize_keystore.js' {
  export default function initializeKeystore(this: object, jwks: { keys: object[] }): void;
}

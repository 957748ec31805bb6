// What the GeoServer route plugins receive. Apart from geoserver.routes.ts, which registers the
// plugins, so that they need not import the file that imports them (no cycle, STYLE.md).
import type Provider from 'oidc-provider';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import type { KeyCache, LastUsedRecorder } from '../api-keys/index.ts';
import type { CredentialThrottle } from '../users/index.ts';

export interface GeoServerRouteDeps {
  config: Config; db: Db; keys: SecretKeys; provider: Provider; throttle: CredentialThrottle;
  /** Batches "last used" stamps of the keys that passed a check. */
  keyUsage: LastUsedRecorder;
  /** Found keys in memory, dropped when a change is announced. */
  keyCache: KeyCache;
}

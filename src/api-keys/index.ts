// Changes to existing keys go through the policy and the audit log (api-keys-manage.service.ts).
export { createApiKey, daysFromNow, findApiKey, isKeyUsable, listKeysOfUser } from './api-keys.service.ts';
export type { ApiKeyScope, ListedKey } from './api-keys.service.ts';
export { canonicalKey } from './key-format.ts';
export { LastUsedRecorder } from './last-used.ts';
export { createKeyCache, type KeyCache } from './key-cache.ts';
export { noteRevokedKeyUse } from './revoked-use.ts';
export { getApiKey, listApiKeysPage } from './api-keys-admin.service.ts';
export {
  changeApiKey, issueApiKey, issueKeyFor, removeApiKey, revokeApiKeys, rotateApiKey, updateHeldKey,
} from './api-keys-manage.service.ts';

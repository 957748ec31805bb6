// Changes to existing keys go through the policy and the audit log (api-keys-manage.service.ts).
export { createApiKey, daysFromNow, findApiKey, isKeyUsable, listKeysOfUser } from './api-keys.service.ts';
export type { ApiKeyScope, FoundKey, ListedKey } from './api-keys.service.ts';
export { canonicalKey, isCanonicalKey } from './key-format.ts';
export { LastUsedRecorder } from './last-used.ts';
export { createKeyCache, type KeyCache } from './key-cache.ts';
export { deleteApiKey, getApiKey, listApiKeysPage } from './api-keys-admin.service.ts';
export {
  changeApiKey, issueApiKey, issueKeyFor, removeApiKey, revokeApiKeys, rotateApiKey, updateHeldKey, type HeldKey,
} from './api-keys-manage.service.ts';
export type { AdminKeyView, KeyFilters } from './api-keys-admin.service.ts';

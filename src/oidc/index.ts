export { deleteExpiredPayloads } from './adapter.ts';
export { providerSessionEnder } from './end-session.ts';
export { interactionRoutes } from './interactions.routes.ts';
export { mountProvider } from './mount.ts';
export { mayIntrospect } from './policies.ts';
export { createProvider } from './provider.ts';
export { rewriteProviderUrl } from './url-aliases.ts';
export { withRequestMemo } from './request-memo.ts';

export { createCache } from './cache.ts';
export type { Cache } from './cache.ts';
export { createCacheRegistry } from './registry.ts';
export type { CacheRegistry } from './registry.ts';

// The pieces every capability's admin schemas (<capability>/*.admin-schemas.ts) are built from:
// the shared TypeBox pieces, list paging and the view conventions. Apart from index.ts, which
// also carries the guard and the plugin's types, because the console type-checks these schema
// files: through this file they reach no server code (sessions, cookies, the provider).
export * from './admin.schemas.ts';
export * from './list-query.ts';
export { iso, pageView } from './views.ts';

// What a capability's admin routes (<capability>/*.admin-routes.ts) use from the admin API: the
// types of the plugin they are registered in, who is calling, the OpenAPI doc helper, list paging,
// the shared schema pieces and the view conventions. The plugin itself (admin.routes.ts) is wired
// by app.ts, so that no capability imports the file that imports it.
export type { AdminApp, AdminDeps } from './admin.deps.ts';
export { actorOf, superuserFor } from './admin.guard.ts';
export { adminDoc } from './admin.docs.ts';
export * from './schema-kit.ts';

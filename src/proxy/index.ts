export { proxyRoutes } from './proxy.routes.ts';

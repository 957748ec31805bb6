export { PROXY_FORBIDDEN, proxyRoutes } from './proxy.routes.ts';
export { IDENTITY_HEADER } from './identity-token.ts';

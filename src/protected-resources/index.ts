// Protected resources (the services and layers a role may use, the proxy's upstreams) and the
// access rules that grant roles their use; and the proxy's cached "may this user use it?".
export {
  UPSTREAM_SERVICE, createAccessRule, createResource, listUsableResources,
} from './resources.service.ts';
export type { NewResource, Resource } from './resources.service.ts';
export { createAccessDecisions } from './access-decisions.ts';
export type { AccessDecisions } from './access-decisions.ts';
export {
  deleteAccessRule, deleteResource, getAccessRule, getResource, listAccessRulesPage, listResourcesPage, updateAccessRule, updateResource,
} from './resources-admin.service.ts';

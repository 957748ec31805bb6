export { createClient, getClient } from './clients.service.ts';
export type { ClientRow } from './clients.service.ts';
export type { ClientInput } from './clients.validation.ts';
export { createClientCache } from './client-cache.ts';
export type { ClientCache } from './client-cache.ts';
export { changeClient, registerClient, removeClient, rotateSecretOf } from './clients-manage.service.ts';
export { listClientsPage } from './clients-admin.service.ts';

// Test data made through the services, as an administrator would make it.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/client.ts';
import type { SecretKeys } from '../../src/crypto/keys.ts';
import { createClient, type ClientInput } from '../../src/clients/index.ts';
import { addTeamMember, createRole, createTeam, grantRoleToTeam, grantRoleToUser } from '../../src/privileges/index.ts';
import { createAccessRule, createResource, type NewResource } from '../../src/protected-resources/index.ts';
import { setLoginPrevention } from '../../src/login-preventions/index.ts';
import { createApiKey, daysFromNow, type ApiKeyScope } from '../../src/api-keys/index.ts';
import { createUser, type NewUser } from '../../src/users/index.ts';

export function factories(deps: { db: Db; keys: SecretKeys }) {
  return {
    async user(input: Partial<NewUser> = {}) {
      const password = input.password ?? `pw-${randomBytes(6).toString('hex')}`;
      const email = input.email ?? `user-${randomBytes(4).toString('hex')}@example.com`;
      const user = await createUser(deps, { firstName: 'Test', lastName: 'User', emailConfirmed: true, ...input, email, password });
      return { ...user, password };
    },
    async client(input: Partial<ClientInput> & { clientId?: string; clientSecret?: string } = {}) {
      return createClient(deps, {
        name: 'Test app', clientType: 'confidential', grantType: 'authorization_code',
        redirectUris: ['http://localhost:8100/cb'], ...input,
      });
    },
    async team(name: string, memberIds: number[] = []) {
      const team = await createTeam(deps, name);
      for (const id of memberIds) await addTeamMember(deps, team.id, id);
      return team;
    },
    preventLogin: (clientRowId: number, teamIds: number[]) => setLoginPrevention(deps, clientRowId, teamIds),
    /** An API key; `expiryDays` may be negative for an expired key. */
    apiKey: (userId: number, scope: ApiKeyScope, opts: { revoked?: boolean; expiryDays?: number; value?: string } = {}) =>
      createApiKey(deps, { userId, scope, revoked: opts.revoked, expiry: daysFromNow(opts.expiryDays ?? 30), value: opts.value }),
    async role(name: string, grants: { userIds?: number[]; teamIds?: number[] } = {}) {
      const role = await createRole(deps, name);
      for (const id of grants.userIds ?? []) await grantRoleToUser(deps, role.id, id);
      for (const id of grants.teamIds ?? []) await grantRoleToTeam(deps, role.id, id);
      return role;
    },
    resource: (input: NewResource) => createResource(deps, input),
    rule: (resourceId: number, roleId: number, active: boolean) => createAccessRule(deps, { resourceId, roleId, active }),
  };
}

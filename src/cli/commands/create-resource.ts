// `djam createresource --slug S [--url U --upstream] [--description D] [--role R]... [--inactive]`:
// a resource, and an access rule for each role (active unless --inactive). An upstream service
// is then reachable at /service/<slug> by the holders of those roles.
import { AppError } from '../../errors.ts';
import { createAccessRule, createResource, UPSTREAM_SERVICE } from '../../protected-resources/index.ts';
import { findRoleByName } from '../../privileges/index.ts';
import { defineCommand } from '../command.ts';
import { withRuntime } from '../with-runtime.ts';

export const createResourceCommand = defineCommand({
  name: 'createresource', summary: 'create a resource (--upstream --url U for a proxied service) with access rules for roles',
  usage: '--slug S [--url U --upstream] [--description D] [--role R]... [--inactive]',
  flags: {
    slug: { type: 'string', value: 'S', required: true, doc: 'the resource\'s slug (a proxied service is reachable at /service/<slug>)' },
    url: { type: 'string', value: 'U', doc: 'the resource\'s URL (the upstream a proxied service forwards to)' },
    upstream: { type: 'boolean', doc: 'a service DJAM proxies' },
    description: { type: 'string', value: 'D', doc: 'a description' },
    role: { type: 'string', multiple: true, value: 'R', doc: 'give holders of this role access (repeatable)' },
    inactive: { type: 'boolean', doc: 'create the access rules inactive' },
  },
  run: (values) => withRuntime(async (deps) => {
    const slug = values.slug ?? '';
    const resource = await createResource(deps, { slug, url: values.url ?? null, description: values.description ?? null, type: values.upstream ? UPSTREAM_SERVICE : null });
    for (const roleName of values.role ?? []) {
      const role = await findRoleByName(deps, roleName);
      if (!role) throw new AppError('VALIDATION_FAILED', { message: `No role named ${roleName}.` });
      await createAccessRule(deps, { resourceId: resource.id, roleId: role.id, active: !values.inactive });
    }
    process.stdout.write(`${JSON.stringify({ id: resource.id, slug: resource.slug, url: resource.url, type: resource.type, rules: values.role ?? [] })}\n`);
    return 0;
  }),
});

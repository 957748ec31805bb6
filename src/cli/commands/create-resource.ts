// `djam createresource --slug S [--url U --upstream] [--description D] [--role R]... [--inactive]`:
// a resource, and an access rule for each role (active unless --inactive). An upstream service
// is then reachable at /service/<slug> by the holders of those roles.
import { parseArgs } from 'node:util';
import { AppError } from '../../errors.ts';
import { createAccessRule, createResource, findRoleByName, UPSTREAM_SERVICE } from '../../teams/index.ts';
import { usage, withRuntime } from '../with-runtime.ts';

export async function createResourceCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: {
    slug: { type: 'string' }, url: { type: 'string' }, upstream: { type: 'boolean' }, description: { type: 'string' },
    role: { type: 'string', multiple: true }, inactive: { type: 'boolean' },
  } });
  if (!values.slug) return usage('djam createresource --slug S [--url U --upstream] [--description D] [--role R]... [--inactive]');
  const slug = values.slug;
  return withRuntime(async (deps) => {
    const resource = await createResource(deps, { slug, url: values.url ?? null, description: values.description ?? null, type: values.upstream ? UPSTREAM_SERVICE : null });
    for (const roleName of values.role ?? []) {
      const role = await findRoleByName(deps, roleName);
      if (!role) throw new AppError('VALIDATION_FAILED', { message: `No role named ${roleName}.` });
      await createAccessRule(deps, { resourceId: resource.id, roleId: role.id, active: !values.inactive });
    }
    process.stdout.write(`${JSON.stringify({ id: resource.id, slug: resource.slug, url: resource.url, type: resource.type, rules: values.role ?? [] })}\n`);
    return 0;
  });
}

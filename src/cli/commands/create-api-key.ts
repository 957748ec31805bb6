// `djam createapikey --user EMAIL --scope resource|management [--days N]`: issues a key and
// prints it once as JSON (management keys can be created nowhere else until the admin console).
import { parseArgs } from 'node:util';
import { cliActor } from '../../access/index.ts';
import { daysFromNow, issueApiKey } from '../../api-keys/index.ts';
import { loadConfig } from '../../config.ts';
import { requireUser, usage, withRuntime } from '../with-runtime.ts';

export async function createApiKeyCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { user: { type: 'string' }, scope: { type: 'string' }, days: { type: 'string' } } });
  const days = values.days === undefined ? undefined : Number(values.days);
  if (!values.user || (values.scope !== 'resource' && values.scope !== 'management') || (days !== undefined && !(days > 0))) {
    return usage('djam createapikey --user EMAIL --scope resource|management [--days N]');
  }
  const { user: email, scope } = values;
  return withRuntime(async (deps) => {
    const user = await requireUser(deps, email);
    const expiry = daysFromNow(days ?? loadConfig().DJAM_APIKEY_EXPIRE_DAYS);
    const { view: { id }, key } = await issueApiKey(deps, cliActor, { userId: user.id, scope, expiry });
    process.stdout.write(`${JSON.stringify({ id, key, scope, username: user.email, expiry: expiry.toISOString() })}\n`);
    return 0;
  });
}

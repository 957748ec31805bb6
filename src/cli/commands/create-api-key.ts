// `djam createapikey --user EMAIL --scope resource|management [--days N]`: issues a key and
// prints it once as JSON (management keys can be created nowhere else until the admin console).
import { cliActor } from '../../access/index.ts';
import { daysFromNow, issueApiKey } from '../../api-keys/index.ts';
import { loadConfig } from '../../config.ts';
import { defineCommand, UsageError } from '../command.ts';
import { requireUser, withRuntime } from '../with-runtime.ts';

export const createApiKeyCommand = defineCommand({
  name: 'createapikey', summary: 'issue a resource or management API key for a user and print it once as JSON',
  usage: '--user EMAIL --scope resource|management [--days N]',
  flags: {
    user: { type: 'string', value: 'EMAIL', required: true, doc: 'the key\'s owner' },
    scope: { type: 'string', value: 'resource|management', required: true, choices: ['resource', 'management'], doc: 'what the key opens' },
    days: { type: 'string', value: 'N', doc: 'days until it expires (default DJAM_APIKEY_EXPIRE_DAYS)' },
  },
  run: createApiKey,
});

async function createApiKey(values: { user?: string; scope?: string; days?: string }): Promise<number> {
  const days = values.days === undefined ? undefined : Number(values.days);
  if (days !== undefined && !(days > 0)) throw new UsageError(`--days must be a positive number, not "${values.days}"`);
  const email = values.user ?? '';
  const scope = values.scope === 'management' ? 'management' : 'resource';
  return withRuntime(async (deps) => {
    const user = await requireUser(deps, email);
    const expiry = daysFromNow(days ?? loadConfig().DJAM_APIKEY_EXPIRE_DAYS);
    const { view: { id }, key } = await issueApiKey(deps, cliActor, { userId: user.id, scope, expiry });
    process.stdout.write(`${JSON.stringify({ id, key, scope, username: user.email, expiry: expiry.toISOString() })}\n`);
    return 0;
  });
}

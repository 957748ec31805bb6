// Registers an OAuth client for scripts and prints {client_id, client_secret, ...} as JSON.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../runtime.ts';
import { cliActor } from '../../access/index.ts';
import { registerClient } from '../../clients/index.ts';

const USAGE = 'Usage: djam createclient --name N --grant-type client_credentials|authorization_code [--redirect-uri U]... [--public] [--scope S]... [--client-id ID --client-secret SECRET] [--skip-consent]\n';
const GRANT_TYPES = ['client_credentials', 'authorization_code'] as const;
type GrantType = (typeof GRANT_TYPES)[number];

function isGrantType(value: string | undefined): value is GrantType {
  return GRANT_TYPES.includes(value as GrantType);
}

export async function createClientCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: {
    name: { type: 'string' }, 'grant-type': { type: 'string' }, 'redirect-uri': { type: 'string', multiple: true },
    'post-logout-redirect-uri': { type: 'string', multiple: true }, public: { type: 'boolean' },
    scope: { type: 'string', multiple: true }, 'client-id': { type: 'string' }, 'client-secret': { type: 'string' },
    'skip-consent': { type: 'boolean' }, 'jwt-alg': { type: 'string' },
  } });
  const grantType = values['grant-type'];
  // An unknown grant type is a usage error like a missing one, not a validation failure.
  if (!values.name || !isGrantType(grantType)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const { database, keys } = await openRuntime(loadConfig());
  try {
    const scope = values.scope?.flatMap((s) => s.split(/\s+/)).filter(Boolean).join(' ');
    const { client, clientSecret } = await registerClient({ db: database.db, keys }, cliActor, {
      name: values.name, grantType, clientType: values.public ? 'public' : 'confidential',
      redirectUris: values['redirect-uri'] ?? [], postLogoutRedirectUris: values['post-logout-redirect-uri'] ?? [],
      scope: scope || undefined, requireConsent: !values['skip-consent'], jwtAlg: values['jwt-alg'] as 'RS256' | undefined,
      clientId: values['client-id'], clientSecret: values['client-secret'],
    });
    process.stdout.write(`${JSON.stringify({
      client_id: client.clientId, client_secret: clientSecret, name: client.name, client_type: client.clientType,
      grant_types: client.grantTypes, redirect_uris: client.redirectUris, scope: client.scope,
    }, null, 2)}\n`);
  } finally {
    await database.close();
  }
  return 0;
}

// Registers an OAuth client for scripts and prints {client_id, client_secret, ...} as JSON.
import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../runtime.ts';
import { closeConfirmed } from '../with-runtime.ts';
import { cliActor } from '../../access/index.ts';
import { registerClient } from '../../clients/index.ts';
import { defineCommand } from '../command.ts';

export const createClientCommand = defineCommand({
  name: 'createclient', summary: 'register an OAuth client and print its id and secret as JSON',
  usage: '--name N --grant-type client_credentials|authorization_code [--redirect-uri U]... [--public] [--scope S]... [--client-id ID --client-secret SECRET] [--skip-consent]',
  flags: {
    name: { type: 'string', value: 'N', required: true, doc: 'the client\'s name, shown on the consent page' },
    'grant-type': { type: 'string', value: 'client_credentials|authorization_code', required: true, choices: ['client_credentials', 'authorization_code'], doc: 'the grant the client uses' },
    'redirect-uri': { type: 'string', multiple: true, value: 'U', doc: 'an allowed redirect URI (repeatable)' },
    'post-logout-redirect-uri': { type: 'string', multiple: true, value: 'U', doc: 'an allowed post-logout redirect URI (repeatable)' },
    public: { type: 'boolean', doc: 'a public client (no secret; PKCE)' },
    scope: { type: 'string', multiple: true, value: 'S', doc: 'scopes the client may ask for (repeatable, or space-separated)' },
    'client-id': { type: 'string', value: 'ID', doc: 'choose the client id (default: generated)' },
    'client-secret': { type: 'string', value: 'SECRET', doc: 'choose the client secret (default: generated)' },
    'skip-consent': { type: 'boolean', doc: 'never ask users to consent' },
    'jwt-alg': { type: 'string', value: 'RS256', choices: ['RS256'], doc: 'sign the client\'s ID tokens with this algorithm' },
  },
  run: createClient,
});

interface CreateClientFlags {
  name?: string; 'grant-type'?: string; 'redirect-uri'?: string[]; 'post-logout-redirect-uri'?: string[]; public?: boolean;
  scope?: string[]; 'client-id'?: string; 'client-secret'?: string; 'skip-consent'?: boolean; 'jwt-alg'?: string;
}

async function createClient(values: CreateClientFlags): Promise<number> {
  const grantType = values['grant-type'] === 'authorization_code' ? 'authorization_code' : 'client_credentials';
  const { database, keys } = await openRuntime(loadConfig());
  try {
    const scope = values.scope?.flatMap((s) => s.split(/\s+/)).filter(Boolean).join(' ');
    const { client, clientSecret } = await registerClient({ db: database.db, keys }, cliActor, {
      name: values.name ?? '', grantType, clientType: values.public ? 'public' : 'confidential',
      redirectUris: values['redirect-uri'] ?? [], postLogoutRedirectUris: values['post-logout-redirect-uri'] ?? [],
      scope: scope || undefined, requireConsent: !values['skip-consent'], jwtAlg: values['jwt-alg'] as 'RS256' | undefined,
      clientId: values['client-id'], clientSecret: values['client-secret'],
    });
    process.stdout.write(`${JSON.stringify({
      client_id: client.clientId, client_secret: clientSecret, name: client.name, client_type: client.clientType,
      grant_types: client.grantTypes, redirect_uris: client.redirectUris, scope: client.scope,
    }, null, 2)}\n`);
  } finally {
    await closeConfirmed(database); // the running nodes have applied the changes when the command returns
  }
  return 0;
}

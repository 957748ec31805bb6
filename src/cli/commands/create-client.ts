// Registers an OAuth client for scripts and prints {client_id, client_secret, ...} as JSON.
import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../runtime.ts';
import { closeConfirmed } from '../with-runtime.ts';
import { cliActor } from '../../access/index.ts';
import { GRANT_TYPES, JWT_ALGS, registerClient, type ProtocolSettings } from '../../clients/index.ts';
import { defineCommand } from '../command.ts';

export const createClientCommand = defineCommand({
  name: 'createclient', summary: 'register an OAuth client and print its id and secret as JSON',
  usage: '--name N --grant-type client_credentials|authorization_code|device_code [--redirect-uri U]... [--public] [--scope S]... [--client-id ID --client-secret SECRET] [--skip-consent] [--jwt-alg A] [--backchannel-logout-uri U] [--require-dpop] [--require-par] [--fapi2] [--nested-groups]',
  flags: {
    name: { type: 'string', value: 'N', required: true, doc: 'the client\'s name, shown on the consent page' },
    'grant-type': { type: 'string', value: 'client_credentials|authorization_code|device_code', required: true, choices: [...GRANT_TYPES], doc: 'the grant the client uses (device_code: RFC 8628, for TVs, CLIs and desktop tools)' },
    'redirect-uri': { type: 'string', multiple: true, value: 'U', doc: 'an allowed redirect URI (repeatable)' },
    'post-logout-redirect-uri': { type: 'string', multiple: true, value: 'U', doc: 'an allowed post-logout redirect URI (repeatable)' },
    public: { type: 'boolean', doc: 'a public client (no secret; PKCE)' },
    scope: { type: 'string', multiple: true, value: 'S', doc: 'scopes the client may ask for (repeatable, or space-separated)' },
    'client-id': { type: 'string', value: 'ID', doc: 'choose the client id (default: generated)' },
    'client-secret': { type: 'string', value: 'SECRET', doc: 'choose the client secret (default: generated)' },
    'skip-consent': { type: 'boolean', doc: 'never ask users to consent' },
    'jwt-alg': { type: 'string', value: JWT_ALGS.join('|'), choices: [...JWT_ALGS], doc: 'sign the client\'s ID tokens with this algorithm' },
    'backchannel-logout-uri': { type: 'string', value: 'U', doc: 'where DJAM POSTs a logout token when the user signs out (OIDC Back-Channel Logout)' },
    'require-dpop': { type: 'boolean', doc: 'the client\'s access tokens are DPoP-bound (RFC 9449); a token without its proof is refused' },
    'require-par': { type: 'boolean', doc: 'authorization requests must be pushed first (RFC 9126)' },
    fapi2: { type: 'boolean', doc: 'FAPI 2.0 Security Profile: PAR, PKCE, sender-constrained tokens' },
    'nested-groups': { type: 'boolean', doc: 'the original\'s nested groups claim ([["team1","team2"]]) instead of the flat list' },
  },
  run: createClient,
});

interface CreateClientFlags {
  name?: string; 'grant-type'?: string; 'redirect-uri'?: string[]; 'post-logout-redirect-uri'?: string[]; public?: boolean;
  scope?: string[]; 'client-id'?: string; 'client-secret'?: string; 'skip-consent'?: boolean; 'jwt-alg'?: string;
  'backchannel-logout-uri'?: string; 'require-dpop'?: boolean; 'require-par'?: boolean; fapi2?: boolean; 'nested-groups'?: boolean;
}

function protocolOf(values: CreateClientFlags): ProtocolSettings {
  return {
    ...(values['backchannel-logout-uri'] ? { backchannel_logout_uri: values['backchannel-logout-uri'], backchannel_logout_session_required: true } : {}),
    ...(values['require-dpop'] || values.fapi2 ? { dpop_bound_access_tokens: true } : {}),
    ...(values['require-par'] || values.fapi2 ? { require_pushed_authorization_requests: true } : {}),
    ...(values.fapi2 ? { fapi2: true } : {}),
    groups_claim: values['nested-groups'] ? 'nested' : 'flat',
  };
}

async function createClient(values: CreateClientFlags): Promise<number> {
  const grantType = GRANT_TYPES.find((g) => g === values['grant-type']) ?? 'client_credentials';
  const { database, keys } = await openRuntime(loadConfig());
  try {
    const scope = values.scope?.flatMap((s) => s.split(/\s+/)).filter(Boolean).join(' ');
    const { client, clientSecret } = await registerClient({ db: database.db, keys }, cliActor, {
      name: values.name ?? '', grantType, clientType: values.public ? 'public' : 'confidential',
      redirectUris: values['redirect-uri'] ?? [], postLogoutRedirectUris: values['post-logout-redirect-uri'] ?? [],
      scope: scope || undefined, requireConsent: !values['skip-consent'], jwtAlg: JWT_ALGS.find((a) => a === values['jwt-alg']),
      protocol: protocolOf(values),
      clientId: values['client-id'], clientSecret: values['client-secret'],
    });
    process.stdout.write(`${JSON.stringify({
      client_id: client.clientId, client_secret: clientSecret, name: client.name, client_type: client.clientType,
      grant_types: client.grantTypes, redirect_uris: client.redirectUris, scope: client.scope, ...client.protocolMetadata,
    }, null, 2)}\n`);
  } finally {
    await closeConfirmed(database); // the running nodes have applied the changes when the command returns
  }
  return 0;
}

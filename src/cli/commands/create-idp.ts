// `djam createidp --slug S --issuer URL --client-id ID --client-secret SECRET ...`: registers an
// upstream OpenID Connect provider users may sign in through (#23), and prints it as JSON
// (without the secret), with the redirect URI to register at the upstream.
import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../runtime.ts';
import { closeConfirmed } from '../with-runtime.ts';
import { cliActor } from '../../access/index.ts';
import { createIdentityProviderAs, isPreset } from '../../federation/index.ts';
import { defineCommand, UsageError } from '../command.ts';

interface Flags {
  slug?: string; preset?: string; issuer?: string; 'client-id'?: string; 'client-secret'?: string; name?: string; scope?: string; 'group-claim'?: string;
  map?: string[]; 'no-jit'?: boolean; 'trust-email'?: boolean; 'allowed-domains'?: string;
}

export const createIdpCommand = defineCommand({
  name: 'createidp', summary: 'register an upstream OpenID Connect provider users may sign in through',
  usage: '--slug S (--issuer URL | --preset github|google) --client-id ID --client-secret SECRET [--name N] [--scope "openid email profile"] [--group-claim groups] [--map VALUE=TEAM]... [--no-jit] [--trust-email] [--allowed-domains a.org,b.org]',
  flags: {
    slug: { type: 'string', value: 'S', required: true, doc: 'lower-case letters, digits and dashes: the sign-in starts at /accounts/idp/<slug>/login/' },
    issuer: { type: 'string', value: 'URL', doc: 'the upstream\'s issuer (its discovery document is read from there); or --preset' },
    preset: { type: 'string', value: 'github|google', doc: 'github: plain OAuth 2.0, the user from the GitHub API; google: OpenID Connect at https://accounts.google.com (sets the issuer, and the scope and name unless given)' },
    'client-id': { type: 'string', value: 'ID', required: true, doc: 'the client id DJAM has at the upstream' },
    'client-secret': { type: 'string', value: 'SECRET', required: true, doc: 'its client secret (stored encrypted)' },
    name: { type: 'string', value: 'N', doc: 'the button\'s label: "Sign in with N" (default: the slug)' },
    scope: { type: 'string', value: 'S', doc: 'scopes to ask for (default "openid email profile")' },
    'group-claim': { type: 'string', value: 'C', doc: 'the claim holding the user\'s groups, for --map' },
    map: { type: 'string', multiple: true, value: 'VALUE=TEAM', doc: 'holders of VALUE in the group claim are put in team TEAM at every sign-in (repeatable)' },
    'no-jit': { type: 'boolean', doc: 'never create a user at their first sign-in (only linked accounts sign in)' },
    'trust-email': { type: 'boolean', doc: 'believe the upstream\'s email_verified (just-in-time creation needs a verified address)' },
    'allowed-domains': { type: 'string', value: 'a.org,b.org', doc: 'only these e-mail domains may sign in through this upstream' },
  },
  run: createIdp,
});

function mappingsOf(values: string[] | undefined): Array<{ value: string; team: string }> {
  return (values ?? []).map((m) => {
    const at = m.lastIndexOf('=');
    if (at <= 0 || at === m.length - 1) throw new UsageError(`--map takes VALUE=TEAM, not "${m}"`);
    return { value: m.slice(0, at), team: m.slice(at + 1) };
  });
}

async function createIdp(values: Flags): Promise<number> {
  const mappings = mappingsOf(values.map);
  if (values.preset !== undefined && !isPreset(values.preset)) throw new UsageError(`--preset takes github or google, not "${values.preset}"`);
  if (!values.preset && !values.issuer) throw new UsageError('--issuer URL or --preset github|google is required');
  const config = loadConfig();
  const { database, keys } = await openRuntime(config);
  try {
    const idp = await createIdentityProviderAs({ db: database.db, keys, config }, cliActor, {
      slug: values.slug ?? '', issuer: values.issuer ?? '', preset: isPreset(values.preset) ? values.preset : undefined, clientId: values['client-id'] ?? '', clientSecret: values['client-secret'] ?? '',
      name: values.name, scope: values.scope, groupClaim: values['group-claim'], mappings,
      allowJit: !values['no-jit'], trustEmail: values['trust-email'] ?? false,
      allowedDomains: values['allowed-domains']?.split(',').map((d) => d.trim()).filter(Boolean),
    });
    process.stdout.write(`${JSON.stringify({
      id: idp.id, slug: idp.slug, name: idp.name, issuer: idp.issuer, client_id: idp.clientId, scope: idp.scope,
      group_claim: idp.groupClaim, mappings: idp.mappings, jit: idp.allowJit, trust_email: idp.trustEmail, allowed_domains: idp.allowedDomains,
      callback_url: `${config.baseUrl}/accounts/idp/${idp.slug}/callback/`,
    })}\n`);
    return 0;
  } finally {
    await closeConfirmed(database);
  }
}

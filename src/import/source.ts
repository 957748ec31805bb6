// Reads the original DJAM database (Django, PostgreSQL) in one READ ONLY, REPEATABLE READ
// transaction: the original is never written, and every table comes from the same snapshot
// even while the old server keeps running.
import pg from 'pg';
import { ImportError } from './import-error.ts';
import type { SourceSnapshot } from './source.types.ts';

const DJAM_TABLES = [
  'user_management_user', 'auth_group', 'privilege_manager_team', 'user_management_user_team', 'authorizations_role',
  'user_management_user_role', 'privilege_manager_team_role', 'authorizations_resource', 'authorizations_accessrule',
  'oidc_provider_client', 'oidc_provider_responsetype', 'oidc_provider_client_response_types',
  'privilege_manager_openidloginprevention', 'privilege_manager_openidloginprevention_teams', 'identity_provider_apikey',
  'oidc_provider_rsakey',
];

const QUERIES = {
  users: `select id, password, last_login as "lastLogin", is_superuser as "isSuperuser", username, first_name as "firstName",
    last_name as "lastName", email, secondary_email as "secondaryEmail", email_confirmed as "emailConfirmed", uuid::text as uuid,
    is_staff as "isStaff", is_active as "isActive", date_joined as "dateJoined", legacy_user_id as "legacyUserId"
    from user_management_user order by id`,
  teams: `select t.group_ptr_id as id, g.name from privilege_manager_team t join auth_group g on g.id = t.group_ptr_id order by t.group_ptr_id`,
  memberships: 'select user_id as "left", team_id as "right" from user_management_user_team order by id',
  roles: 'select id::int as id, name from authorizations_role order by id',
  userRoles: 'select user_id as "left", role_id::int as "right" from user_management_user_role order by id',
  teamRoles: 'select team_id as "left", role_id::int as "right" from privilege_manager_team_role order by id',
  resources: 'select id::int as id, slug, url, description, type from authorizations_resource order by id',
  accessRules: `select id::int as id, resource_id::int as "resourceId", role_id::int as "roleId", active
    from authorizations_accessrule order by id`,
  clients: `select c.id, c.name, c.client_type as "clientType", c.client_id as "clientId", c.client_secret as "clientSecret",
    c.jwt_alg as "jwtAlg", (c.date_created::timestamp at time zone 'UTC') as "dateCreated", c.website_url as "websiteUrl",
    c.reuse_consent as "reuseConsent", c.require_consent as "requireConsent", c._redirect_uris as "redirectUris",
    c._post_logout_redirect_uris as "postLogoutRedirectUris", c._scope as scope, c.owner_id as "ownerId",
    coalesce((select array_agg(rt.value order by rt.id) from oidc_provider_client_response_types crt
      join oidc_provider_responsetype rt on rt.id = crt.responsetype_id where crt.client_id = c.id), '{}') as "responseTypes"
    from oidc_provider_client c order by c.id`,
  preventions: `select p.id, p.oidc_client_id as "clientId",
    coalesce((select array_agg(pt.team_id order by pt.id) from privilege_manager_openidloginprevention_teams pt
      where pt.openidloginprevention_id = p.id), '{}') as "teamIds"
    from privilege_manager_openidloginprevention p order by p.id`,
  apiKeys: `select id, user_id as "userId", key::text as key, revoked, last_modified as "lastModified", expiry, scope
    from identity_provider_apikey order by id`,
  rsaKeys: 'select id, key as pem from oidc_provider_rsakey order by id',
} as const satisfies Record<Exclude<keyof SourceSnapshot, 'location'>, string>;

/** `host:port/database` of a postgres:// URL; the password never appears in a message. */
function parseSourceUrl(url: string): { location: string } {
  const parsed = URL.parse(url);
  if (!parsed || !['postgres:', 'postgresql:'].includes(parsed.protocol) || !parsed.hostname) {
    throw new ImportError('--from must be a PostgreSQL URL such as postgres://user:password@host:5432/djam.');
  }
  return { location: `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}` };
}

function reasonOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return reasonOf(err.errors[0]);
  if (!(err instanceof Error)) return String(err);
  return err.message || (err as { code?: string }).code || err.name;
}

async function connect(url: string, location: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, application_name: 'djam import-djam' });
  client.on('error', () => undefined); // a dropped connection surfaces as the failing query's error
  try {
    await client.connect();
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw new ImportError(`Cannot connect to the original DJAM database at ${location}: ${reasonOf(err)}.`);
  }
}

async function assertDjamTables(client: pg.Client, location: string): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    'select name from unnest($1::text[]) as name where to_regclass(quote_ident(name)) is null', [DJAM_TABLES],
  );
  if (rows.length === DJAM_TABLES.length) throw new ImportError(`The database at ${location} is not a DJAM database: it has none of DJAM's tables (such as user_management_user).`);
  if (rows.length) throw new ImportError(`The database at ${location} is not a complete DJAM database: it lacks the table(s) ${rows.map((r) => r.name).join(', ')}.`);
}

export async function readSource(url: string): Promise<SourceSnapshot> {
  const { location } = parseSourceUrl(url);
  const client = await connect(url, location);
  try {
    await client.query('begin isolation level repeatable read read only');
    await assertDjamTables(client, location);
    const snapshot: Record<string, unknown> = { location };
    for (const [name, query] of Object.entries(QUERIES)) snapshot[name] = (await client.query(query)).rows;
    await client.query('commit');
    return snapshot as unknown as SourceSnapshot;
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw new ImportError(`Cannot read the original DJAM database at ${location}: ${reasonOf(err)}.`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

// The one place that reads the environment. Every setting is declared once in `settings`
// (name, type, default, one-line doc); loadConfig() coerces them, reports every error at
// once and returns a frozen object the rest of the server receives through deps.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isSecretKeyWeak } from './crypto/secret-key.ts';
import { parseProxyTrust } from './http/proxy-trust.ts';
import { parseResourceServers, type ResourceServers } from './config-resource-servers.ts';

type Kind = 'string' | 'int' | 'float' | 'bool' | 'list';
interface Setting { kind: Kind; default?: string; doc: string; secret?: boolean; choices?: readonly string[] }

const profiles = ['local', 'dev', 'prod', 'test'] as const;
export type Profile = (typeof profiles)[number];

export const settings = {
  DJAM_PROJECT_ENVIRONMENT: { kind: 'string', default: 'local', choices: profiles, doc: 'Profile: local, dev, prod or test. prod requires a real DJAM_SECRET_KEY and an https SITEURL.' },
  DJAM_SECRET_KEY: { kind: 'string', secret: true, doc: 'Master secret: signs sessions and CSRF tokens, derives the keys that encrypt stored secrets. Unset outside prod: generated once into DJAM_DATA_DIR, except with PostgreSQL outside the local profile, where it is required. Every node of one database needs the same key (a node with another one stops at start-up).' },
  SITEURL: { kind: 'string', doc: 'Public base URL with trailing slash; the OIDC issuer is SITEURL + "openid". Unset (or empty): http://localhost:DJAM_PORT/ in the local profile, http://localhost:8000/ otherwise.' },
  DJAM_HOST: { kind: 'string', doc: 'Address the HTTP server binds. Unset: 127.0.0.1 (this machine only) in the local profile, 0.0.0.0 (every interface) in the others.' },
  DJAM_PORT: { kind: 'int', default: '8000', doc: 'HTTP port.' },
  DJAM_ALLOWED_HOSTS: { kind: 'list', doc: 'Comma-separated Host header values accepted in prod/test (unset there: the host of SITEURL). local/dev accept any.' },
  DJAM_TRUST_PROXY: { kind: 'string', default: 'false', doc: 'Peers whose X-Forwarded-Proto/-Host/-For are believed: false (none); a comma-separated list of the proxies\' addresses and CIDR ranges (or loopback, linklocal, uniquelocal); true (every peer: only when nothing but the proxy reaches the port).' },
  DJAM_DATA_DIR: { kind: 'string', default: './data', doc: 'Where the embedded database, the generated secret key and the mail outbox live.' },
  DJAM_DB_HOST: { kind: 'string', doc: 'PostgreSQL host. Unset: embedded PGlite in DJAM_DATA_DIR.' },
  DJAM_DB_PORT: { kind: 'int', default: '5432', doc: 'PostgreSQL port.' },
  DJAM_DB_NAME: { kind: 'string', default: 'djam', doc: 'PostgreSQL database name.' },
  DJAM_DB_USER: { kind: 'string', default: 'djam', doc: 'PostgreSQL user.' },
  DJAM_DB_PASSWORD: { kind: 'string', secret: true, doc: 'PostgreSQL password.' },
  DJAM_DB_POOL_SIZE: { kind: 'int', default: '10', doc: 'PostgreSQL connections per server process.' },
  DJAM_WORKERS: { kind: 'string', default: '1', doc: 'Server processes sharing DJAM_PORT, or auto (one per CPU core). More than 1 needs PostgreSQL: the embedded database belongs to one process.' },
  DJAM_RABBITMQ_HOST: { kind: 'string', doc: 'RabbitMQ host. Unset: background jobs run from the database inside the server.' },
  DJAM_RABBITMQ_PORT: { kind: 'int', default: '5672', doc: 'RabbitMQ port.' },
  DJAM_RABBITMQ_USER: { kind: 'string', default: 'guest', doc: 'RabbitMQ user.' },
  DJAM_RABBITMQ_PASSWORD: { kind: 'string', default: 'guest', secret: true, doc: 'RabbitMQ password.' },
  DJAM_RABBITMQ_QUEUE: { kind: 'string', default: 'djam.jobs', doc: 'Durable RabbitMQ queue the jobs are relayed to.' },
  DJAM_JOB_MAX_ATTEMPTS: { kind: 'int', default: '5', doc: 'Tries of a background job before it is marked dead.' },
  DJAM_JOB_RETRY_SECONDS: { kind: 'float', default: '10', doc: 'First retry delay of a failed job; doubles at each further try.' },
  DJAM_JOB_POLL_SECONDS: { kind: 'float', default: '1', doc: 'How often the in-process runner (or the RabbitMQ relay) looks for due jobs besides being woken by new ones.' },
  DJAM_JOB_LOCK_SECONDS: { kind: 'float', default: '120', doc: 'How long a running job is reserved; a job of a crashed worker runs again after it.' },
  DJAM_EVENT_RETENTION_DAYS: { kind: 'int', default: '90', doc: 'Days the event log (sign-ins, changes: /api/admin/events) keeps an event; older ones are swept, with their webhook delivery log.' },
  DJAM_WEBHOOK_MAX_ATTEMPTS: { kind: 'int', default: '12', doc: 'Tries of a webhook delivery before it is dead (retryable from the console); retries back off from DJAM_JOB_RETRY_SECONDS, doubling (12 tries at 10 s: about 5.7 h).' },
  DJAM_WEBHOOK_TIMEOUT_SECONDS: { kind: 'float', default: '10', doc: 'How long a webhook receiver has to answer a delivery before the try counts as failed.' },
  DJAM_DYNAMIC_REGISTRATION: { kind: 'bool', default: 'false', doc: 'Dynamic client registration (RFC 7591/7592) at /openid/register, with an initial access token an administrator issues (POST /api/admin/initial-access-tokens); registered clients always ask the user\'s consent and never get the admin scope.' },
  DJAM_WEBHOOK_ALLOW_PRIVATE: { kind: 'bool', default: 'false', doc: 'Allow webhook URLs that name or resolve to loopback, private, link-local or otherwise internal addresses (refused by default against SSRF).' },
  DJAM_IDP_ALLOW_HTTP: { kind: 'bool', default: 'false', doc: 'Allow upstream identity providers (#23) at http:// issuers (tests, a local Keycloak); only https otherwise.' },
  DJAM_IDP_TIMEOUT_SECONDS: { kind: 'int', default: '10', doc: 'How long a request to an upstream identity provider (discovery, token, userinfo) may take before the sign-in fails with a clear page.' },
  DJAM_IDP_GITHUB_URL: { kind: 'string', doc: 'Tests only: a base URL standing in for both https://github.com and https://api.github.com in the GitHub preset (#23), e.g. a local fake GitHub. Unset in production.' },
  DJAM_LDAP_URL: { kind: 'string', doc: 'LDAP or Active Directory server (ldap:// or ldaps://) whose users may sign in with their directory password (#23). Unset: no directory.' },
  DJAM_LDAP_BIND_DN: { kind: 'string', doc: 'DN DJAM binds as to search the directory (unset: anonymous search).' },
  DJAM_LDAP_BIND_PASSWORD: { kind: 'string', secret: true, doc: 'Password of DJAM_LDAP_BIND_DN.' },
  DJAM_LDAP_USER_BASE: { kind: 'string', default: '', doc: 'Base DN of the user search.' },
  DJAM_LDAP_USER_FILTER: { kind: 'string', default: '(|(uid={login})(mail={login}))', doc: 'Filter finding a user by what they typed ({login}, escaped). Active Directory: (|(sAMAccountName={login})(userPrincipalName={login})(mail={login})).' },
  DJAM_LDAP_ATTR_EMAIL: { kind: 'string', default: 'mail', doc: 'Directory attribute holding the e-mail address.' },
  DJAM_LDAP_ATTR_FIRST_NAME: { kind: 'string', default: 'givenName', doc: 'Directory attribute holding the first name.' },
  DJAM_LDAP_ATTR_LAST_NAME: { kind: 'string', default: 'sn', doc: 'Directory attribute holding the last name.' },
  DJAM_LDAP_GROUP_BASE: { kind: 'string', doc: 'Base DN of the group search (unset: groups are not read).' },
  DJAM_LDAP_GROUP_FILTER: { kind: 'string', default: '(member={dn})', doc: 'Filter finding a user\'s groups ({dn}: the user\'s DN, escaped).' },
  DJAM_LDAP_GROUP_NAME_ATTRIBUTE: { kind: 'string', default: 'cn', doc: 'Attribute naming a group: a directory group is the DJAM team of that name (made on first use).' },
  DJAM_LDAP_START_TLS: { kind: 'bool', default: 'false', doc: 'Upgrade an ldap:// connection with StartTLS.' },
  DJAM_LDAP_CA_FILE: { kind: 'string', doc: 'PEM file of the CA that signed the directory\'s certificate (ldaps:// or StartTLS).' },
  DJAM_LDAP_SYNC_INTERVAL_MINUTES: { kind: 'int', default: '0', doc: 'Run `djam ldap-sync` in the server every so many minutes (the process that sweeps: one per node); 0: never (run the command from cron instead).' },
  DJAM_EMAIL_HOST: { kind: 'string', doc: 'SMTP host. Unset: mail is written to DJAM_DATA_DIR/outbox.' },
  DJAM_EMAIL_PORT: { kind: 'int', default: '587', doc: 'SMTP port.' },
  DJAM_EMAIL_HOST_USER: { kind: 'string', doc: 'SMTP user.' },
  DJAM_EMAIL_HOST_PASSWORD: { kind: 'string', secret: true, doc: 'SMTP password.' },
  DJAM_EMAIL_SENDER: { kind: 'string', default: 'DJAM <noreply@localhost>', doc: 'From address of every e-mail.' },
  DJAM_EMAIL_USE_TLS: { kind: 'bool', default: 'true', doc: 'Use STARTTLS when the SMTP server offers it (required when it does not, unless false).' },
  DJAM_HOME_VIEW: { kind: 'string', default: 'login', doc: 'Route name anonymous visitors of / are sent to (login or register).' },
  DJAM_LOGOUT_REDIRECT: { kind: 'string', default: 'login', doc: 'Where /accounts/logout/ sends the user: a route name or a URL.' },
  DJAM_DEFAULT_SCOPES: { kind: 'string', default: 'read write', doc: 'Scopes granted when an OAuth request names none (those the client may use).' },
  DJAM_ACCESS_TOKEN_TTL_SECONDS: { kind: 'int', default: '3600', doc: 'Access-token lifetime.' },
  DJAM_ID_TOKEN_TTL_SECONDS: { kind: 'int', default: '600', doc: 'ID-token lifetime (10 minutes, as the original). With the access-token lifetimes it sets how long a replaced signing key stays published.' },
  DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS: { kind: 'float', default: '3600', doc: 'How long a new signing key (djam creatersakey, the console\'s rotate) is only published in the JWKS before it starts signing. Keep it longer than relying parties cache the JWKS, so that they know the key before any token carries it; every node switches at the same moment. --activate-now (the console\'s "sign with it at once") skips the wait, for emergencies.' },
  DJAM_REFRESH_TOKEN_TTL_SECONDS: { kind: 'int', default: '1209600', doc: 'Refresh-token lifetime (14 days).' },
  DJAM_OIDC_RESOURCE_SERVERS: { kind: 'string', doc: 'APIs that receive JWT access tokens, as JSON: {"https://api.example/": {"scopes": "api:read api:write", "ttl": 600}} (ttl optional). A client sending resource=https://api.example/ (RFC 8707) gets an RS256 JWT whose aud is that URI, carrying the API scopes its own scope list also names; an unknown resource gets invalid_target. Unset: opaque tokens only.' },
  DJAM_SESSION_TTL_SECONDS: { kind: 'int', default: '1209600', doc: 'Browser session lifetime (2 weeks, as the original).' },
  DJAM_PASSWORD_VALIDATION: { kind: 'string', default: 'strict', choices: ['strict', 'relaxed'], doc: 'New passwords (sign-up, reset, change, admin, CLI): strict applies Django\'s four validators in every profile (not too similar to the user\'s name or e-mail, at least 8 characters, not among ~49,000 common leaked passwords, not all digits); relaxed checks the length only.' },
  DJAM_LOGIN_RATE_LIMIT: { kind: 'int', default: '10', doc: 'Failed password checks allowed per account from one client IP in 15 minutes, counted together at every door that takes a password (login and password-change forms, HTTP Basic, credentials introspection); a correct password clears the count.' },
  DJAM_LOGIN_ACCOUNT_RATE_LIMIT: { kind: 'int', default: '100', doc: 'Failed password checks allowed per account from all client IPs together in 15 minutes. Far above DJAM_LOGIN_RATE_LIMIT, so that one attacker cannot lock the owner out everywhere.' },
  DJAM_LOGIN_DELAY_AFTER: { kind: 'int', default: '5', doc: 'The short delay before the lock-out: more password attempts than this for one account from one client IP within a minute wait for the rest of that minute (429 with Retry-After). 0: no delay, only the lock-out.' },
  DJAM_LOGIN_LOCKOUT_SECONDS: { kind: 'int', default: '900', doc: 'Lock-out: once DJAM_LOGIN_RATE_LIMIT (from one IP) or DJAM_LOGIN_ACCOUNT_RATE_LIMIT (from all) failures are reached, the account is refused there for this long, even with the right password (429 with Retry-After). An administrator can lift it (console user page, POST /api/admin/users/{id}/unlock).' },
  DJAM_REDIS_URL: { kind: 'string', secret: true, doc: 'Redis URL (redis://[:password@]host:6379/0) of the store the brute-force and mail-form limits count in. Unset: the database (PostgreSQL, or the embedded one), which every node already shares.' },
  DJAM_ACCOUNT_MAIL_RATE_LIMIT: { kind: 'int', default: '3', doc: 'Registration, activation-resend and password-reset requests allowed per e-mail address in 15 minutes.' },
  DJAM_ACCOUNT_IP_RATE_LIMIT: { kind: 'int', default: '20', doc: 'Registration, activation-resend and password-reset requests allowed per client IP in 15 minutes.' },
  RECAPTCHA_PUBLIC_KEY: { kind: 'string', doc: 'reCAPTCHA v3 site key. With RECAPTCHA_PRIVATE_KEY it turns the captcha on for registration and password reset; unset: no captcha.' },
  RECAPTCHA_PRIVATE_KEY: { kind: 'string', secret: true, doc: 'reCAPTCHA v3 secret key, used to verify tokens server-side.' },
  RECAPTCHA_REQUIRED_SCORE: { kind: 'float', default: '0.5', doc: 'Lowest reCAPTCHA v3 score (0 to 1) accepted.' },
  DJAM_RECAPTCHA_VERIFY_URL: { kind: 'string', default: 'https://www.google.com/recaptcha/api/siteverify', doc: 'reCAPTCHA verification endpoint (e.g. the www.recaptcha.net mirror).' },
  DJAM_APIKEY_EXPIRE_DAYS: { kind: 'float', default: '30', doc: 'Lifetime in days of a new API key and of "renew" without a date (APIKEY_EXPIRE_DAYS is accepted too).' },
  DJAM_SHORT_APIKEY_EXPIRE_DAYS: { kind: 'float', default: '3', doc: 'Days the old key keeps working after "rotate" with short_expiry.' },
  DJAM_MAX_APIKEY_EXPIRE_DAYS: { kind: 'float', default: '180', doc: 'Latest expiry, in days from now, a client may request for a key.' },
  DJAM_SHOW_API_KEYS_IN_DASHBOARD: { kind: 'bool', default: 'false', doc: "Show the user's active resource keys on the account page." },
  DJAM_SHOW_UPSTREAM_SERVICES_IN_DASHBOARD: { kind: 'bool', default: 'false', doc: 'Show the proxied services the user may use on the account page.' },
  DJAM_REQUIRE_SECURE_HTTP_FOR_GEOSERVER_INTROSPECTION: { kind: 'bool', doc: 'GeoServer introspection endpoints answer 400 over plain HTTP. Default: on in prod, off otherwise.' },
  DJAM_SECURE_PROXY_HEADER: { kind: 'string', doc: 'Header a trusted TLS-terminating proxy sets to "https" (e.g. X-Forwarded-Proto); such requests count as secure. Believed only from DJAM_TRUST_PROXY peers.' },
  DJAM_KEY_CHECK_RATE_LIMIT: { kind: 'int', default: '30', doc: 'Failed password or key checks allowed per client IP per minute, whatever the account or key, counted together at every door (forms, HTTP Basic, the GeoServer endpoints, the key API, the proxy\'s authkey). GeoServer calling for all its users is one IP: keep it well above their typing mistakes.' },
  DJAM_PROXY_TIMEOUT_MS: { kind: 'int', default: '30000', doc: 'How long the proxy waits for an upstream to answer (504 after), and for each body chunk.' },
  DJAM_PROXY_SANDBOX_EXEMPT: { kind: 'list', doc: 'Comma-separated slugs of proxied services whose answers are not sandboxed. Unset: every proxied answer gets "Content-Security-Policy: sandbox" without allow-same-origin, so that its pages cannot act on DJAM\'s origin (the admin console, the session). Exempt only services you trust as much as DJAM itself (see docs/proxy.md).' },
  DJAM_METRICS_TOKEN: { kind: 'string', secret: true, doc: 'Bearer token that opens /metrics to remote scrapers; unset: loopback callers only.' },
  DJAM_SHUTDOWN_TIMEOUT_MS: { kind: 'int', default: '20000', doc: 'On SIGTERM, how long in-flight requests and running jobs may take before the process exits anyway.' },
  DJAM_MFA_REQUIRED: { kind: 'string', default: 'none', choices: ['none', 'staff', 'all'], doc: 'Who must sign in with a second factor (#22): none, staff (staff and superusers) or all; a team can require it of its members too. Such a user without a factor is taken to enrolment right after the password, and Basic-auth doors refuse them (API keys are the way for scripts).' },
  DJAM_LOG_LEVEL: { kind: 'string', default: 'info', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], doc: 'Log level.' },
  DJAM_LOG_FORMAT: { kind: 'string', default: 'auto', choices: ['auto', 'json', 'pretty'], doc: 'Log output: json (one JSON object a line) or pretty (readable, coloured). auto: pretty in the local profile when stdout is a terminal, json otherwise.' },
} as const satisfies Record<string, Setting>;

type Settings = typeof settings;
type ValueOf<S extends Setting> = S['kind'] extends 'int' | 'float' ? number : S['kind'] extends 'bool' ? boolean
  : S['kind'] extends 'list' ? string[] : string;
type Raw = { [K in keyof Settings]: Settings[K] extends { default: string } ? ValueOf<Settings[K]> : ValueOf<Settings[K]> | undefined };

export interface Config extends Omit<Raw, 'DJAM_PROJECT_ENVIRONMENT' | 'DJAM_REQUIRE_SECURE_HTTP_FOR_GEOSERVER_INTROSPECTION' | 'DJAM_WORKERS' | 'DJAM_HOST' | 'SITEURL'> {
  DJAM_PROJECT_ENVIRONMENT: Profile;
  /** Unset: http://localhost:DJAM_PORT/ in the local profile. */
  SITEURL: string;
  /** Unset: loopback in the local profile, every interface in the others. */
  DJAM_HOST: string;
  /** `auto` resolved to the number of cores. */
  DJAM_WORKERS: number;
  /** DJAM_OIDC_RESOURCE_SERVERS parsed. */
  resourceServers: ResourceServers;
  DJAM_REQUIRE_SECURE_HTTP_FOR_GEOSERVER_INTROSPECTION: boolean;
  /** SITEURL without its trailing slash: the origin links are built from. */
  baseUrl: string;
  issuer: string;
  loginUrl: string;
}

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}

function coerce(name: string, s: Setting, raw: string, problems: string[]): unknown {
  switch (s.kind) {
    case 'int': case 'float': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || (s.kind === 'int' && !Number.isInteger(n))) {
        problems.push(`${name} must be ${s.kind === 'int' ? 'an integer' : 'a number'}, got "${raw}"`);
      }
      return n;
    }
    case 'bool': {
      const v = raw.trim().toLowerCase();
      if (!['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(v)) problems.push(`${name} must be true or false, got "${raw}"`);
      return ['true', '1', 'yes', 'on'].includes(v);
    }
    case 'list': return raw.split(',').map((x) => x.trim()).filter(Boolean);
    default:
      if (s.choices && !s.choices.includes(raw)) problems.push(`${name} must be one of ${s.choices.join(', ')}, got "${raw}"`);
      return raw;
  }
}

/** Reads KEY=VALUE lines of an optional .env file; the real environment wins over it. */
function readDotEnv(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

function checkProfile(c: Config, problems: string[]): void {
  if (c.DJAM_PROJECT_ENVIRONMENT !== 'prod') return;
  if (!c.DJAM_SECRET_KEY || isSecretKeyWeak(c.DJAM_SECRET_KEY)) {
    problems.push('DJAM_SECRET_KEY must be set to a random value of at least 32 characters in prod');
  }
  if (!c.SITEURL.startsWith('https://')) problems.push('SITEURL must be an https URL in prod');
}

function checkProxyTrust(c: Config, problems: string[]): void {
  try {
    if (parseProxyTrust(c.DJAM_TRUST_PROXY) === false && c.DJAM_SECURE_PROXY_HEADER) {
      problems.push('DJAM_SECURE_PROXY_HEADER is believed only from trusted proxies: set DJAM_TRUST_PROXY to their addresses too');
    }
  } catch (err) {
    problems.push(`DJAM_TRUST_PROXY: ${(err as Error).message}`);
  }
}

/** A whole number of processes, or auto; several only on PostgreSQL (PGlite is one process's file). */
function resolveWorkers(out: Record<string, unknown>, problems: string[]): void {
  const raw = String(out.DJAM_WORKERS).trim().toLowerCase();
  const n = raw === 'auto' ? availableParallelism() : Number(raw);
  if (!Number.isInteger(n) || n < 1) problems.push(`DJAM_WORKERS must be a whole number of at least 1, or auto, got "${String(out.DJAM_WORKERS)}"`);
  else if (n > 1 && !out.DJAM_DB_HOST) problems.push(`DJAM_WORKERS=${n} needs PostgreSQL (set DJAM_DB_HOST): the embedded database can be opened by one process only`);
  out.DJAM_WORKERS = n;
}

function resolveResourceServers(out: Record<string, unknown>, problems: string[]): void {
  try {
    out.resourceServers = parseResourceServers(out.DJAM_OIDC_RESOURCE_SERVERS as string | undefined);
  } catch (err) {
    problems.push(`DJAM_OIDC_RESOURCE_SERVERS ${(err as Error).message}`);
  }
}

function checkCaptcha(c: Config, problems: string[]): void {
  if (Boolean(c.RECAPTCHA_PUBLIC_KEY) !== Boolean(c.RECAPTCHA_PRIVATE_KEY)) {
    problems.push('RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY must be set together');
  }
  if (!(c.RECAPTCHA_REQUIRED_SCORE >= 0 && c.RECAPTCHA_REQUIRED_SCORE <= 1)) problems.push('RECAPTCHA_REQUIRED_SCORE must be between 0 and 1');
}

export function loadConfig(env: Record<string, string | undefined> = process.env, dotEnvPath = '.env'): Config {
  const merged = { ...readDotEnv(dotEnvPath), ...env };
  // The original's README spells it without the prefix; the prefixed name wins.
  merged.DJAM_APIKEY_EXPIRE_DAYS ??= merged.APIKEY_EXPIRE_DAYS;
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(settings) as [string, Setting][]) {
    const raw = merged[name] ?? s.default;
    out[name] = raw === undefined ? undefined : coerce(name, s, raw, problems);
  }
  // #18: a local server's issuer and discovery follow the port it listens on, or strict clients
  // reject them (issuer mismatch).
  const port = out.DJAM_PROJECT_ENVIRONMENT === 'local' ? out.DJAM_PORT : 8000;
  let siteUrl = out.SITEURL ? String(out.SITEURL) : `http://localhost:${String(port)}/`;
  if (!/^https?:\/\/[^/]+/.test(siteUrl)) problems.push(`SITEURL must be an http(s) URL, got "${siteUrl}"`);
  if (!siteUrl.endsWith('/')) siteUrl += '/';
  out.SITEURL = siteUrl;
  const baseUrl = siteUrl.slice(0, -1);
  out.DJAM_REQUIRE_SECURE_HTTP_FOR_GEOSERVER_INTROSPECTION ??= out.DJAM_PROJECT_ENVIRONMENT === 'prod';
  // A laptop's first start must not offer an admin-less server to the whole network.
  out.DJAM_HOST ??= out.DJAM_PROJECT_ENVIRONMENT === 'local' ? '127.0.0.1' : '0.0.0.0';
  resolveWorkers(out, problems);
  resolveResourceServers(out, problems);
  const config = { ...out, baseUrl, issuer: `${baseUrl}/openid`, loginUrl: `${baseUrl}/accounts/login/` } as Config;
  checkProfile(config, problems);
  checkCaptcha(config, problems);
  checkProxyTrust(config, problems);
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** Every setting with its effective value (secrets masked) and its doc: the console's configuration page. */
export function listSettings(config: Config): Array<{ name: string; value: unknown; secret: boolean; description: string }> {
  const values = describeConfig(config);
  return (Object.entries(settings) as [keyof Settings, Setting][]).map(([name, s]) => ({
    name, value: values[name] ?? null, secret: Boolean(s.secret), description: s.doc,
  }));
}

/** The effective config with secrets masked, for `djam config` and start-up logs. */
export function describeConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(settings) as [keyof Settings, Setting][]) {
    const v = config[name];
    out[name] = s.secret && v !== undefined ? '********' : v;
  }
  return out;
}

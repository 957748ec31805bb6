// `djam check` (docs/compatibility.md §1.4): one Django-style error per variable the deployment needs but the
// environment lacks (an empty value passes), then a non-zero exit. Which variables are needed
// follows the profile and the storage, mail and queue the environment chooses: a local install
// on the embedded database, the mail outbox and the in-process job runner needs none of them.
import { ConfigError, loadConfig, type Profile } from '../../config.ts';
import { defineCommand } from '../command.ts';

type Env = Record<string, string | undefined>;
interface Part { name: string; choice: (env: Env) => string; needs: (env: Env, profile: Profile) => string[] }

const isSet = (env: Env, name: string) => env[name] !== undefined;

// Each part of the deployment: what the environment chose, and the variables that choice needs.
const parts: Part[] = [
  {
    name: 'storage',
    choice: (env) => (isSet(env, 'DJAM_DB_HOST') ? `PostgreSQL at ${env.DJAM_DB_HOST}` : `embedded PGlite in ${env.DJAM_DATA_DIR ?? './data'}`),
    needs: (env) => (isSet(env, 'DJAM_DB_HOST') ? ['DJAM_DB_NAME', 'DJAM_DB_USER', 'DJAM_DB_PASSWORD', 'DJAM_DB_PORT'] : []),
  },
  {
    name: 'mail',
    choice: (env) => (isSet(env, 'DJAM_EMAIL_HOST') ? `SMTP at ${env.DJAM_EMAIL_HOST}` : 'written to the outbox in DJAM_DATA_DIR'),
    // In prod the outbox would keep every activation and reset mail from the people it is for.
    needs: (env, profile) => (isSet(env, 'DJAM_EMAIL_HOST') ? ['DJAM_EMAIL_PORT', 'DJAM_EMAIL_HOST_USER', 'DJAM_EMAIL_HOST_PASSWORD', 'DJAM_EMAIL_SENDER']
      : profile === 'prod' ? ['DJAM_EMAIL_HOST'] : []),
  },
  {
    name: 'queue',
    choice: (env) => (isSet(env, 'DJAM_RABBITMQ_HOST') ? `RabbitMQ at ${env.DJAM_RABBITMQ_HOST}` : 'jobs run from the database'),
    needs: (env) => (isSet(env, 'DJAM_RABBITMQ_HOST') ? ['DJAM_RABBITMQ_PORT'] : []),
  },
  // Outside prod a missing key is generated once into DJAM_DATA_DIR.
  { name: 'secret key', choice: (env) => (isSet(env, 'DJAM_SECRET_KEY') ? 'DJAM_SECRET_KEY' : 'generated in DJAM_DATA_DIR'), needs: (_env, profile) => (profile === 'prod' ? ['DJAM_SECRET_KEY'] : []) },
];

function missingError(name: string): string {
  return `?: (djam.config.E001) Environment configuration error: "${name}" not found in environment variables\n\tHINT: Please add "${name}" to your environment variables\n`;
}

/** The configuration's own problems (a bad value, prod without https), as errors of their own. */
function configProblems(env: Env): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((problem) => `?: (djam.config.E002) ${problem}\n`);
  }
}

function check(env: Env): number {
  const profile = (env.DJAM_PROJECT_ENVIRONMENT ?? 'local') as Profile;
  process.stdout.write(`Checking the ${profile} profile (DJAM_PROJECT_ENVIRONMENT): ${parts.map((p) => `${p.name} ${p.choice(env)}`).join('; ')}.\n`);
  const missing = [...new Set(parts.flatMap((p) => p.needs(env, profile)))].filter((name) => !isSet(env, name));
  const errors = [...configProblems(env), ...missing.map(missingError)];
  if (!errors.length) {
    process.stdout.write('System check identified no issues (0 silenced).\n');
    return 0;
  }
  // One "ERRORS:" heading over the whole list, as Django's check prints it.
  process.stderr.write(`ERRORS:\n${errors.join('')}\nSystem check identified ${errors.length} issue${errors.length === 1 ? '' : 's'}.\n`);
  return 1;
}

export const checkCommand = defineCommand({
  name: 'check', summary: 'check the configuration and the variables the chosen profile, storage, mail and queue need', usage: '', flags: {},
  details: 'PostgreSQL (DJAM_DB_HOST) needs DJAM_DB_NAME, DJAM_DB_USER, DJAM_DB_PASSWORD and DJAM_DB_PORT; SMTP (DJAM_EMAIL_HOST) needs\n'
    + 'DJAM_EMAIL_PORT, DJAM_EMAIL_HOST_USER, DJAM_EMAIL_HOST_PASSWORD and DJAM_EMAIL_SENDER; RabbitMQ (DJAM_RABBITMQ_HOST) needs\n'
    + 'DJAM_RABBITMQ_PORT. The prod profile needs DJAM_SECRET_KEY and DJAM_EMAIL_HOST too. An empty value counts as set.',
  env: { DJAM_PROJECT_ENVIRONMENT: 'the profile checked: local (default), dev, prod or test' },
  run: async () => check(process.env),
});

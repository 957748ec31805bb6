// `djam <command>`: the operator's tools. Each command lives in commands/<verb>-<noun>.ts.
import { ConfigError } from '../config.ts';
import { AppError } from '../errors.ts';
import { DataDirInUseError } from '../db/data-dir-lock.ts';
import { checkConfig } from './commands/check-config.ts';
import { createApiKeyCommand } from './commands/create-api-key.ts';
import { createClientCommand } from './commands/create-client.ts';
import { createResourceCommand } from './commands/create-resource.ts';
import { createRoleCommand } from './commands/create-role.ts';
import { createTeamCommand } from './commands/create-team.ts';
import { createRsaKey } from './commands/create-rsa-key.ts';
import { createSuperuser } from './commands/create-superuser.ts';
import { importDjamCommand } from './commands/import-djam.ts';
import { migrateDb } from './commands/migrate-db.ts';
import { printConfig } from './commands/print-config.ts';
import { runWorker } from './commands/run-worker.ts';
import { uploadUsers } from './commands/upload-users.ts';
import { writeOpenApi } from './commands/write-openapi.ts';

const commands: Record<string, { run(args: string[]): Promise<number>; help: string }> = {
  migrate: { run: migrateDb, help: 'apply the database migrations' },
  createsuperuser: { run: createSuperuser, help: 'create an administrator (--noinput reads DJAM_SUPERUSER_EMAIL/PASSWORD)' },
  createclient: { run: createClientCommand, help: 'register an OAuth client and print its id and secret as JSON' },
  createteam: { run: createTeamCommand, help: 'create a team (or reuse one by name) and add members by e-mail' },
  createrole: { run: createRoleCommand, help: 'create a role and grant it to teams and users' },
  createresource: { run: createResourceCommand, help: 'create a resource (--upstream --url U for a proxied service) with access rules for roles' },
  createapikey: { run: createApiKeyCommand, help: 'issue a resource or management API key for a user and print it once' },
  creatersakey: { run: createRsaKey, help: 'create a new RSA signing key (it signs from the next start; older keys stay published)' },
  check: { run: checkConfig, help: 'check that the deployment environment variables are set' },
  config: { run: printConfig, help: 'print the effective configuration, secrets masked' },
  worker: { run: runWorker, help: 'run background jobs (consumes RabbitMQ when DJAM_RABBITMQ_HOST is set)' },
  'import-djam': { run: importDjamCommand, help: 'import an original DJAM database (--from postgres://user:pass@host:5432/djam [--dry-run])' },
  'upload-users': { run: uploadUsers, help: 'import users with Django password hashes from a JSON array (--data users.json)' },
  openapi: { run: writeOpenApi, help: 'write the OpenAPI document of the REST API (--file schema.yml, --format yaml|json; default stdout, yaml)' },
};

function usage(): string {
  return `Usage: djam <command> [options]\n\nCommands:\n${Object.entries(commands).map(([n, c]) => `  ${n.padEnd(16)} ${c.help}`).join('\n')}\n`;
}

async function run(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  return command.run(args);
}

/** A bad option or argument: the caller's mistake, reported as a usage error (exit 2). */
function isUsageError(err: unknown): err is Error {
  return err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS_');
}

run(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  if (err instanceof ConfigError || err instanceof AppError || err instanceof DataDirInUseError) process.stderr.write(`${err.message}\n${err instanceof AppError && err.details ? `${JSON.stringify(err.details)}\n` : ''}`);
  else if (isUsageError(err)) process.stderr.write(`${err.message}\n\n${usage()}`);
  else process.stderr.write(`djam: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(isUsageError(err) ? 2 : 1);
});

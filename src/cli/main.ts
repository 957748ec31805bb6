// `djam <command>`: the operator's tools. Each command lives in commands/<verb>-<noun>.ts.
import { ConfigError } from '../config.ts';
import { AppError } from '../errors.ts';
import { checkConfig } from './commands/check-config.ts';
import { createClientCommand } from './commands/create-client.ts';
import { createRsaKey } from './commands/create-rsa-key.ts';
import { createSuperuser } from './commands/create-superuser.ts';
import { migrateDb } from './commands/migrate-db.ts';
import { printConfig } from './commands/print-config.ts';

const commands: Record<string, { run(args: string[]): Promise<number>; help: string }> = {
  migrate: { run: migrateDb, help: 'apply the database migrations' },
  createsuperuser: { run: createSuperuser, help: 'create an administrator (--noinput reads DJAM_SUPERUSER_EMAIL/PASSWORD)' },
  createclient: { run: createClientCommand, help: 'register an OAuth client and print its id and secret as JSON' },
  creatersakey: { run: createRsaKey, help: 'create a new RSA signing key (it signs from the next start; older keys stay published)' },
  check: { run: checkConfig, help: 'check that the deployment environment variables are set' },
  config: { run: printConfig, help: 'print the effective configuration, secrets masked' },
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

run(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  if (err instanceof ConfigError || err instanceof AppError) process.stderr.write(`${err.message}\n${err instanceof AppError && err.details ? `${JSON.stringify(err.details)}\n` : ''}`);
  else if (err instanceof Error && 'code' in err && err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`djam: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

// `djam <command>`: the operator's tools. Each command lives in commands/<verb>-<noun>.ts and
// describes itself (command.ts): this file lists them, prints help and reports failures.
import { ConfigError } from '../config.ts';
import { AppError } from '../errors.ts';
import { DataDirInUseError } from '../db/data-dir-lock.ts';
import { commandHelp, parseFlags, UsageError, wantsHelp, type Command } from './command.ts';
import { checkCommand } from './commands/check-config.ts';
import { createApiKeyCommand } from './commands/create-api-key.ts';
import { createClientCommand } from './commands/create-client.ts';
import { createIdpCommand } from './commands/create-idp.ts';
import { ldapSyncCommand } from './commands/ldap-sync.ts';
import { createResourceCommand } from './commands/create-resource.ts';
import { createRoleCommand } from './commands/create-role.ts';
import { createTeamCommand } from './commands/create-team.ts';
import { createRsaKeyCommand } from './commands/create-rsa-key.ts';
import { createSuperuserCommand } from './commands/create-superuser.ts';
import { importDjamCommand } from './commands/import-djam.ts';
import { migrateCommand } from './commands/migrate-db.ts';
import { configCommand } from './commands/print-config.ts';
import { workerCommand } from './commands/run-worker.ts';
import { uploadUsersCommand } from './commands/upload-users.ts';
import { openApiCommand } from './commands/write-openapi.ts';

const commands: Command[] = [
  migrateCommand, createSuperuserCommand, createClientCommand, createTeamCommand, createRoleCommand, createResourceCommand,
  createApiKeyCommand, createRsaKeyCommand, checkCommand, configCommand, workerCommand, importDjamCommand, uploadUsersCommand,
  openApiCommand, createIdpCommand, ldapSyncCommand,
];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return `Usage: djam <command> [options]\n\nCommands:\n${commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}\n\n`
    + 'Run "djam <command> --help" for its options and environment variables.\n';
}

async function run(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === 'help' && args[0]) return run([args[0], '--help']);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? process.stdout : process.stderr).write(usage());
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  // Before anything else: help never migrates, starts a worker or touches the database.
  if (wantsHelp(args)) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(parseFlags(command, args));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`djam ${name}: ${err.message}. See "djam ${name} --help".\n`);
    return 2;
  }
}

/** The innermost cause's message: what went wrong, without the layers that passed it on. */
function rootMessage(err: unknown): string {
  let e = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message || e.name : String(e);
}

run(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  const prefix = `djam ${process.argv[2]}: `;
  if (err instanceof AppError) process.stderr.write(`${prefix}${err.message}${err.details ? ` ${JSON.stringify(err.details)}` : ''}\n`);
  else if (err instanceof ConfigError || err instanceof DataDirInUseError) process.stderr.write(`${err.message}\n`);
  // Unexpected (a database that is down, a file that cannot be written): one line, no stack.
  else process.stderr.write(`${prefix}${rootMessage(err)}\n`);
  process.exit(1);
});

// Creates an administrator: interactively, or with --noinput from DJAM_SUPERUSER_EMAIL and
// DJAM_SUPERUSER_PASSWORD (Django's convention) for scripts.
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../runtime.ts';
import { audited, cliActor } from '../../access/index.ts';
import { createUser, userRecord } from '../../users/index.ts';
import { readSecret } from '../prompt-secret.ts';

interface Answers { email: string; password: string; firstName: string; lastName: string }

async function ask(): Promise<Answers> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const email = (await rl.question('Email address: ')).trim();
  const firstName = (await rl.question('First name: ')).trim();
  const lastName = (await rl.question('Last name: ')).trim();
  rl.close();
  const password = await readSecret('Password: ');
  if (password !== await readSecret('Password (again): ')) throw new Error("Error: Your passwords didn't match.");
  return { email, password, firstName, lastName };
}

function fromEnv(values: { email?: string; 'first-name'?: string; 'last-name'?: string }): Answers {
  return {
    email: values.email ?? process.env.DJAM_SUPERUSER_EMAIL ?? '',
    password: process.env.DJAM_SUPERUSER_PASSWORD ?? '',
    firstName: values['first-name'] ?? process.env.DJAM_SUPERUSER_FIRST_NAME ?? '',
    lastName: values['last-name'] ?? process.env.DJAM_SUPERUSER_LAST_NAME ?? '',
  };
}

export async function createSuperuser(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: {
    noinput: { type: 'boolean' }, 'no-input': { type: 'boolean' }, email: { type: 'string' },
    'first-name': { type: 'string' }, 'last-name': { type: 'string' },
  } });
  const answers = values.noinput || values['no-input'] ? fromEnv(values) : await ask();
  if (!/^[^@\s]+@[^@\s]+$/.test(answers.email)) {
    process.stderr.write('Error: a valid e-mail address is required (DJAM_SUPERUSER_EMAIL with --noinput).\n');
    return 1;
  }
  if (answers.password.length < 8) {
    process.stderr.write('Error: the password must have at least 8 characters (DJAM_SUPERUSER_PASSWORD with --noinput).\n');
    return 1;
  }
  const { database } = await openRuntime(loadConfig());
  try {
    // Whoever runs the CLI owns the deployment: no policy to ask, but the log says who made whom.
    await audited(database.db, cliActor, async (tx) => {
      const user = await createUser({ db: tx }, { ...answers, isStaff: true, isSuperuser: true, emailConfirmed: true });
      return { action: 'user.create', entityType: 'user', entityId: user.id, after: userRecord(user), result: undefined };
    });
  } finally {
    await database.close();
  }
  process.stdout.write('Superuser created successfully.\n');
  return 0;
}

// Creates an administrator: interactively, or with --noinput from DJAM_SUPERUSER_EMAIL,
// DJAM_SUPERUSER_PASSWORD, DJAM_SUPERUSER_FIRST_NAME and DJAM_SUPERUSER_LAST_NAME (Django's
// convention) for scripts. E-mail and both names are required, as Django's REQUIRED_FIELDS are:
// the profile page would otherwise stop the new administrator at the first sign-in.
import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../runtime.ts';
import { closeConfirmed } from '../with-runtime.ts';
import { audited, cliActor } from '../../access/index.ts';
import { createUser, passwordProblems, userRecord } from '../../users/index.ts';
import { defineCommand } from '../command.ts';
import { openPrompter, type Prompter } from '../prompt-secret.ts';

interface Answers { email: string; password: string; firstName: string; lastName: string }
type Flags = { noinput?: boolean; 'no-input'?: boolean; email?: string; 'first-name'?: string; 'last-name'?: string };

const isEmail = (value: string) => /^[^@\s]+@[^@\s]+$/.test(value);

/** Asks until the answer passes `problem` (which returns why not, or undefined). */
async function askUntil(prompter: Prompter, question: string, problem: (answer: string) => string | undefined): Promise<string> {
  for (;;) {
    const answer = (await prompter.ask(question)).trim();
    const why = problem(answer);
    if (!why) return answer;
    process.stderr.write(`Error: ${why}\n`);
  }
}

/** The policy is checked after the first entry, so a refused password is not typed twice. */
async function askPassword(prompter: Prompter, validation: string, owner: Omit<Answers, 'password'>): Promise<string> {
  for (;;) {
    const password = await prompter.askSecret('Password: ');
    const problems = passwordProblems(validation, password, owner);
    if (problems.length) {
      process.stderr.write(problems.map((p) => `Error: ${p}\n`).join(''));
      continue;
    }
    if (password === await prompter.askSecret('Password (again): ')) return password;
    process.stderr.write("Error: Your passwords didn't match.\n");
  }
}

async function ask(validation: string): Promise<Answers> {
  const prompter = openPrompter();
  try {
    const email = await askUntil(prompter, 'Email address: ', (a) => (isEmail(a) ? undefined : 'Enter a valid email address.'));
    const required = (a: string) => (a ? undefined : 'This field cannot be blank.');
    const firstName = await askUntil(prompter, 'First name: ', required);
    const lastName = await askUntil(prompter, 'Last name: ', required);
    return { email, firstName, lastName, password: await askPassword(prompter, validation, { email, firstName, lastName }) };
  } finally {
    prompter.close();
  }
}

/** --noinput: every field from its flag or variable, or one error naming all that are missing. */
function fromEnv(values: Flags, validation: string): Answers | string {
  const answers = {
    email: (values.email ?? process.env.DJAM_SUPERUSER_EMAIL ?? '').trim(),
    password: process.env.DJAM_SUPERUSER_PASSWORD ?? '',
    firstName: (values['first-name'] ?? process.env.DJAM_SUPERUSER_FIRST_NAME ?? '').trim(),
    lastName: (values['last-name'] ?? process.env.DJAM_SUPERUSER_LAST_NAME ?? '').trim(),
  };
  if (!isEmail(answers.email)) return 'a valid e-mail address is required (DJAM_SUPERUSER_EMAIL or --email with --noinput).';
  const missing = [
    ...(answers.firstName ? [] : ['DJAM_SUPERUSER_FIRST_NAME (or --first-name)']),
    ...(answers.lastName ? [] : ['DJAM_SUPERUSER_LAST_NAME (or --last-name)']),
  ];
  if (missing.length) return `first and last name are required with --noinput: set ${missing.join(' and ')}.`;
  const problems = passwordProblems(validation, answers.password, answers);
  if (problems.length) return `the password in DJAM_SUPERUSER_PASSWORD is refused: ${problems.join(' ')}`;
  return answers;
}

async function createSuperuser(values: Flags): Promise<number> {
  const validation = loadConfig().DJAM_PASSWORD_VALIDATION;
  const answers = values.noinput || values['no-input'] ? fromEnv(values, validation) : await ask(validation);
  if (typeof answers === 'string') {
    process.stderr.write(`Error: ${answers}\n`);
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
    await closeConfirmed(database); // the running nodes have applied the changes when the command returns
  }
  process.stdout.write('Superuser created successfully.\n');
  return 0;
}

export const createSuperuserCommand = defineCommand({
  name: 'createsuperuser', summary: 'create an administrator (asks, or with --noinput reads DJAM_SUPERUSER_*)',
  usage: '[--noinput] [--email EMAIL] [--first-name NAME] [--last-name NAME]',
  flags: {
    noinput: { type: 'boolean', doc: 'ask nothing: take the answers from the flags and the environment' },
    'no-input': { type: 'boolean', doc: 'the same as --noinput' },
    email: { type: 'string', value: 'EMAIL', doc: 'the e-mail address (with --noinput; default DJAM_SUPERUSER_EMAIL)' },
    'first-name': { type: 'string', value: 'NAME', doc: 'the first name (with --noinput; default DJAM_SUPERUSER_FIRST_NAME)' },
    'last-name': { type: 'string', value: 'NAME', doc: 'the last name (with --noinput; default DJAM_SUPERUSER_LAST_NAME)' },
  },
  env: {
    DJAM_SUPERUSER_EMAIL: 'the e-mail address, with --noinput',
    DJAM_SUPERUSER_PASSWORD: 'the password, with --noinput (checked against the password rules)',
    DJAM_SUPERUSER_FIRST_NAME: 'the first name, with --noinput (required)',
    DJAM_SUPERUSER_LAST_NAME: 'the last name, with --noinput (required)',
  },
  details: 'E-mail, first and last name and password are all required; asked interactively, a blank or refused answer is asked again.',
  run: createSuperuser,
});

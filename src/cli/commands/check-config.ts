// DJAM §1.4: one error per deployment variable missing from the environment (an empty value
// passes), then a non-zero exit. The configuration itself must also load.
import { loadConfig } from '../../config.ts';

export const REQUIRED_VARIABLES = [
  'DJAM_SECRET_KEY', 'DJAM_DB_NAME', 'DJAM_DB_USER', 'DJAM_DB_PASSWORD', 'DJAM_DB_HOST', 'DJAM_DB_PORT',
  'DJAM_RABBITMQ_HOST', 'DJAM_RABBITMQ_PORT', 'DJAM_EMAIL_HOST', 'DJAM_EMAIL_PORT', 'DJAM_EMAIL_HOST_USER',
  'DJAM_EMAIL_HOST_PASSWORD', 'DJAM_EMAIL_SENDER',
];

export async function checkConfig(): Promise<number> {
  loadConfig();
  const missing = REQUIRED_VARIABLES.filter((name) => process.env[name] === undefined);
  // One "ERRORS:" heading over the whole list, as Django's check prints it.
  if (missing.length) process.stderr.write('ERRORS:\n');
  for (const name of missing) {
    process.stderr.write(`?: (djam.config.E001) Environment configuration error: "${name}" not found in environment variables\n\tHINT: Please add "${name}" to your environment variables\n`);
  }
  if (missing.length) {
    process.stderr.write(`\nSystem check identified ${missing.length} issue${missing.length === 1 ? '' : 's'}.\n`);
    return 1;
  }
  process.stdout.write('System check identified no issues (0 silenced).\n');
  return 0;
}

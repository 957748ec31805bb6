// `node --import tsx bench/prepare.ts <upstream URL>`, run by bench/run.ts with the server's
// environment before the server starts (embedded PGlite admits one process at a time):
// migrates and seeds the database, then serves it from this process once to count the SQL
// statements of each operation, and prints `{ seed, statements }` as JSON.
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openRuntime } from '../src/runtime.ts';
import { ensureSigningKey } from '../src/signing-keys/index.ts';
import { freePort } from '../test/helpers/start-server.ts';
import { buildScenarios } from './scenarios.ts';
import { seed } from './seed.ts';
import { countStatements } from './statements.ts';

const [upstreamUrl] = process.argv.slice(2);
/** The URL of the server under load (run.ts's SITEURL), before this counting server takes its own. */
const siteUrl = process.env.SITEURL!;
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
// No job polling: the counts are of the requests alone.
const config = loadConfig({ ...process.env, SITEURL: `${base}/`, DJAM_LOG_LEVEL: 'silent', DJAM_JOB_POLL_SECONDS: '3600' });
const { database, keys } = await openRuntime(config);
try {
  const deps = { db: database.db, keys };
  const seeded = await seed({ ...deps, config }, upstreamUrl, siteUrl);
  await ensureSigningKey(deps);
  const { app } = await buildApp({ config, ...deps, listen: database.listen });
  await app.listen({ host: '127.0.0.1', port });
  try {
    const statements = await countStatements(database, base, seeded, await buildScenarios(base, seeded, upstreamUrl));
    process.stdout.write(`${JSON.stringify({ seed: seeded, statements })}\n`);
  } finally {
    await app.close();
  }
} finally {
  await database.close();
}

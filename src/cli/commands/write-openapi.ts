// `djam openapi [--file schema.yml] [--format yaml|json]` (DJAM §10.3, the original's
// `spectacular --file schema.yml`): the document GET /openid/api/schema/ serves, written to a
// file or stdout. It comes from the server's own composition root, so it cannot drift from what
// a running server serves; the app is built (never listening) on a throwaway in-memory database
// with default settings, since the document depends on neither: the command needs no database,
// broker or running server, and touches none.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { deriveKeys } from '../../crypto/keys.ts';
import { migrate } from '../../db/migrate.ts';
import { openApiDocument, type DocumentFormat } from '../../openapi/openapi.routes.ts';
import { ensureSigningKey, loadSigningJwks } from '../../signing-keys/index.ts';

const FORMATS: readonly DocumentFormat[] = ['yaml', 'json'];

async function renderDocument(format: DocumentFormat): Promise<string> {
  const secret = randomBytes(32).toString('hex');
  const config = loadConfig({ DJAM_SECRET_KEY: secret, DJAM_LOG_LEVEL: 'silent' }, '/nonexistent/.env');
  // Imported here, not at the top: every CLI command loads this module, few need PGlite.
  const { createPglite } = await import('../../db/pglite.ts');
  const database = await createPglite();
  try {
    await migrate(database);
    const deps = { db: database.db, keys: deriveKeys(secret) };
    await ensureSigningKey(deps); // the provider wants a signing key to start
    const { app } = await buildApp({ config, ...deps, jwks: await loadSigningJwks(deps) });
    try {
      await app.ready();
      return openApiDocument(app, format);
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

export async function writeOpenApi(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { file: { type: 'string' }, format: { type: 'string', default: 'yaml' } } });
  const format = FORMATS.find((f) => f === values.format);
  if (!format) {
    process.stderr.write(`Error: --format must be yaml or json, not "${values.format}".\n`);
    return 2;
  }
  const document = await renderDocument(format);
  if (values.file) writeFileSync(values.file, document);
  else process.stdout.write(document);
  return 0;
}

// `djam openapi [--file schema.yml] [--format yaml|json]` (docs/compatibility.md §10.3, the original's
// `spectacular --file schema.yml`): the document GET /openid/api/schema/ serves, written to a
// file or stdout. It comes from the server's own composition root, so it cannot drift from what
// a running server serves; the app is built (never listening) on a throwaway in-memory database
// with default settings, since the document depends on neither: the command needs no database,
// broker or running server, and touches none.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { deriveKeys } from '../../crypto/keys.ts';
import { migrate } from '../../db/migrate.ts';
import { openApiDocument, type DocumentFormat } from '../../openapi/index.ts';
import { defineCommand } from '../command.ts';
import { ensureSigningKey } from '../../signing-keys/index.ts';

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
    const { app } = await buildApp({ config, ...deps });
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

export const openApiCommand = defineCommand({
  name: 'openapi', summary: 'write the OpenAPI document of the REST API', usage: '[--file schema.yml] [--format yaml|json]',
  flags: {
    file: { type: 'string', value: 'FILE', doc: 'write to this file (default: stdout)' },
    format: { type: 'string', value: 'yaml|json', choices: ['yaml', 'json'], doc: 'the document\'s format (default: yaml)' },
  },
  details: 'Needs no database, broker or running server, and touches none.',
  run: writeOpenApi,
});

async function writeOpenApi(values: { file?: string; format?: string }): Promise<number> {
  const format: DocumentFormat = values.format === 'json' ? 'json' : 'yaml';
  const document = await renderDocument(format);
  if (values.file) writeFileSync(values.file, document);
  else process.stdout.write(document);
  return 0;
}

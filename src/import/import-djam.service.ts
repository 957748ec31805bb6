// `djam import-djam`: brings an original DJAM's data into this server in ONE transaction, so a
// failure half-way leaves this database as it was, and a dry run is the same import rolled back.
// Rows are matched by natural keys (e-mail, team/role name, slug, client_id, key value, kid), so
// running it again changes nothing, and a later run adds only what appeared in the original.
import { isNotNull, TransactionRollbackError } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { oauthClients, signingKeys } from '../db/schema.ts';
import { unseal, type SecretKeys } from '../crypto/keys.ts';
import { ImportError } from './import-error.ts';
import { IdAllocator, type ImportContext, type Progress } from './import-context.ts';
import { emptyReport, type ImportReport } from './import-report.ts';
import { importApiKeys } from './import-api-keys.ts';
import { importClients, importLoginPreventions } from './import-clients.ts';
import { importAccessRules, importResources } from './import-resources.ts';
import { importRoleGrants, importRoles } from './import-roles.ts';
import { importSigningKeys } from './import-signing-keys.ts';
import { importMemberships, importTeams } from './import-teams.ts';
import { importUsers } from './import-users.ts';
import type { SourceSnapshot } from './source.types.ts';

/** In dependency order: each step may use the id maps the earlier ones filled. */
const importSteps: Array<(ctx: ImportContext) => Promise<void>> = [
  importUsers, importTeams, importMemberships, importRoles, importRoleGrants, importResources, importAccessRules,
  importClients, importLoginPreventions, importApiKeys, importSigningKeys,
];

/**
 * Values imported here are hashed and sealed with DJAM_SECRET_KEY; under another key than the
 * server's, no key, secret or signing key would work. A value the server sealed tells.
 */
async function assertServerSecretKey(ctx: ImportContext): Promise<void> {
  const [key] = await ctx.db.select({ sealed: signingKeys.privateJwkSealed }).from(signingKeys).limit(1);
  const [client] = key ? [] : await ctx.db.select({ sealed: oauthClients.clientSecretSealed }).from(oauthClients)
    .where(isNotNull(oauthClients.clientSecretSealed)).limit(1);
  const sealed = key?.sealed ?? client?.sealed;
  try {
    if (sealed) unseal(ctx.keys, sealed);
  } catch {
    throw new ImportError("This server's stored secrets do not open with this DJAM_SECRET_KEY: run the import with the server's DJAM_SECRET_KEY.");
  }
}

export interface ImportOptions { dryRun: boolean; progress?: Progress; now?: Date }

export async function importDjam(deps: { db: Db; keys: SecretKeys }, source: SourceSnapshot, opts: ImportOptions): Promise<ImportReport> {
  const report = emptyReport(source.location, opts.dryRun);
  try {
    await deps.db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      const ctx: ImportContext = {
        db, keys: deps.keys, now: opts.now ?? new Date(), source, report, ids: new IdAllocator(db),
        map: { users: new Map(), teams: new Map(), roles: new Map(), resources: new Map(), clients: new Map() },
        progress: opts.progress ?? (() => undefined),
      };
      await ctx.ids.lockTables();
      await assertServerSecretKey(ctx);
      for (const step of importSteps) await step(ctx);
      if (opts.dryRun) tx.rollback();
      await ctx.ids.advanceSequences();
    });
  } catch (err) {
    if (!(opts.dryRun && err instanceof TransactionRollbackError)) throw err;
  }
  return report;
}

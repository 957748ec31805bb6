// `djam import-djam`: brings an original DJAM's data into this server in ONE transaction, so a
// failure half-way leaves this database as it was, and a dry run is the same import rolled back.
// Rows are matched by natural keys (e-mail, team/role name, slug, client_id, key value, kid), so
// running it again changes nothing, and a later run adds only what appeared in the original.
import { TransactionRollbackError } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
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
      for (const step of importSteps) await step(ctx);
      if (opts.dryRun) tx.rollback();
      await ctx.ids.advanceSequences();
    });
  } catch (err) {
    if (!(opts.dryRun && err instanceof TransactionRollbackError)) throw err;
  }
  return report;
}

// `djam ldap-sync` (#23): brings the directory's users up to date without waiting for their next
// sign-in: names and e-mail from their entry, teams from their groups, and users whose entry is
// gone deactivated (their sessions end). With `dryRun` it only says what it would change.
import { eq } from 'drizzle-orm';
import { Client, NoSuchObjectError } from 'ldapts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { identityLinks, users } from '../db/schema.ts';
import { cliActor } from '../access/index.ts';
import { changeUserAs, findUser, updateUserProfile } from '../users/index.ts';
import { listTeamNamesOfUser } from '../privileges/index.ts';
import { AppError } from '../errors.ts';
import { applyTeamMapping } from './links.service.ts';
import { directoryGroups, directoryClient, readDirectoryEntry } from './ldap.service.ts';

export interface SyncReport { checked: number; updated: number; deactivated: number; unchanged: number; lines: string[] }

type Deps = { config: Config; db: Db; keys: SecretKeys };

export async function syncDirectoryUsers(deps: Deps, opts: { dryRun: boolean; onProgress?(done: number, total: number): void }): Promise<SyncReport> {
  if (!deps.config.DJAM_LDAP_URL) throw new AppError('VALIDATION_FAILED', { message: 'DJAM_LDAP_URL is not set: there is no directory to sync with.' });
  const links = await deps.db.select().from(identityLinks).where(eq(identityLinks.kind, 'ldap'));
  const report: SyncReport = { checked: 0, updated: 0, deactivated: 0, unchanged: 0, lines: [] };
  const verb = (done: string, would: string) => (opts.dryRun ? would : done);
  let client: Client;
  try {
    client = await directoryClient(deps.config);
  } catch (cause) {
    throw new AppError('LDAP_UNAVAILABLE', { cause });
  }
  try {
    for (const link of links) {
      report.checked++;
      const user = await findUser(deps, link.userId);
      if (!user) continue;
      let entry: Awaited<ReturnType<typeof readDirectoryEntry>>;
      try {
        entry = await readDirectoryEntry(client, deps.config, link.subject);
      } catch (err) {
        if (!(err instanceof NoSuchObjectError)) throw new AppError('LDAP_UNAVAILABLE', { cause: err });
        entry = undefined;
      }
      if (!entry) {
        if (user.isActive) {
          report.deactivated++;
          report.lines.push(`${user.email}: ${verb('deactivated', 'would be deactivated')} (gone from the directory)`);
          if (!opts.dryRun) await changeUserAs(deps, cliActor, user.id, { isActive: false }, 'user.deactivate');
        } else {
          report.unchanged++;
        }
        opts.onProgress?.(report.checked, links.length);
        continue;
      }
      const changes: string[] = [];
      if (entry.firstName !== user.firstName || entry.lastName !== user.lastName) changes.push(`name → ${entry.firstName} ${entry.lastName}`);
      const emailChanged = entry.email.includes('@') && entry.email.toLowerCase() !== user.email.toLowerCase();
      if (emailChanged) changes.push(`e-mail → ${entry.email}`);
      const groups = await directoryGroups(client, deps.config, link.subject);
      const teams = await listTeamNamesOfUser(deps, user.id);
      const managed = new Set(link.teamIds.length ? teams : []);
      const added = groups.filter((g) => !teams.includes(g));
      if (added.length) changes.push(`teams + ${added.join(', ')}`);
      if (managed.size && teams.some((t) => !groups.includes(t))) changes.push('teams − those no longer granted');
      if (!opts.dryRun) {
        if (changes.some((c) => c.startsWith('name'))) await updateUserProfile(deps, user.id, { firstName: entry.firstName, lastName: entry.lastName, secondaryEmail: user.secondaryEmail });
        if (emailChanged) await deps.db.update(users).set({ email: entry.email, updatedAt: new Date() }).where(eq(users.id, user.id)).catch(() => changes.push('(e-mail taken by another account: kept)'));
        await applyTeamMapping(deps, link, user, groups);
      }
      if (changes.length) {
        report.updated++;
        report.lines.push(`${user.email}: ${verb('updated', 'would be updated')}: ${changes.join('; ')}`);
      } else {
        report.unchanged++;
      }
      opts.onProgress?.(report.checked, links.length);
    }
  } finally {
    await client.unbind().catch(() => undefined);
  }
  return report;
}

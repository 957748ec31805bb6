// What an import did, table by table, and how it is printed for the operator.

/** The tables of the summary, in the order the import visits them. */
const IMPORT_TABLES = [
  'users', 'teams', 'team members', 'roles', 'user roles', 'team roles', 'resources', 'access rules',
  'clients', 'login preventions', 'login prevention teams', 'api keys', 'signing keys',
] as const;
export type ImportTable = (typeof IMPORT_TABLES)[number];

/**
 * A source row that was not brought over verbatim. Resolved: imported with a documented change
 * (a new id, a dropped capability). Unresolved: not imported, or imported but not faithful;
 * the operator must act, and the command exits non-zero.
 */
export interface Conflict { table: ImportTable; row: string; reason: string; resolved: boolean }

interface TableTally { imported: number; unchanged: number }

export interface ImportReport {
  source: string;
  dryRun: boolean;
  tallies: Record<ImportTable, TableTally>;
  conflicts: Conflict[];
}

export function emptyReport(source: string, dryRun: boolean): ImportReport {
  const tallies = Object.fromEntries(IMPORT_TABLES.map((t) => [t, { imported: 0, unchanged: 0 }])) as Record<ImportTable, TableTally>;
  return { source, dryRun, tallies, conflicts: [] };
}

function importedCount(report: ImportReport): number {
  return Object.values(report.tallies).reduce((n, t) => n + t.imported, 0);
}

export function unresolvedCount(report: ImportReport): number {
  return report.conflicts.filter((c) => !c.resolved).length;
}

function conclusion(report: ImportReport): string {
  const imported = importedCount(report);
  const unresolved = unresolvedCount(report);
  const tail = unresolved ? ` ${unresolved} unresolved conflict(s): fix them and run the import again.` : '';
  if (report.dryRun) return `Dry run: ${imported} row(s) would be imported; nothing was written.${tail}`;
  if (imported === 0) return `Nothing changed: everything in the original is already here.${tail}`;
  return `Imported ${imported} row(s).${tail}`;
}

export function formatReport(report: ImportReport): string {
  const width = Math.max(...IMPORT_TABLES.map((t) => t.length)) + 2;
  const conflictsOf = (t: ImportTable) => report.conflicts.filter((c) => c.table === t).length;
  const lines = [
    `Import from ${report.source}${report.dryRun ? ' (dry run)' : ''}`,
    '',
    `${'table'.padEnd(width)}${'imported'.padStart(9)}${'unchanged'.padStart(11)}${'conflicts'.padStart(11)}`,
    ...IMPORT_TABLES.map((t) => `${t.padEnd(width)}${String(report.tallies[t].imported).padStart(9)}`
      + `${String(report.tallies[t].unchanged).padStart(11)}${String(conflictsOf(t)).padStart(11)}`),
  ];
  if (report.conflicts.length) {
    lines.push('', 'Conflicts:');
    for (const c of report.conflicts) lines.push(`  ${c.resolved ? 'resolved  ' : 'UNRESOLVED'} ${c.table} ${c.row}: ${c.reason}`);
  }
  lines.push('', conclusion(report));
  return `${lines.join('\n')}\n`;
}

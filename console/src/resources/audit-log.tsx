// The audit log: who changed what through the admin API, when, and the record before and after
// (never a secret), newest first.
import { Stack } from '@mui/material';
import { DataTable, List, SimpleList, TextInput, useRecordContext } from 'react-admin';
import type { AuditEntry } from '../api-types.ts';
import { JsonBlock, Responsive, searchFilter } from '../list-parts.tsx';

const filters = [
  searchFilter('Search actor or action'),
  <TextInput key="entity_type" source="entity_type" label="Record type" alwaysOn />,
  <TextInput key="entity_id" source="entity_id" label="Record ID" />,
  <TextInput key="action" source="action" label="Action" />,
];

function Change() {
  const entry = useRecordContext<AuditEntry>();
  if (!entry) return null;
  return (
    <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ p: 1 }}>
      {entry.before === null && entry.after === null ? <span>No record data.</span> : null}
      <JsonBlock label="Before" value={entry.before} />
      <JsonBlock label="After" value={entry.after} />
    </Stack>
  );
}

/** The fields an update changed, e.g. `name: Editors → Reviewers`; what a create or delete was about. */
function changeSummary(e: AuditEntry): string {
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  if (e.before && e.after) {
    const changed = Object.keys({ ...e.before, ...e.after }).filter((k) => show(e.before?.[k]) !== show(e.after?.[k]));
    return changed.map((k) => `${k}: ${show(e.before?.[k]) ?? '∅'} → ${show(e.after?.[k]) ?? '∅'}`).join('; ');
  }
  const only = e.after ?? e.before;
  if (!only) return '';
  return Object.entries(only).slice(0, 3).map(([k, v]) => `${k}: ${show(v)}`).join('; ');
}

const when = (e: AuditEntry) => new Date(e.created_at).toLocaleString();
const what = (e: AuditEntry) => `${e.entity_type}${e.entity_id ? ` #${e.entity_id}` : ''}`;

export const AuditLogList = () => (
  <List exporter={false} filters={filters} title="Audit log" sort={{ field: 'created_at', order: 'DESC' }}>
    <Responsive
      phone={<SimpleList<AuditEntry> primaryText={(e) => `${e.action} ${what(e)}`} secondaryText={(e) => e.actor_label} tertiaryText={when} linkType={false} />}
      wide={(
        <DataTable rowClick="expand" expand={<Change />} bulkActionButtons={false}>
          <DataTable.Col source="created_at" label="When" render={when} disableSort />
          <DataTable.Col source="actor_label" label="Who" disableSort />
          <DataTable.Col source="action" label="Action" disableSort />
          <DataTable.Col source="entity_type" label="Record" render={what} disableSort />
          <DataTable.Col source="after" label="Change" render={changeSummary} disableSort cellSx={() => ({ maxWidth: 420, overflowWrap: 'anywhere' })} />
        </DataTable>
      )}
    />
  </List>
);

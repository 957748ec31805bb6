// Background jobs (mail and the like): their status, and a dead job sent round again.
import { DataTable, DateField, List, SelectInput, SimpleList, TextInput, useRecordContext } from 'react-admin';
import ReplayIcon from '@mui/icons-material/Replay';
import { ActionButton } from '../action-button.tsx';
import type { Job } from '../api-types.ts';
import { api } from '../http.ts';
import { Responsive } from '../list-parts.tsx';

const statuses = ['pending', 'relayed', 'running', 'done', 'dead'].map((s) => ({ id: s, name: s }));

const filters = [
  <SelectInput key="status" source="status" label="Status" choices={statuses} alwaysOn emptyText="Any" />,
  <TextInput key="type" source="type" label="Type" alwaysOn />,
];

const summary = (j: Job) => Object.entries(j.summary).map(([k, v]) => `${k}: ${v}`).join(' · ');

function RetryButton() {
  const job = useRecordContext<Job>();
  if (job?.status !== 'dead') return null;
  return (
    <ActionButton
      label="Retry" icon={<ReplayIcon />}
      confirm={{ title: `Retry job #${job.id}?`, content: 'It runs again now, with its attempts reset.' }}
      run={async () => {
        await api('POST', `/jobs/${job.id}/retry`);
        return `Job #${job.id} queued again.`;
      }}
    />
  );
}

export const JobList = () => (
  <List exporter={false} filters={filters} sort={{ field: 'id', order: 'DESC' }} title="Jobs">
    <Responsive
      phone={<SimpleList<Job> primaryText={(j) => `#${j.id} ${j.type}`} secondaryText={summary} tertiaryText={(j) => j.status} linkType={false} rightIcon={() => <RetryButton />} />}
      wide={(
        <DataTable rowClick={false} bulkActionButtons={false}>
          <DataTable.Col source="id" label="#" />
          <DataTable.Col source="type" disableSort />
          <DataTable.Col source="summary" label="About" render={summary} disableSort />
          <DataTable.Col source="status" disableSort />
          <DataTable.Col source="attempts" render={(j: Job) => `${j.attempts} / ${j.max_attempts}`} disableSort />
          <DataTable.Col source="run_at" label="Runs at"><DateField source="run_at" showTime /></DataTable.Col>
          <DataTable.Col source="last_error" label="Last error" disableSort />
          <DataTable.Col label="Actions"><RetryButton /></DataTable.Col>
        </DataTable>
      )}
    />
  </List>
);

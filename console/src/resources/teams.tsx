// Teams: a name, the members, and the roles every member gets.
import { Create, DataTable, DateField, Edit, List, SimpleForm, SimpleList, TextInput, required, useRecordContext } from 'react-admin';
import { Divider } from '@mui/material';
import type { Team } from '../api-types.ts';
import { Responsive, bulkDelete, searchFilter } from '../list-parts.tsx';
import { RelationPanel, del, postJson } from '../relation-panel.tsx';
import { TeamMfaPanel } from './mfa-panels.tsx';

export const TeamList = () => (
  <List exporter={false} filters={[searchFilter('Search teams')]} sort={{ field: 'name', order: 'ASC' }}>
    <Responsive
      phone={<SimpleList<Team> primaryText={(t) => t.name} tertiaryText={(t) => new Date(t.created_at).toLocaleDateString()} linkType="edit" />}
      wide={(
        <DataTable rowClick="edit" bulkActionButtons={bulkDelete}>
          <DataTable.Col source="name" />
          <DataTable.Col source="created_at" label="Created" field={DateField} />
        </DataTable>
      )}
    />
  </List>
);

const NameForm = () => (
  <SimpleForm>
    <TextInput source="name" label="Name" validate={required()} />
  </SimpleForm>
);

export const TeamCreate = () => <Create title="New team"><NameForm /></Create>;

function TeamPanels() {
  const team = useRecordContext<Team>();
  if (!team) return null;
  return (
    <>
      <Divider />
      <RelationPanel
        title="Members" resource="users" testId="team-members" items={(team.members ?? []).map((m) => ({ id: m.id, label: m.email }))}
        optionLabel={(u) => String(u.email)} addLabel="Add member"
        add={(id) => postJson(`/teams/${team.id}/members`, { user_id: id })} remove={(id) => del(`/teams/${team.id}/members/${id}`)}
        removeQuestion={(m) => `Remove ${m.label} from ${team.name}?`}
      />
      <Divider />
      <RelationPanel
        title="Roles of every member" resource="roles" testId="team-roles" items={(team.roles ?? []).map((r) => ({ id: r.id, label: r.name }))}
        optionLabel={(r) => String(r.name)} addLabel="Grant role"
        add={(id) => postJson(`/teams/${team.id}/roles`, { role_id: id })} remove={(id) => del(`/teams/${team.id}/roles/${id}`)}
        removeQuestion={(r) => `Take ${r.label} from ${team.name}?`}
      />
    </>
  );
}

const TeamTitle = () => <span>Team {useRecordContext<Team>()?.name ?? ''}</span>;

export const TeamEdit = () => (
  <Edit title={<TeamTitle />} mutationMode="pessimistic">
    <NameForm />
    <TeamMfaPanel />
    <TeamPanels />
  </Edit>
);

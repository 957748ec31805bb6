// Roles: a name, and who holds it (users directly, teams for their members). Grants are made on
// the user's or the team's page.
import {
  ChipField, Create, DataTable, DateField, Edit, Labeled, List, ReferenceArrayField, SimpleForm, SimpleList, SingleFieldList, TextInput,
  required, useRecordContext,
} from 'react-admin';
import { Responsive, bulkDelete, searchFilter } from '../list-parts.tsx';

interface Role { id: number; name: string; created_at: string }

export const RoleList = () => (
  <List exporter={false} filters={[searchFilter('Search roles')]} sort={{ field: 'name', order: 'ASC' }}>
    <Responsive
      phone={<SimpleList<Role> primaryText={(r) => r.name} linkType="edit" />}
      wide={(
        <DataTable rowClick="edit" bulkActionButtons={bulkDelete}>
          <DataTable.Col source="name" />
          <DataTable.Col source="created_at" label="Created" field={DateField} />
        </DataTable>
      )}
    />
  </List>
);

export const RoleCreate = () => (
  <Create title="New role">
    <SimpleForm><TextInput source="name" label="Name" validate={required()} /></SimpleForm>
  </Create>
);

const RoleTitle = () => <span>Role {useRecordContext<Role>()?.name ?? ''}</span>;

export const RoleEdit = () => (
  <Edit title={<RoleTitle />} mutationMode="pessimistic">
    <SimpleForm>
      <TextInput source="name" label="Name" validate={required()} />
      <Labeled label="Held directly by">
        <ReferenceArrayField source="user_ids" reference="users" emptyText="nobody">
          <SingleFieldList linkType="edit"><ChipField source="email" /></SingleFieldList>
        </ReferenceArrayField>
      </Labeled>
      <Labeled label="Held by the members of">
        <ReferenceArrayField source="team_ids" reference="teams" emptyText="no team">
          <SingleFieldList linkType="edit"><ChipField source="name" /></SingleFieldList>
        </ReferenceArrayField>
      </Labeled>
    </SimpleForm>
  </Edit>
);

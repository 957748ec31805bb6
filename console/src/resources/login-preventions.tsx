// Login preventions: per client, the teams whose members (those in no other team) may not sign in to it.
import {
  AutocompleteArrayInput, AutocompleteInput, ChipField, Create, DataTable, DateField, Edit, Labeled, List, ReferenceArrayField,
  ReferenceArrayInput, ReferenceField, ReferenceInput, SimpleForm, SingleFieldList, required,
} from 'react-admin';
import { bulkDelete, searchFilter } from '../list-parts.tsx';

const TeamsField = () => (
  <ReferenceArrayField source="team_ids" reference="teams">
    <SingleFieldList linkType="edit"><ChipField source="name" size="small" /></SingleFieldList>
  </ReferenceArrayField>
);

const TeamsInput = () => (
  <ReferenceArrayInput source="team_ids" reference="teams">
    <AutocompleteArrayInput label="Teams" optionText="name" helperText="Members of only these teams may not sign in to the client." />
  </ReferenceArrayInput>
);

export const LoginPreventionList = () => (
  <List exporter={false} filters={[searchFilter('Search client ID')]} sort={{ field: 'client_id', order: 'ASC' }} title="Login preventions">
    <DataTable rowClick="edit" bulkActionButtons={bulkDelete}>
      <DataTable.Col source="client_id" label="Client"><ReferenceField source="client" reference="clients" /></DataTable.Col>
      <DataTable.Col source="team_ids" label="Teams" disableSort><TeamsField /></DataTable.Col>
      <DataTable.Col source="created_at" label="Created" field={DateField} disableSort />
    </DataTable>
  </List>
);

export const LoginPreventionCreate = () => (
  <Create title="New login prevention">
    <SimpleForm defaultValues={{ team_ids: [] }}>
      <ReferenceInput source="client" reference="clients">
        <AutocompleteInput label="Client" optionText="name" validate={required()} />
      </ReferenceInput>
      <TeamsInput />
    </SimpleForm>
  </Create>
);

export const LoginPreventionEdit = () => (
  <Edit mutationMode="pessimistic" title="Login prevention">
    <SimpleForm>
      <Labeled label="Client"><ReferenceField source="client" reference="clients" /></Labeled>
      <TeamsInput />
    </SimpleForm>
  </Edit>
);

// API keys: every user's keys, filtered as the original admin did (revoked, scope, expired),
// issued with the value shown once, revoked one by one or in bulk.
import {
  AutocompleteInput, BooleanField, BooleanInput, BulkDeleteButton, Create, DataTable, DateField, DateTimeInput, Edit, Labeled, List,
  ReferenceField, ReferenceInput, SelectInput, SimpleForm, SimpleList, TextField, required, useListContext, useUnselectAll,
} from 'react-admin';
import BlockIcon from '@mui/icons-material/Block';
import { ActionButton } from '../action-button.tsx';
import type { ApiKey } from '../api-types.ts';
import { api } from '../http.ts';
import { Responsive, searchFilter, yesNoFilter } from '../list-parts.tsx';

const scopes = [{ id: 'resource', name: 'Resource' }, { id: 'management', name: 'Management' }];

const filters = [
  searchFilter('Search whole key or owner e-mail'),
  yesNoFilter('revoked', 'Revoked', true),
  <SelectInput key="scope" source="scope" label="Scope" choices={scopes} alwaysOn emptyText="Any" />,
  yesNoFilter('expired', 'Expired', true),
];

function BulkRevokeButton() {
  const { selectedIds, resource } = useListContext();
  const unselectAll = useUnselectAll(resource);
  return (
    <ActionButton
      label="Revoke" icon={<BlockIcon />} color="warning"
      confirm={{ title: `Revoke ${selectedIds.length} key(s)?`, content: 'Requests carrying these keys are refused from now on.' }}
      run={async () => {
        await api('POST', '/api-keys/revoke', { ids: selectedIds });
        unselectAll();
        return `${selectedIds.length} key(s) revoked.`;
      }}
    />
  );
}

const bulkActions = (
  <>
    <BulkRevokeButton />
    <BulkDeleteButton mutationMode="pessimistic" />
  </>
);

const isExpired = (k: ApiKey) => new Date(k.expiry).getTime() < Date.now();
export const keyState = (k: ApiKey) => [k.scope, k.revoked ? 'revoked' : null, isExpired(k) ? 'expired' : null].filter(Boolean).join(' · ');

export const ApiKeyList = () => (
  <List exporter={false} filters={filters} sort={{ field: 'created_at', order: 'DESC' }} title="API keys">
    <Responsive
      phone={<SimpleList<ApiKey> primaryText={(k) => k.user_email} secondaryText={(k) => k.key_preview} tertiaryText={keyState} linkType="edit" />}
      wide={(
        <DataTable rowClick="edit" bulkActionButtons={bulkActions}>
          <DataTable.Col source="key_preview" label="Key" disableSort />
          <DataTable.Col source="user_email" label="Owner"><ReferenceField source="user_id" reference="users" link="edit"><TextField source="email" /></ReferenceField></DataTable.Col>
          <DataTable.Col source="scope" />
          <DataTable.Col source="revoked" field={BooleanField} disableSort />
          <DataTable.Col source="expiry" label="Expires" render={(k: ApiKey) => `${new Date(k.expiry).toLocaleString()}${isExpired(k) ? ' (expired)' : ''}`} />
          <DataTable.Col source="created_at" label="Created" field={DateField} />
          <DataTable.Col source="last_used_at" label="Last used" render={(k: ApiKey) => (k.last_used_at ? new Date(k.last_used_at).toLocaleString() : 'never')} disableSort />
        </DataTable>
      )}
    />
  </List>
);

export const ApiKeyCreate = () => (
  <Create title="New API key" redirect="list">
    <SimpleForm defaultValues={{ scope: 'resource' }}>
      <ReferenceInput source="user_id" reference="users" sort={{ field: 'email', order: 'ASC' }}>
        <AutocompleteInput label="Owner" optionText="email" validate={required()} />
      </ReferenceInput>
      <SelectInput source="scope" label="Scope" choices={scopes} validate={required()} helperText="Resource: for proxied services and GeoServer. Management: to manage the user's own keys." />
      <DateTimeInput source="expiry" label="Expires" helperText="Leave empty for 30 days from now." />
    </SimpleForm>
  </Create>
);

export const ApiKeyEdit = () => (
  <Edit mutationMode="pessimistic" title="API key">
    <SimpleForm>
      <Labeled label="Key"><TextField source="key_preview" /></Labeled>
      <Labeled label="Owner"><ReferenceField source="user_id" reference="users" link="edit"><TextField source="email" /></ReferenceField></Labeled>
      <Labeled label="Scope"><TextField source="scope" /></Labeled>
      <BooleanInput source="revoked" label="Revoked" />
      <DateTimeInput source="expiry" label="Expires" validate={required()} />
    </SimpleForm>
  </Edit>
);

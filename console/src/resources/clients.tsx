// OAuth/OIDC clients: registered with a generated id and a secret shown once, edited, given a new
// secret (shown once), deleted.
import {
  BooleanField, BooleanInput, Create, DataTable, DateField, DeleteButton, Edit, FormDataConsumer, Labeled, List, ListButton, SelectInput, SimpleForm,
  SimpleList, TextField, TextInput, TopToolbar, maxLength, required, useRecordContext,
} from 'react-admin';
import AutorenewIcon from '@mui/icons-material/Autorenew';
import { ActionButton } from '../action-button.tsx';
import type { Client, NewClientSecret } from '../api-types.ts';
import { api } from '../http.ts';
import { Responsive, bulkDelete, searchFilter } from '../list-parts.tsx';
import { announceSecret } from '../one-time-secret-store.ts';

const clientTypes = [{ id: 'confidential', name: 'Confidential (has a secret)' }, { id: 'public', name: 'Public (no secret)' }];
const grantTypes = [{ id: 'authorization_code', name: 'Authorization code' }, { id: 'client_credentials', name: 'Client credentials' }];
const algs = [{ id: 'RS256', name: 'RS256' }, { id: 'HS256', name: 'HS256' }];

export const ClientList = () => (
  <List exporter={false} filters={[searchFilter('Search name or client ID')]} sort={{ field: 'name', order: 'ASC' }}>
    <Responsive
      phone={<SimpleList<Client> primaryText={(c) => c.name} secondaryText={(c) => c.client_id} tertiaryText={(c) => c.grant_types.join(', ')} linkType="edit" />}
      wide={(
        <DataTable rowClick="edit" bulkActionButtons={bulkDelete}>
          <DataTable.Col source="name" />
          <DataTable.Col source="client_id" label="Client ID" />
          <DataTable.Col source="client_type" label="Type" disableSort />
          <DataTable.Col source="grant_types" label="Grant types" render={(c: Client) => c.grant_types.join(', ')} disableSort />
          <DataTable.Col source="require_consent" label="Consent" field={BooleanField} disableSort />
          <DataTable.Col source="created_at" label="Created" field={DateField} />
        </DataTable>
      )}
    />
  </List>
);

const uriLines = (value: unknown) => (Array.isArray(value) ? value.join('\n') : (value as string | undefined) ?? '');

const ClientInputs = () => (
  <>
    <TextInput source="name" label="Name" validate={[required(), maxLength(100)]} />
    <SelectInput source="client_type" label="Client type" choices={clientTypes} validate={required()} />
    <SelectInput source="grant_type" label="Grant type" choices={grantTypes} validate={required()} />
    <FormDataConsumer>
      {({ formData }) => formData.grant_type === 'authorization_code' && (
        <>
          <TextInput source="redirect_uris" label="Redirect URIs" multiline minRows={2} format={uriLines} helperText="One per line, matched exactly." />
          <TextInput source="post_logout_redirect_uris" label="Post-logout redirect URIs" multiline format={uriLines} helperText="One per line." />
          <BooleanInput source="require_consent" label="Ask the user's consent" />
        </>
      )}
    </FormDataConsumer>
    <TextInput source="scope" label="Scopes" helperText="Space-separated. Empty: the standard scopes. Add `admin` to let the client call the admin API." />
    <SelectInput source="jwt_alg" label="ID token signing algorithm" choices={algs} />
  </>
);

export const ClientCreate = () => (
  <Create title="New client">
    <SimpleForm defaultValues={{ client_type: 'confidential', grant_type: 'authorization_code', require_consent: true, jwt_alg: 'RS256' }}>
      <ClientInputs />
    </SimpleForm>
  </Create>
);

function RotateSecretButton() {
  const client = useRecordContext<Client>();
  if (!client || client.client_type !== 'confidential') return null;
  return (
    <ActionButton
      label="New secret" icon={<AutorenewIcon />} color="warning"
      confirm={{ title: `Give ${client.name} a new secret?`, content: 'The current secret stops working at once; the application needs the new one.' }}
      run={async () => {
        const answer = await api<NewClientSecret>('POST', `/clients/${client.id}/secret`);
        announceSecret({ title: 'New client secret', label: 'Client secret', value: answer.client_secret, facts: [{ label: 'Client ID', value: answer.client_id }] });
      }}
    />
  );
}

const EditActions = () => (
  <TopToolbar>
    <RotateSecretButton />
    <ListButton />
    <DeleteButton mutationMode="pessimistic" />
  </TopToolbar>
);

const ClientTitle = () => <span>Client {useRecordContext<Client>()?.name ?? ''}</span>;

export const ClientEdit = () => (
  <Edit title={<ClientTitle />} mutationMode="pessimistic" actions={<EditActions />}>
    <SimpleForm>
      <Labeled label="Client ID"><TextField source="client_id" /></Labeled>
      <ClientInputs />
    </SimpleForm>
  </Edit>
);

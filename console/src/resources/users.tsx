// Users: find them by e-mail or name, filter by flags, create, edit; the edit page also holds the
// account actions, the team and role memberships and the user's API keys (user-panels.tsx).
import {
  BooleanField, BooleanInput, Create, DataTable, DateField, Edit, EmailField, List, PasswordInput, SimpleForm, SimpleList, TextInput,
  email, required, usePermissions, useRecordContext,
} from 'react-admin';
import { Divider } from '@mui/material';
import type { User } from '../api-types.ts';
import { Responsive, bulkDelete, fullName, searchFilter, yesNoFilter } from '../list-parts.tsx';
import { AccountActions, ApiKeysPanel, MembershipPanel } from './user-panels.tsx';
import { MfaPanel } from './mfa-panels.tsx';

const filters = [
  searchFilter('Search e-mail or name'),
  yesNoFilter('is_active', 'Active', true),
  yesNoFilter('is_staff', 'Staff'),
  yesNoFilter('is_superuser', 'Superuser'),
  yesNoFilter('email_confirmed', 'E-mail confirmed'),
];

const flags = (u: User) => [u.is_active ? 'active' : 'inactive', u.is_staff && 'staff', u.is_superuser && 'superuser'].filter(Boolean).join(' · ');

export const UserList = () => (
  <List exporter={false} filters={filters} sort={{ field: 'date_joined', order: 'DESC' }} title="Users">
    <Responsive
      phone={<SimpleList<User> primaryText={(u) => u.email} secondaryText={(u) => fullName(u)} tertiaryText={flags} linkType="edit" />}
      wide={(
        <DataTable rowClick="edit" bulkActionButtons={bulkDelete}>
          <DataTable.Col source="email" field={EmailField} />
          <DataTable.Col source="first_name" label="First name" />
          <DataTable.Col source="last_name" label="Last name" />
          <DataTable.Col source="is_active" label="Active" field={BooleanField} disableSort />
          <DataTable.Col source="is_staff" label="Staff" field={BooleanField} disableSort />
          <DataTable.Col source="is_superuser" label="Superuser" field={BooleanField} disableSort />
          <DataTable.Col source="email_confirmed" label="E-mail confirmed" field={BooleanField} disableSort />
          <DataTable.Col source="date_joined" label="Joined" field={DateField} />
          <DataTable.Col source="last_login" label="Last sign-in" render={(u: User) => (u.last_login ? new Date(u.last_login).toLocaleString() : 'never')} />
        </DataTable>
      )}
    />
  </List>
);

function AdminFlags() {
  const { permissions } = usePermissions();
  const isSuperuser = permissions === 'superuser';
  return (
    <>
      <BooleanInput source="is_active" label="Active (may sign in)" />
      <BooleanInput source="email_confirmed" label="E-mail confirmed" />
      <BooleanInput source="is_staff" label="Staff (may use this console)" disabled={!isSuperuser} helperText={isSuperuser ? false : 'Only a superuser may change this.'} />
      <BooleanInput source="is_superuser" label="Superuser" disabled={!isSuperuser} helperText={isSuperuser ? false : 'Only a superuser may change this.'} />
    </>
  );
}

const ProfileInputs = () => (
  <>
    <TextInput source="email" label="E-mail" validate={[required(), email()]} autoComplete="off" />
    <TextInput source="first_name" label="First name" />
    <TextInput source="last_name" label="Last name" />
  </>
);

export const UserCreate = () => (
  <Create title="New user">
    <SimpleForm defaultValues={{ is_active: true, email_confirmed: true, is_staff: false, is_superuser: false }}>
      <ProfileInputs />
      <PasswordInput source="password" label="Password" autoComplete="new-password" helperText="Optional: without one, use “Send password reset” on the user’s page to invite them to choose one." />
      <AdminFlags />
    </SimpleForm>
  </Create>
);

function UserTitle() {
  const user = useRecordContext<User>();
  return <span>User {user ? user.email : ''}</span>;
}

export const UserEdit = () => (
  <Edit title={<UserTitle />} mutationMode="pessimistic">
    <SimpleForm>
      <ProfileInputs />
      <AdminFlags />
    </SimpleForm>
    <Divider />
    <AccountActions />
    <Divider />
    <MfaPanel />
    <Divider />
    <MembershipPanel kind="teams" />
    <Divider />
    <MembershipPanel kind="roles" />
    <Divider />
    <ApiKeysPanel />
  </Edit>
);

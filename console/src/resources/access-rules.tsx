// Access rules: a resource opened to a role; only an active rule counts.
import {
  AutocompleteInput, BooleanField, BooleanInput, Create, DataTable, DateField, Edit, List, ReferenceField, ReferenceInput, SimpleForm, required,
} from 'react-admin';
import { bulkDelete, yesNoFilter } from '../list-parts.tsx';

const filters = [
  <ReferenceInput key="resource_id" source="resource_id" reference="resources" alwaysOn>
    <AutocompleteInput label="Resource" optionText="slug" />
  </ReferenceInput>,
  <ReferenceInput key="role_id" source="role_id" reference="roles" alwaysOn>
    <AutocompleteInput label="Role" optionText="name" />
  </ReferenceInput>,
  yesNoFilter('active', 'Active'),
];

export const AccessRuleList = () => (
  <List exporter={false} filters={filters} sort={{ field: 'id', order: 'DESC' }} title="Access rules">
    <DataTable rowClick="edit" bulkActionButtons={bulkDelete}>
      <DataTable.Col source="resource_id" label="Resource" disableSort><ReferenceField source="resource_id" reference="resources" /></DataTable.Col>
      <DataTable.Col source="role_id" label="Role" disableSort><ReferenceField source="role_id" reference="roles" /></DataTable.Col>
      <DataTable.Col source="active" field={BooleanField} disableSort />
      <DataTable.Col source="created_at" label="Created" field={DateField} />
    </DataTable>
  </List>
);

const RuleForm = () => (
  <SimpleForm defaultValues={{ active: true }}>
    <ReferenceInput source="resource_id" reference="resources">
      <AutocompleteInput label="Resource" optionText="slug" validate={required()} />
    </ReferenceInput>
    <ReferenceInput source="role_id" reference="roles">
      <AutocompleteInput label="Role" optionText="name" validate={required()} />
    </ReferenceInput>
    <BooleanInput source="active" label="Active" />
  </SimpleForm>
);

export const AccessRuleCreate = () => <Create title="New access rule"><RuleForm /></Create>;
export const AccessRuleEdit = () => <Edit mutationMode="pessimistic" title="Access rule"><RuleForm /></Edit>;

// Resources: the protected things (an upstream service proxied to its URL, or a name GeoServer
// asks about) that access rules open to a role.
import { Create, DataTable, DateField, Edit, List, SelectInput, SimpleForm, SimpleList, TextInput, UrlField, maxLength, required } from 'react-admin';
import { Responsive, bulkDelete, searchFilter } from '../list-parts.tsx';

interface Resource { id: number; slug: string; url: string | null; description: string | null; type: string | null }

export const ResourceList = () => (
  <List exporter={false} filters={[searchFilter('Search slug, description or URL')]} sort={{ field: 'slug', order: 'ASC' }}>
    <Responsive
      phone={<SimpleList<Resource> primaryText={(r) => r.slug} secondaryText={(r) => r.url ?? ''} tertiaryText={(r) => r.type ?? ''} linkType="edit" />}
      wide={(
        <DataTable rowClick="edit" bulkActionButtons={bulkDelete}>
          <DataTable.Col source="slug" />
          <DataTable.Col source="type" disableSort />
          <DataTable.Col source="url" label="URL" field={UrlField} disableSort />
          <DataTable.Col source="description" disableSort />
          <DataTable.Col source="created_at" label="Created" field={DateField} />
        </DataTable>
      )}
    />
  </List>
);

const ResourceForm = () => (
  <SimpleForm>
    <TextInput source="slug" label="Slug" validate={[required(), maxLength(50)]} />
    <SelectInput source="type" label="Type" choices={[{ id: 'Upstream Service', name: 'Upstream Service (proxied to the URL)' }]} emptyText="None" />
    <TextInput source="url" label="URL" />
    <TextInput source="description" label="Description" multiline minRows={2} />
  </SimpleForm>
);

export const ResourceCreate = () => <Create title="New resource"><ResourceForm /></Create>;
export const ResourceEdit = () => <Edit mutationMode="pessimistic"><ResourceForm /></Edit>;

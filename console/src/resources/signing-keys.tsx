// Signing keys (superusers only): the keys that sign id_tokens, and a rotation. The new key signs
// from the next start of the server processes; older keys stay published for verification.
import { DataTable, DateField, List, SimpleList, TopToolbar } from 'react-admin';
import KeyIcon from '@mui/icons-material/VpnKey';
import { ActionButton } from '../action-button.tsx';
import type { NewSigningKey } from '../api-types.ts';
import { api } from '../http.ts';
import { Responsive } from '../list-parts.tsx';

interface SigningKey { id: string; kid: string; alg: string; created_at: string; retired_at: string | null }
const retired = (k: SigningKey) => (k.retired_at ? `retired ${new Date(k.retired_at).toLocaleString()}` : 'in use');

const Actions = () => (
  <TopToolbar>
    <ActionButton
      label="Rotate signing key" icon={<KeyIcon />} color="warning"
      confirm={{
        title: 'Create a new signing key?',
        content: 'A new RSA key signs id_tokens from the next start of every server process; the current keys stay published so issued tokens still verify.',
        confirmLabel: 'Rotate',
      }}
      run={async () => {
        const created = await api<NewSigningKey>('POST', '/signing-keys');
        return `New key ${created.kid}: it signs from the next restart.`;
      }}
    />
  </TopToolbar>
);

export const SigningKeyList = () => (
  <List exporter={false} actions={<Actions />} pagination={false} title="Signing keys" sort={{ field: 'created_at', order: 'DESC' }}>
    <Responsive
      phone={<SimpleList<SigningKey> primaryText={(k) => k.kid} secondaryText={(k) => `${k.alg} · created ${new Date(k.created_at).toLocaleString()}`} tertiaryText={retired} linkType={false} />}
      wide={(
        <DataTable rowClick={false} bulkActionButtons={false}>
          <DataTable.Col source="kid" label="Key ID" disableSort />
          <DataTable.Col source="alg" label="Algorithm" disableSort />
          <DataTable.Col source="created_at" label="Created" field={DateField} disableSort />
          <DataTable.Col source="retired_at" label="Retired" render={(k: SigningKey) => (k.retired_at ? new Date(k.retired_at).toLocaleString() : '—')} disableSort />
        </DataTable>
      )}
    />
  </List>
);

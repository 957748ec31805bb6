// Signing keys (superusers only): the keys that sign id_tokens, JWT access tokens and the proxy's
// identity JWTs, each with its state and when it changes (#20). A rotation publishes the new key
// on every node at once; it signs after the activation delay (DJAM_SIGNING_KEY_ACTIVATION_DELAY_SECONDS),
// or at once when "sign with it at once" is ticked (an emergency). A replaced key stays published
// until every token it signed has expired, then it is removed.
import { useState } from 'react';
import { DataTable, List, SimpleList, TopToolbar } from 'react-admin';
import { Checkbox, Chip, FormControlLabel, Stack, Typography } from '@mui/material';
import KeyIcon from '@mui/icons-material/VpnKey';
import { ActionButton } from '../action-button.tsx';
import type { NewSigningKey } from '../api-types.ts';
import { api } from '../http.ts';
import { Responsive } from '../list-parts.tsx';

type SigningKey = NewSigningKey & { id: string };

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
const STATE_LABEL = { next: 'next: published, not signing yet', active: 'active: signs', retiring: 'retiring: published, not signing', retired: 'retired: no longer published' };
const STATE_COLOR = { next: 'info', active: 'success', retiring: 'warning', retired: 'default' } as const;

/** What happens to the key next, and when. */
function nextChange(k: SigningKey): string {
  switch (k.state) {
    case 'next': return `signs from ${when(k.activates_at)}`;
    case 'active': return k.signs_until ? `replaced at ${when(k.signs_until)}` : 'signs until a newer key activates';
    case 'retiring': return `leaves the JWKS at ${when(k.published_until)}`;
    default: return 'deleted at the next sweep';
  }
}

const StateChip = ({ k }: { k: SigningKey }) => <Chip size="small" label={k.state} color={STATE_COLOR[k.state]} title={STATE_LABEL[k.state]} />;

function Actions() {
  const [now, setNow] = useState(false);
  return (
    <TopToolbar>
      <ActionButton
        label="Rotate signing key" icon={<KeyIcon />} color="warning"
        confirm={{
          title: 'Create a new signing key?',
          content: (
            <Stack spacing={1}>
              <Typography variant="body2">
                Every server publishes the new RSA key at once; it starts signing after the activation delay, so that
                relying parties have fetched it before any token carries it. The current key keeps signing until then and
                stays published until the tokens it signed have expired.
              </Typography>
              <FormControlLabel
                control={<Checkbox checked={now} onChange={(e) => setNow(e.target.checked)} />}
                label="Sign with it at once (emergency: relying parties that cached the key set reject new tokens until they fetch it again)"
              />
            </Stack>
          ),
          confirmLabel: 'Rotate',
        }}
        run={async () => {
          const created = await api<NewSigningKey>('POST', '/signing-keys', { activate_now: now });
          setNow(false);
          return created.state === 'active' ? `New key ${created.kid} signs from now on.` : `New key ${created.kid} is published; it signs from ${when(created.activates_at)}.`;
        }}
      />
    </TopToolbar>
  );
}

export const SigningKeyList = () => (
  <List exporter={false} actions={<Actions />} pagination={false} title="Signing keys">
    <Responsive
      phone={<SimpleList<SigningKey> primaryText={(k) => `${k.kid} · ${k.state}`} secondaryText={(k) => `${k.alg} · published since ${when(k.created_at)}`} tertiaryText={nextChange} linkType={false} />}
      wide={(
        <DataTable rowClick={false} bulkActionButtons={false}>
          <DataTable.Col source="kid" label="Key ID" disableSort />
          <DataTable.Col source="state" label="State" render={(k: SigningKey) => <StateChip k={k} />} disableSort />
          <DataTable.Col source="created_at" label="Published since" render={(k: SigningKey) => when(k.created_at)} disableSort />
          <DataTable.Col source="activates_at" label="Signs from" render={(k: SigningKey) => when(k.activates_at)} disableSort />
          <DataTable.Col label="Next change" render={nextChange} disableSort />
        </DataTable>
      )}
    />
  </List>
);

// The panels under a user's form: account actions (activate, confirm the e-mail, set or reset the
// password, lift a brute-force lock-out), the teams and roles they hold, and their API keys.
import { useState } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField, Typography } from '@mui/material';
import { BooleanField, DataTable, DateField, HttpError, LinkBase, ReferenceManyField, SimpleList, useNotify, useRecordContext } from 'react-admin';
import KeyIcon from '@mui/icons-material/Key';
import LockOpenIcon from '@mui/icons-material/LockOpen';
import LockResetIcon from '@mui/icons-material/LockReset';
import MarkEmailReadIcon from '@mui/icons-material/MarkEmailRead';
import PasswordIcon from '@mui/icons-material/Password';
import PersonOffIcon from '@mui/icons-material/PersonOff';
import PersonIcon from '@mui/icons-material/Person';
import { ActionButton } from '../action-button.tsx';
import type { ApiKey, User } from '../api-types.ts';
import { Responsive } from '../list-parts.tsx';
import { api } from '../http.ts';
import { Panel, RelationPanel, del, postJson } from '../relation-panel.tsx';
import { keyState } from './api-keys.tsx';

function SetPasswordButton({ user }: { user: User }) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const notify = useNotify();
  const close = () => {
    setOpen(false);
    setPassword('');
    setError(undefined);
  };
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    try {
      await api('PUT', `/users/${user.id}/password`, { password });
      notify('Password set.', { type: 'success', messageArgs: { _: 'Password set.' } });
      close();
    } catch (err) {
      const fields = err instanceof HttpError ? (err.body as { errors?: Record<string, string> })?.errors : undefined;
      setError(fields?.password ?? (err instanceof Error ? err.message : 'Failed.'));
    }
  };
  return (
    <>
      <Button startIcon={<PasswordIcon />} onClick={() => setOpen(true)} size="small">Set password</Button>
      <Dialog open={open} onClose={close} aria-labelledby="set-password-title">
        <form onSubmit={save}>
          <DialogTitle id="set-password-title">Set the password of {user.email}</DialogTitle>
          <DialogContent>
            <TextField
              label="New password" type="password" autoComplete="new-password" value={password} autoFocus fullWidth margin="dense" required
              onChange={(e) => setPassword(e.target.value)} error={Boolean(error)} helperText={error}
            />
          </DialogContent>
          <DialogActions>
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="contained">Set password</Button>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}

export function AccountActions() {
  const user = useRecordContext<User>();
  if (!user) return null;
  const call = (method: string, path: string, done: string) => async () => {
    await api(method, `/users/${user.id}${path}`);
    return done;
  };
  return (
    <Panel title="Account">
      <Typography variant="body2" color="text.secondary" gutterBottom>
        {user.is_active ? 'Active' : 'Inactive'} · e-mail {user.email_confirmed ? 'confirmed' : 'not confirmed'} · {user.has_usable_password ? 'has a password' : 'no usable password'}
        {user.last_login ? ` · last sign-in ${new Date(user.last_login).toLocaleString()}` : ' · never signed in'}
      </Typography>
      {user.locked_until && (
        <Typography variant="body2" color="error" gutterBottom role="status">
          Locked until {new Date(user.locked_until).toLocaleString()} after repeated wrong passwords (sign-in refused, even with the right one).
        </Typography>
      )}
      <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 1 }}>
        {user.locked_until && (
          <ActionButton
            label="Unlock" icon={<LockOpenIcon />} color="warning" run={call('POST', '/unlock', 'Lock-out lifted.')}
            confirm={{ title: `Unlock ${user.email}?`, content: 'Password attempts are accepted again at once, from every address, and the wrong ones counted so far are forgotten.' }}
          />
        )}
        {user.is_active ? (
          <ActionButton
            label="Deactivate" icon={<PersonOffIcon />} color="error" run={call('POST', '/deactivate', 'User deactivated.')}
            confirm={{ title: `Deactivate ${user.email}?`, content: 'They can no longer sign in, and their sessions end now.' }}
          />
        ) : (
          <ActionButton label="Activate" icon={<PersonIcon />} run={call('POST', '/activate', 'User activated.')} />
        )}
        {!user.email_confirmed && <ActionButton label="Confirm e-mail" icon={<MarkEmailReadIcon />} run={call('POST', '/confirm-email', 'E-mail confirmed.')} />}
        <SetPasswordButton user={user} />
        <ActionButton
          label="Send password reset" icon={<LockResetIcon />} color="warning" run={call('POST', '/password-reset', 'Reset e-mail sent.')}
          confirm={{ title: `Reset the password of ${user.email}?`, content: 'Any current password stops working and their sessions end; they get an e-mail with a link to choose a new one (an invitation, for a user without a password).' }}
        />
      </Stack>
    </Panel>
  );
}

export function MembershipPanel({ kind }: { kind: 'teams' | 'roles' }) {
  const user = useRecordContext<User>();
  if (!user) return null;
  const isTeams = kind === 'teams';
  return (
    <RelationPanel
      title={isTeams ? 'Teams' : 'Roles held directly'} resource={kind} testId={`user-${kind}`}
      items={(user[kind] ?? []).map((h) => ({ id: h.id, label: h.name }))} optionLabel={(r) => String(r.name)}
      addLabel={isTeams ? 'Add to team' : 'Grant role'}
      add={(id) => postJson(`/users/${user.id}/${kind}`, isTeams ? { team_id: id } : { role_id: id })}
      remove={(id) => del(`/users/${user.id}/${kind}/${id}`)}
      removeQuestion={(item) => (isTeams ? `Remove ${user.email} from ${item.label}?` : `Take ${item.label} from ${user.email}?`)}
    />
  );
}

const noKeys = <Typography variant="body2" color="text.secondary">No keys.</Typography>;

export function ApiKeysPanel() {
  const user = useRecordContext<User>();
  if (!user) return null;
  const prefill = encodeURIComponent(JSON.stringify({ user_id: user.id }));
  return (
    <Panel title="API keys">
      <ReferenceManyField reference="api-keys" target="user_id" sort={{ field: 'created_at', order: 'DESC' }} perPage={10}>
        {/* react-admin's layout grows to fit a table, so a phone gets a one-column list instead. */}
        <Responsive
          phone={<SimpleList<ApiKey> primaryText={(k) => k.key_preview} secondaryText={keyState} linkType="edit" empty={noKeys} />}
          wide={(
            <DataTable rowClick="edit" bulkActionButtons={false} empty={noKeys}>
              <DataTable.Col source="key_preview" label="Key" disableSort />
              <DataTable.Col source="scope" disableSort />
              <DataTable.Col source="expiry" field={DateField} disableSort />
              <DataTable.Col source="revoked" field={BooleanField} disableSort />
            </DataTable>
          )}
        />
      </ReferenceManyField>
      <Button startIcon={<KeyIcon />} component={LinkBase} to={`/api-keys/create?source=${prefill}`} variant="outlined" sx={{ mt: 1 }}>
        Issue API key
      </Button>
    </Panel>
  );
}

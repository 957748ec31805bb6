// #22: a user's second factors (with the reset that makes them enrol again), and a team's
// "members must use MFA" flag. Read from /api/admin/users/{id}/mfa and /api/admin/teams/{id}/mfa.
import { useEffect, useState } from 'react';
import { FormControlLabel, List, ListItem, ListItemText, Switch, Typography } from '@mui/material';
import { useNotify, useRecordContext } from 'react-admin';
import PhonelinkEraseIcon from '@mui/icons-material/PhonelinkErase';
import { ActionButton } from '../action-button.tsx';
import { api } from '../http.ts';
import { Panel } from '../relation-panel.tsx';

interface Factor { id: number; kind: 'totp' | 'passkey'; name: string; created_at: string; last_used_at: string | null }
interface UserMfa { factors: Factor[]; unused_recovery_codes: number; required: boolean }

const kindLabel = (f: Factor) => (f.kind === 'totp' ? 'Authenticator app' : `Passkey “${f.name}”`);
const when = (at: string | null) => (at ? new Date(at).toLocaleString() : 'never');

export function MfaPanel() {
  const user = useRecordContext<{ id: number; email: string }>();
  const [mfa, setMfa] = useState<UserMfa>();
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!user) return;
    let live = true;
    void api<UserMfa>('GET', `/users/${user.id}/mfa`).then((data) => live && setMfa(data), () => live && setMfa(undefined));
    return () => {
      live = false;
    };
  }, [user, version]);
  if (!user) return null;
  return (
    <Panel title="Second factors">
      {!mfa ? <Typography variant="body2" color="text.secondary">Loading…</Typography> : (
        <>
          <Typography variant="body2" color="text.secondary" gutterBottom>
            {mfa.required ? 'Must sign in with a second factor (policy or team).' : 'A second factor is optional for this user.'}
            {mfa.factors.length ? ` · ${mfa.unused_recovery_codes} unused recovery codes` : ''}
          </Typography>
          {mfa.factors.length ? (
            <List dense aria-label="Second factors" data-testid="user-factors">
              {mfa.factors.map((f) => (
                <ListItem key={f.id} disableGutters>
                  <ListItemText primary={kindLabel(f)} secondary={`added ${when(f.created_at)} · last used ${when(f.last_used_at)}`} />
                </ListItem>
              ))}
            </List>
          ) : <Typography variant="body2">No second factor: the password alone signs in{mfa.required ? ' until they enrol at their next sign-in' : ''}.</Typography>}
          {mfa.factors.length > 0 && (
            <ActionButton
              label="Reset second factors" icon={<PhonelinkEraseIcon />} color="error"
              run={async () => {
                await api('POST', `/users/${user.id}/mfa/reset`);
                setVersion((v) => v + 1);
                return 'Second factors removed.';
              }}
              confirm={{ title: `Reset the second factors of ${user.email}?`, content: 'Their authenticator apps, passkeys and recovery codes stop working now; they enrol again at their next sign-in when a second factor is required.' }}
            />
          )}
        </>
      )}
    </Panel>
  );
}

export function TeamMfaPanel() {
  const team = useRecordContext<{ id: number; name: string }>();
  const notify = useNotify();
  const [required, setRequired] = useState<boolean>();
  useEffect(() => {
    if (!team) return;
    void api<{ requires_mfa: boolean }>('GET', `/teams/${team.id}/mfa`).then((r) => setRequired(r.requires_mfa), () => setRequired(undefined));
  }, [team]);
  if (!team || required === undefined) return null;
  const change = async (value: boolean) => {
    try {
      const r = await api<{ requires_mfa: boolean }>('PUT', `/teams/${team.id}/mfa`, { requires_mfa: value });
      setRequired(r.requires_mfa);
      notify(value ? 'Members must now use a second factor.' : 'A second factor is no longer required by this team.', { type: 'success' });
    } catch (err) {
      notify(err instanceof Error ? err.message : 'Failed.', { type: 'error' });
    }
  };
  return (
    <Panel title="Multi-factor sign-in">
      <FormControlLabel control={<Switch checked={required} onChange={(e) => void change(e.target.checked)} />} label="Members must use MFA" />
    </Panel>
  );
}

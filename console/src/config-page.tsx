// The effective configuration (superusers only): every DJAM_* setting as the server resolved it,
// secrets masked. Read-only: settings come from the environment, so a change means a restart.
import { Alert, Box, Card, CircularProgress, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Typography } from '@mui/material';
import { Title } from 'react-admin';
import type { Setting } from './api-types.ts';
import { useIsPhone } from './list-parts.tsx';
import { useApiGet } from './use-api-get.ts';

const shown = (s: Setting) => {
  const text = s.value === null || s.value === undefined || s.value === '' ? '—' : typeof s.value === 'string' ? s.value : JSON.stringify(s.value);
  return s.secret ? `${text} (secret)` : text;
};
const mono = { fontFamily: 'monospace', overflowWrap: 'anywhere' } as const;

function SettingsTable({ items }: { items: Setting[] }) {
  return (
    <TableContainer>
      <Table size="small" aria-label="Configuration">
        <TableHead>
          <TableRow><TableCell>Setting</TableCell><TableCell>Value</TableCell><TableCell>Meaning</TableCell></TableRow>
        </TableHead>
        <TableBody>
          {items.map((s) => (
            <TableRow key={s.name}>
              <TableCell component="th" scope="row" sx={{ ...mono, whiteSpace: 'nowrap' }}>{s.name}</TableCell>
              <TableCell sx={{ ...mono, minWidth: 160 }}>{shown(s)}</TableCell>
              <TableCell>{s.description}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/** On a phone: one block per setting, name, value and meaning stacked. */
function SettingsList({ items }: { items: Setting[] }) {
  return (
    <Box component="dl" sx={{ m: 0 }}>
      {items.map((s) => (
        <Box key={s.name} sx={{ px: 2, py: 1, borderTop: 1, borderColor: 'divider' }}>
          <Typography component="dt" sx={{ ...mono, fontWeight: 'bold' }}>{s.name}</Typography>
          <Typography component="dd" sx={{ ...mono, m: 0 }}>{shown(s)}</Typography>
          <Typography component="dd" variant="body2" color="text.secondary" sx={{ m: 0 }}>{s.description}</Typography>
        </Box>
      ))}
    </Box>
  );
}

export function ConfigPage() {
  const config = useApiGet<{ items: Setting[] }>('/config');
  const isPhone = useIsPhone();
  return (
    <Card sx={{ mt: { xs: 1, sm: 2 } }}>
      <Title title="Configuration" />
      <Typography variant="body2" color="text.secondary" sx={{ p: 2 }}>
        The settings the server runs with, from its environment (DJAM_* variables). Secret values are masked; change a setting in the environment and restart.
      </Typography>
      {config.state === 'loading' && <CircularProgress aria-label="Loading the configuration" sx={{ m: 2 }} />}
      {config.state === 'error' && <Alert severity="error">{config.message}</Alert>}
      {config.state === 'done' && (isPhone ? <SettingsList items={config.data.items} /> : <SettingsTable items={config.data.items} />)}
    </Card>
  );
}

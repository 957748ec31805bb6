// The dashboard: the counts an administrator checks first, each linking to the list behind it.
import { Alert, Box, Card, CardActionArea, CardContent, CircularProgress, Typography } from '@mui/material';
import { LinkBase, Title, useGetIdentity } from 'react-admin';
import type { Stats } from './api-types.ts';
import { FailedSignInsTile } from './failed-sign-ins-tile.tsx';
import { useApiGet } from './use-api-get.ts';

const filterLink = (resource: string, filter: Record<string, unknown>) => `/${resource}?filter=${encodeURIComponent(JSON.stringify(filter))}`;

const tiles: Array<{ key: keyof Stats; label: string; to: string }> = [
  { key: 'users', label: 'Users', to: '/users' },
  { key: 'active_keys', label: 'Active API keys', to: filterLink('api-keys', { revoked: false, expired: false }) },
  { key: 'clients', label: 'Clients', to: '/clients' },
  { key: 'jobs_waiting', label: 'Jobs waiting', to: filterLink('jobs', { status: 'pending' }) },
  { key: 'jobs_failed', label: 'Jobs failed', to: filterLink('jobs', { status: 'dead' }) },
  { key: 'logins_last_day', label: 'Sign-ins in the last day', to: '/users' },
];

export function Dashboard() {
  const stats = useApiGet<Stats>('/stats');
  const { identity } = useGetIdentity();
  return (
    <Box sx={{ p: { xs: 1, sm: 2 } }}>
      <Title title="Dashboard" />
      <Typography variant="h5" component="h1" gutterBottom>Welcome{identity?.fullName ? `, ${identity.fullName}` : ''}</Typography>
      {stats.state === 'loading' && <CircularProgress aria-label="Loading the counts" />}
      {stats.state === 'error' && <Alert severity="error">{stats.message}</Alert>}
      {stats.state === 'done' && (
        <Box component="ul" sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))', listStyle: 'none', p: 0, m: 0 }}>
          {tiles.map((tile) => (
            <li key={tile.key}>
              <Card sx={{ height: '100%' }}>
                <CardActionArea component={LinkBase} to={tile.to} sx={{ height: '100%', alignItems: 'flex-start' }}>
                  <CardContent>
                    <Typography variant="h4" component="p" data-testid={`stat-${tile.key}`}>{stats.data[tile.key]}</Typography>
                    <Typography color="text.secondary">{tile.label}</Typography>
                  </CardContent>
                </CardActionArea>
              </Card>
            </li>
          ))}
          <Box component="li" sx={{ gridColumn: 'span 2' }}><FailedSignInsTile /></Box>
        </Box>
      )}
    </Box>
  );
}

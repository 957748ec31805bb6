// The dashboard's failed sign-ins tile (#21): the count of the last 24 hours and a bar per hour,
// linking to those events.
import { Box, Card, CardActionArea, CardContent, Tooltip, Typography } from '@mui/material';
import { LinkBase } from 'react-admin';
import type { FailedSignIns } from './api-types.ts';
import { useApiGet } from './use-api-get.ts';

export function FailedSignInsTile() {
  const stats = useApiGet<FailedSignIns>('/events/failed-sign-ins');
  if (stats.state !== 'done') return null;
  const { total, hours } = stats.data;
  const highest = Math.max(1, ...hours.map((h) => h.count));
  return (
    <Card sx={{ height: '100%' }}>
      <CardActionArea component={LinkBase} to="/events?type=user.login_failed" sx={{ height: '100%', alignItems: 'flex-start' }}>
        <CardContent>
          <Typography variant="h4" component="p" data-testid="stat-failed-sign-ins">{total}</Typography>
          <Typography color="text.secondary">Failed sign-ins, last 24 h</Typography>
          <Box role="img" aria-label={`Failed sign-ins per hour: ${hours.map((h) => h.count).join(', ')}`} sx={{ display: 'flex', alignItems: 'flex-end', gap: '2px', height: 40, mt: 1 }}>
            {hours.map((h) => (
              <Tooltip key={h.hour} title={`${new Date(h.hour).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${h.count}`}>
                <Box sx={{ flex: 1, bgcolor: h.count ? 'error.main' : 'divider', height: `${Math.max(4, (h.count / highest) * 100)}%` }} />
              </Tooltip>
            ))}
          </Box>
        </CardContent>
      </CardActionArea>
    </Card>
  );
}

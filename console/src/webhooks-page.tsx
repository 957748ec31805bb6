// Webhooks (#21, superusers): endpoints that receive events as signed POSTs. Register one (its
// secret is shown here once), switch it off and on, remove it, and read its delivery log, where a
// dead delivery can be sent round again.
import { Alert, Box, Button, Card, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { Title } from 'react-admin';
import type { Webhook, WebhookDelivery } from './api-types.ts';
import { api } from './http.ts';

const message = (err: unknown) => (err instanceof Error ? err.message : 'The request failed.');

function Deliveries({ webhook }: { webhook: Webhook }) {
  const [items, setItems] = useState<WebhookDelivery[]>([]);
  const load = useCallback(() => api<{ items: WebhookDelivery[] }>('GET', `/webhooks/${webhook.id}/deliveries`).then((r) => setItems(r.items), () => undefined), [webhook.id]);
  useEffect(() => { void load(); }, [load]);
  const retry = async (d: WebhookDelivery) => { await api('POST', `/webhooks/${webhook.id}/deliveries/${d.id}/retry`); await load(); };
  if (!items.length) return <Typography variant="body2" color="text.secondary">No deliveries yet.</Typography>;
  return (
    <Table size="small" aria-label={`Deliveries to ${webhook.url}`}>
      <TableHead><TableRow><TableCell>Event</TableCell><TableCell>Status</TableCell><TableCell>Tries</TableCell><TableCell>Last answer</TableCell><TableCell /></TableRow></TableHead>
      <TableBody>
        {items.map((d) => (
          <TableRow key={d.id} data-testid="delivery-row" data-status={d.status}>
            <TableCell>#{d.event_id} {d.event_type}</TableCell>
            <TableCell><Chip size="small" label={d.status} color={d.status === 'delivered' ? 'success' : d.status === 'dead' ? 'error' : 'default'} /></TableCell>
            <TableCell>{d.attempts}</TableCell>
            <TableCell sx={{ overflowWrap: 'anywhere' }}>{d.last_status_code ?? d.last_error ?? ''}</TableCell>
            <TableCell>{d.status === 'dead' && <Button size="small" onClick={() => void retry(d)}>Retry</Button>}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export function WebhooksPage() {
  const [webhooks, setWebhooks] = useState<Webhook[]>([]);
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState('*');
  const [secret, setSecret] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const load = useCallback(() => api<{ items: Webhook[] }>('GET', '/webhooks').then((r) => setWebhooks(r.items), (err: unknown) => setError(message(err))), []);
  useEffect(() => { void load(); }, [load]);

  const create = async () => {
    try {
      const made = await api<Webhook & { secret: string }>('POST', '/webhooks', { url, event_types: types.split(',').map((t) => t.trim()).filter(Boolean) });
      setSecret(made.secret);
      setError(undefined);
      setUrl('');
      await load();
    } catch (err) {
      setError(message(err));
    }
  };
  const act = (fn: () => Promise<unknown>) => fn().then(load, (err: unknown) => setError(message(err)));

  return (
    <Card sx={{ mt: { xs: 1, sm: 2 }, p: 2 }}>
      <Title title="Webhooks" />
      <Typography variant="body2" color="text.secondary" gutterBottom>
        Each endpoint receives the events of the types it names (or * for all) as POSTs signed the Standard Webhooks way (docs/events.md).
      </Typography>
      <Box component="form" aria-label="New webhook" onSubmit={(ev) => { ev.preventDefault(); void create(); }}>
        <Stack direction="row" spacing={1} useFlexGap flexWrap="wrap">
          <TextField size="small" label="URL" value={url} onChange={(ev) => setUrl(ev.target.value)} sx={{ minWidth: 320 }} required />
          <TextField size="small" label="Event types" value={types} onChange={(ev) => setTypes(ev.target.value)} helperText="Comma-separated, e.g. user.login_failed,role.member_added" />
          <Button type="submit" variant="contained">Add webhook</Button>
        </Stack>
      </Box>
      {secret && (
        <Alert severity="warning" sx={{ mt: 2 }} onClose={() => setSecret(undefined)}>
          The signing secret, shown only now: <Box component="code" data-testid="webhook-secret" sx={{ overflowWrap: 'anywhere' }}>{secret}</Box>
        </Alert>
      )}
      {error && <Alert severity="error" sx={{ mt: 2 }}>{error}</Alert>}
      {webhooks.map((w) => (
        <Box key={w.id} sx={{ mt: 3 }} data-testid="webhook">
          <Stack direction="row" spacing={1} alignItems="center" useFlexGap flexWrap="wrap">
            <Typography sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>{w.url}</Typography>
            <Chip size="small" label={w.is_active ? 'active' : 'off'} />
            <Typography variant="body2" color="text.secondary">{w.event_types.join(', ')}</Typography>
            <Button size="small" onClick={() => void act(() => api('PATCH', `/webhooks/${w.id}`, { is_active: !w.is_active }))}>{w.is_active ? 'Switch off' : 'Switch on'}</Button>
            <Button size="small" color="error" onClick={() => { if (window.confirm(`Remove the webhook ${w.url}?`)) void act(() => api('DELETE', `/webhooks/${w.id}`)); }}>Remove</Button>
          </Stack>
          <Deliveries webhook={w} />
        </Box>
      ))}
    </Card>
  );
}

// The event log (#21): sign-ins and every change, whoever made them, newest first. Filters by
// type, user, client, IP, outcome and time range, and a search of the subject and actor; older
// events a page at a time (the API's cursor); with "Live", new events appear at the top as they
// happen (polled every few seconds). The filters live in the URL, so /events?user_id=12 is a
// user's own tab and /events?client_id=x a client's.
import { Alert, Box, Button, Card, Chip, FormControlLabel, MenuItem, Stack, Switch, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Title } from 'react-admin';
import type { EventItem } from './api-types.ts';
import { api, queryString } from './http.ts';

const LIVE_POLL_MS = 3000;
const FIELDS = [
  { name: 'type', label: 'Type', placeholder: 'user.login_failed' },
  { name: 'user_id', label: 'User ID' },
  { name: 'client_id', label: 'Client ID' },
  { name: 'ip', label: 'IP address' },
  { name: 'q', label: 'Search subject or actor' },
] as const;
type Filters = Record<string, string>;

const FILTER_NAMES = ['type', 'user_id', 'client_id', 'ip', 'q', 'outcome', 'since', 'until'];

function filtersFromHash(): Filters {
  const query = window.location.hash.split('?')[1] ?? '';
  const params = new URLSearchParams(query);
  return Object.fromEntries(FILTER_NAMES.map((n) => [n, params.get(n) ?? '']));
}

/** The API's query: datetime-local inputs are local time, sent as ISO 8601. */
function apiQuery(f: Filters, extra: Record<string, unknown> = {}): string {
  const iso = (v: string) => (v ? new Date(v).toISOString() : undefined);
  return queryString({ ...f, since: iso(f.since), until: iso(f.until), ...extra });
}

function ChangeCell({ e }: { e: EventItem }) {
  if (!e.changes) return null;
  return (
    <details>
      <summary>{Object.keys(e.changes).join(', ')}</summary>
      <Box component="pre" sx={{ m: 0, fontSize: 12, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{JSON.stringify(e.changes, null, 2)}</Box>
    </details>
  );
}

function EventRow({ e }: { e: EventItem }) {
  return (
    <TableRow data-testid="event-row" data-type={e.type}>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>{new Date(e.time).toLocaleString()}</TableCell>
      <TableCell sx={{ fontFamily: 'monospace' }}>{e.type}</TableCell>
      <TableCell><Chip size="small" label={e.outcome} color={e.outcome === 'failure' ? 'error' : 'default'} /></TableCell>
      <TableCell>{e.actor.label}<Typography variant="caption" color="text.secondary" component="div">{e.actor.kind}</Typography></TableCell>
      <TableCell sx={{ overflowWrap: 'anywhere' }}>{e.subject}</TableCell>
      <TableCell>{e.ip}</TableCell>
      <TableCell sx={{ overflowWrap: 'anywhere' }}>{e.client_id}</TableCell>
      <TableCell sx={{ maxWidth: 360 }}><ChangeCell e={e} /></TableCell>
    </TableRow>
  );
}

export function EventsPage() {
  const [draft, setDraft] = useState<Filters>(filtersFromHash);
  const [filters, setFilters] = useState<Filters>(draft);
  const [items, setItems] = useState<EventItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [live, setLive] = useState(false);
  const newest = useRef(0);

  const load = useCallback(async (more?: string) => {
    try {
      const page = await api<{ items: EventItem[]; next_cursor: string | null }>('GET', `/events${apiQuery(filters, { cursor: more, limit: 50 })}`);
      setItems((old) => (more ? [...old, ...page.items] : page.items));
      if (!more) newest.current = page.items[0]?.id ?? 0;
      setCursor(page.next_cursor);
      setError(undefined);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Failed to load the events.');
    }
  }, [filters]);

  useEffect(() => { void load(); }, [load]);

  // Live tail: the newest page again; what is newer than the top row goes on top.
  useEffect(() => {
    if (!live) return undefined;
    const timer = setInterval(() => {
      void api<{ items: EventItem[] }>('GET', `/events${apiQuery(filters, { limit: 100 })}`).then((page) => {
        const fresh = page.items.filter((e) => e.id > newest.current);
        if (!fresh.length) return;
        newest.current = fresh[0].id;
        setItems((old) => [...fresh, ...old]);
      }, () => undefined);
    }, LIVE_POLL_MS);
    return () => clearInterval(timer);
  }, [live, filters]);

  const apply = () => {
    setFilters(draft);
    const query = queryString(draft);
    window.history.replaceState(null, '', `${window.location.pathname}#/events${query}`);
  };
  const set = (name: string) => (ev: { target: { value: string } }) => setDraft((d) => ({ ...d, [name]: ev.target.value }));

  return (
    <Card sx={{ mt: { xs: 1, sm: 2 }, p: 2 }}>
      <Title title="Events" />
      <Box component="form" onSubmit={(ev) => { ev.preventDefault(); apply(); }} aria-label="Event filters">
        <Stack direction="row" spacing={1} useFlexGap flexWrap="wrap" alignItems="center">
          {FIELDS.map((f) => (
            <TextField key={f.name} size="small" label={f.label} value={draft[f.name]} onChange={set(f.name)} placeholder={'placeholder' in f ? f.placeholder : undefined} />
          ))}
          <TextField select size="small" label="Outcome" value={draft.outcome} onChange={set('outcome')} sx={{ minWidth: 120 }}>
            <MenuItem value="">Any</MenuItem>
            <MenuItem value="success">success</MenuItem>
            <MenuItem value="failure">failure</MenuItem>
          </TextField>
          <TextField size="small" type="datetime-local" label="Since" value={draft.since} onChange={set('since')} slotProps={{ inputLabel: { shrink: true } }} />
          <TextField size="small" type="datetime-local" label="Until" value={draft.until} onChange={set('until')} slotProps={{ inputLabel: { shrink: true } }} />
          <Button type="submit" variant="contained">Apply</Button>
          <FormControlLabel control={<Switch checked={live} onChange={(ev) => setLive(ev.target.checked)} />} label="Live" />
        </Stack>
      </Box>
      {error && <Alert severity="error" sx={{ mt: 2 }}>{error}</Alert>}
      <TableContainer sx={{ mt: 2 }}>
        <Table size="small" aria-label="Events">
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell><TableCell>Type</TableCell><TableCell>Outcome</TableCell><TableCell>Who</TableCell>
              <TableCell>Subject</TableCell><TableCell>IP</TableCell><TableCell>Client</TableCell><TableCell>Changes</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>{items.map((e) => <EventRow key={e.id} e={e} />)}</TableBody>
        </Table>
      </TableContainer>
      {!items.length && !error && <Typography sx={{ p: 2 }} color="text.secondary">No events match.</Typography>}
      {cursor && <Button sx={{ mt: 1 }} onClick={() => void load(cursor)}>Load older events</Button>}
    </Card>
  );
}

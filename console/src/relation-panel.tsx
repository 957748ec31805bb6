// A record's links to other records (a user's teams, a team's members and roles): the linked
// records as chips, each with a confirmed remove button, and a search box to add one.
import { useState, type ReactNode } from 'react';
import { Autocomplete, Box, Button, Chip, IconButton, Stack, TextField, Typography } from '@mui/material';
import { Confirm, LinkBase, useGetList, useNotify, useRefresh } from 'react-admin';
import AddIcon from '@mui/icons-material/Add';
import CloseIcon from '@mui/icons-material/Close';
import { api } from './http.ts';

interface Linked { id: number; label: string }

interface RelationPanelProps {
  title: string;
  /** The linked records, and the resource they belong to (for their links and the search). */
  items: Linked[];
  resource: 'users' | 'teams' | 'roles';
  optionLabel: (record: Record<string, unknown>) => string;
  addLabel: string;
  add: (id: number) => Promise<unknown>;
  remove: (id: number) => Promise<unknown>;
  removeQuestion: (item: Linked) => string;
  testId: string;
}

export function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box component="section" aria-label={title} sx={{ p: 2 }}>
      <Typography variant="h6" component="h2" gutterBottom>{title}</Typography>
      {children}
    </Box>
  );
}

function useReport() {
  const notify = useNotify();
  const refresh = useRefresh();
  return async (work: () => Promise<unknown>, success: string) => {
    try {
      await work();
      notify(success, { type: 'success', messageArgs: { _: success } });
      refresh();
      return true;
    } catch (err) {
      const message = err instanceof Error ? err.message : 'Failed.';
      notify(message, { type: 'error', messageArgs: { _: message } });
      return false;
    }
  };
}

function AddLink({ resource, items, optionLabel, addLabel, add }: Pick<RelationPanelProps, 'resource' | 'items' | 'optionLabel' | 'addLabel' | 'add'>) {
  const [input, setInput] = useState('');
  const [choice, setChoice] = useState<Linked | null>(null);
  const report = useReport();
  const sort = resource === 'users' ? { field: 'email', order: 'ASC' as const } : { field: 'name', order: 'ASC' as const };
  const { data = [], isPending } = useGetList(resource, { pagination: { page: 1, perPage: 20 }, sort, filter: { q: input } });
  const options: Linked[] = data.map((r) => ({ id: Number(r.id), label: optionLabel(r) })).filter((o) => !items.some((i) => i.id === o.id));
  const submit = async () => {
    if (choice && await report(() => add(choice.id), `${addLabel}: ${choice.label}.`)) {
      setChoice(null);
      setInput('');
    }
  };
  return (
    <Stack direction="row" sx={{ gap: 1, alignItems: 'center', flexWrap: 'wrap', mt: 1.5 }}>
      <Autocomplete
        sx={{ flex: '1 1 220px', maxWidth: 400 }} size="small" options={options} loading={isPending} value={choice}
        isOptionEqualToValue={(a, b) => a.id === b.id} filterOptions={(o) => o}
        onChange={(_e, value) => setChoice(value)} inputValue={input} onInputChange={(_e, value) => setInput(value)}
        renderInput={(params) => <TextField {...params} label={addLabel} />}
      />
      <Button startIcon={<AddIcon />} onClick={submit} disabled={!choice} variant="outlined">{addLabel}</Button>
    </Stack>
  );
}

export function RelationPanel(props: RelationPanelProps) {
  const { title, items, resource, remove, removeQuestion, testId } = props;
  const [removing, setRemoving] = useState<Linked | null>(null);
  const report = useReport();
  return (
    <Panel title={title}>
      <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap' }} data-testid={testId}>
        {items.length === 0 && <Typography variant="body2" color="text.secondary">None.</Typography>}
        {items.map((item) => (
          <Box component="span" key={item.id} sx={{ display: 'inline-flex', alignItems: 'center' }}>
            <Chip label={item.label} component={LinkBase} to={`/${resource}/${item.id}`} clickable />
            <IconButton size="small" aria-label={`Remove ${item.label}`} onClick={() => setRemoving(item)}><CloseIcon fontSize="small" /></IconButton>
          </Box>
        ))}
      </Stack>
      <AddLink {...props} />
      <Confirm
        isOpen={Boolean(removing)} title={removing ? removeQuestion(removing) : ''} content="Privileges change at once." confirm="Remove"
        onConfirm={async () => {
          if (removing) await report(() => remove(removing.id), `Removed ${removing.label}.`);
          setRemoving(null);
        }}
        onClose={() => setRemoving(null)}
      />
    </Panel>
  );
}

export const postJson = (path: string, body: unknown) => api('POST', path, body);
export const del = (path: string) => api('DELETE', path);

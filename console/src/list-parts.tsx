// Pieces every list shares: a labelled search box (the API's `search`), yes/no filters, the
// switch to a one-column list on a phone, and JSON shown readably.
import type { ReactElement, ReactNode } from 'react';
import { useMediaQuery, type Theme } from '@mui/material';
import { BulkDeleteButton, NullableBooleanInput, TextInput } from 'react-admin';

export const searchFilter = (label = 'Search') => <TextInput key="q" source="q" label={label} alwaysOn resettable />;

export const yesNoFilter = (source: string, label: string, alwaysOn = false) => (
  <NullableBooleanInput key={source} source={source} label={label} alwaysOn={alwaysOn} nullLabel="Any" falseLabel="No" trueLabel="Yes" />
);

/** Bulk delete asks first (react-admin's default deletes at once, with a few seconds to undo). */
export const bulkDelete = <BulkDeleteButton mutationMode="pessimistic" />;

export const useIsPhone = () => useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));

/** `phone` on a narrow screen (a SimpleList), `wide` elsewhere (a DataTable). */
export function Responsive({ phone, wide }: { phone: ReactElement; wide: ReactElement }) {
  return useIsPhone() ? phone : wide;
}

export function JsonBlock({ value, label }: { value: unknown; label: ReactNode }) {
  if (value === null || value === undefined) return null;
  return (
    <figure style={{ margin: 0, minWidth: 0, flex: 1 }}>
      <figcaption><strong>{label}</strong></figcaption>
      <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 13, margin: '4px 0' }}>{JSON.stringify(value, null, 2)}</pre>
    </figure>
  );
}

export const fullName = (r: { first_name?: string; last_name?: string }) => `${r.first_name ?? ''} ${r.last_name ?? ''}`.trim();

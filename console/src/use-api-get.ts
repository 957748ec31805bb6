// A GET against the admin API for the pages that are not react-admin resources (dashboard,
// configuration), with its loading and error states.
import { useEffect, useState } from 'react';
import { api } from './http.ts';

type Loaded<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'done'; data: T };

export function useApiGet<T>(path: string): Loaded<T> {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    api<T>('GET', path).then(
      (data) => live && setResult({ state: 'done', data }),
      (err: unknown) => live && setResult({ state: 'error', message: err instanceof Error ? err.message : 'Failed to load.' }),
    );
    return () => {
      live = false;
    };
  }, [path]);
  return result;
}

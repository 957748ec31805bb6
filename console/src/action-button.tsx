// A button for one API operation beyond CRUD (activate, rotate a secret, retry a job...): it asks
// for confirmation first when the operation is destructive, reports the outcome, and refreshes.
import { useState, type ReactNode } from 'react';
import { Button } from '@mui/material';
import { Confirm, useNotify, useRefresh } from 'react-admin';

interface ActionButtonProps {
  label: string;
  icon?: ReactNode;
  /** Shown in a confirmation dialog before `run`; no dialog when absent. */
  confirm?: { title: string; content: ReactNode; confirmLabel?: string };
  /** Does the work; returns the success message. */
  run: () => Promise<string | void>;
  disabled?: boolean;
  color?: 'primary' | 'error' | 'warning' | 'inherit';
  variant?: 'text' | 'outlined' | 'contained';
}

export function ActionButton({ label, icon, confirm, run, disabled, color = 'primary', variant = 'text' }: ActionButtonProps) {
  const notify = useNotify();
  const refresh = useRefresh();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);

  const perform = async () => {
    setBusy(true);
    try {
      const message = await run();
      if (message) notify(message, { type: 'success', messageArgs: { _: message } });
      refresh();
    } catch (err) {
      const message = err instanceof Error ? err.message : 'The operation failed.';
      notify(message, { type: 'error', messageArgs: { _: message } });
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };

  return (
    <>
      {/* Labelled on every screen size (react-admin's own buttons shrink to a bare icon on a phone). */}
      <Button startIcon={icon} onClick={() => (confirm ? setAsking(true) : perform())} disabled={disabled || busy} color={color} variant={variant} size="small">
        {label}
      </Button>
      {confirm && (
        <Confirm
          isOpen={asking} loading={busy} title={confirm.title} content={confirm.content} confirm={confirm.confirmLabel ?? label}
          onConfirm={perform} onClose={() => setAsking(false)}
        />
      )}
    </>
  );
}

// The one-time secret dialog: the value in a read-only field (focus selects it all, the fallback
// where the clipboard API is missing, as on plain http), a Copy button, and the warning that the
// value will not be shown again.
import { useRef, useState, useSyncExternalStore } from 'react';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField, Typography } from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { currentSecret, dismissSecret, subscribeToSecrets } from './one-time-secret-store.ts';

async function copyText(value: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(value);
    return true;
  } catch {
    field?.focus();
    field?.select();
    // Deprecated, but the only way to copy outside a secure context.
    return document.execCommand('copy');
  }
}

export function OneTimeSecretDialog() {
  const secret = useSyncExternalStore(subscribeToSecrets, currentSecret);
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  if (!secret) return null;
  const close = () => {
    setCopied(null);
    dismissSecret();
  };
  return (
    // A click beside the dialog does not close it: the value would be lost.
    <Dialog open onClose={(_e, reason) => reason !== 'backdropClick' && close()} aria-labelledby="one-time-secret-title" fullWidth maxWidth="sm">
      <DialogTitle id="one-time-secret-title">{secret.title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <Alert severity="warning">Copy the {secret.label.toLowerCase()} now and keep it safe: it will not be shown again.</Alert>
          {secret.facts?.map((f) => (
            <Typography key={f.label} variant="body2" sx={{ wordBreak: 'break-all' }}>
              {f.label}: <strong data-testid={`one-time-${f.label.toLowerCase().replace(/\W+/g, '-')}`}>{f.value}</strong>
            </Typography>
          ))}
          <TextField
            label={secret.label} value={secret.value} fullWidth autoFocus inputRef={field}
            onFocus={(e) => e.target.select()}
            slotProps={{ htmlInput: { readOnly: true, 'data-testid': 'one-time-secret', spellCheck: false, style: { fontFamily: 'monospace' } } }}
          />
          {copied === 'yes' && <Alert severity="success">Copied to the clipboard.</Alert>}
          {copied === 'no' && <Alert severity="info">Copying is not available here: the value is selected, copy it with Ctrl+C.</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button startIcon={<ContentCopyIcon />} onClick={async () => setCopied(await copyText(secret.value, field.current) ? 'yes' : 'no')}>Copy</Button>
        <Button variant="contained" onClick={close}>I have saved it</Button>
      </DialogActions>
    </Dialog>
  );
}

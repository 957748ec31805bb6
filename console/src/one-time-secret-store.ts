// The secrets the API shows once (a new client's secret, a rotated secret, a new API key): the data
// provider announces each as it arrives, and the dialog mounted in the layout shows it until the
// administrator closes it. Nothing else keeps the value.

interface OneTimeSecret {
  title: string;
  /** What the value is, e.g. "Client secret". */
  label: string;
  value: string;
  /** Lines shown above the value, e.g. the client id. */
  facts?: Array<{ label: string; value: string }>;
}

type Listener = () => void;
let current: OneTimeSecret | null = null;
const listeners = new Set<Listener>();

export function announceSecret(secret: OneTimeSecret): void {
  current = secret;
  listeners.forEach((l) => l());
}

export function dismissSecret(): void {
  current = null;
  listeners.forEach((l) => l());
}

export function subscribeToSecrets(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const currentSecret = (): OneTimeSecret | null => current;

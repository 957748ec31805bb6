// Entry: asks the server who is signed in before anything renders. Signed out: off to the
// server's login page (which comes back here). Signed in but not staff: a page saying so.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { loginUrl } from './http.ts';
import { RefusedPage } from './refused-page.tsx';
import { loadSession } from './session.ts';

const root = createRoot(document.getElementById('root') as HTMLElement);

loadSession().then((state) => {
  if (state.kind === 'signed-out') {
    window.location.replace(loginUrl());
    return;
  }
  root.render(<StrictMode>{state.kind === 'refused' ? <RefusedPage message={state.message} /> : <App />}</StrictMode>);
}, (err: unknown) => {
  root.render(<p role="alert">The admin console could not reach the server: {err instanceof Error ? err.message : String(err)}. Reload to try again.</p>);
});

// The admin console: the Vite build in console/dist served at /admin/. Hashed assets are cached
// for a year (their names change with their content), index.html never is, so a new build shows
// at the next load. The build writes .br/.gz twins that are sent to browsers that take them. Any
// other /admin/* path is a client-side route of the SPA and gets index.html.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { html } from '../http/views/html.ts';
import { layout } from '../http/views/layout.ts';

const CONSOLE_PREFIX = '/admin/';
const DEFAULT_DIST = fileURLToPath(new URL('../../console/dist/', import.meta.url));
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

function notBuilt(): string {
  return layout({ title: 'The admin console is not built' }, html`
<p>Run <code>npm run build</code> (or <code>npm install</code>, which builds it), then restart the server.</p>
<p>The admin REST API under <code>/api/admin/</code> works without it.</p>`);
}

export async function consoleRoutes(app: FastifyInstance, opts: { distDir?: string } = {}): Promise<void> {
  const root = opts.distDir ?? DEFAULT_DIST;
  app.get('/admin', async (_request, reply) => reply.redirect(CONSOLE_PREFIX, 301));
  if (!existsSync(`${root}/index.html`)) {
    app.get('/admin/*', async (_request, reply) => reply.status(503).type('text/html; charset=utf-8').header('Cache-Control', REVALIDATE).send(notBuilt()));
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: CONSOLE_PREFIX,
    wildcard: false,
    preCompressed: true,
    cacheControl: false,
    globIgnore: ['**/*.br', '**/*.gz'],
    setHeaders(reply, path) {
      reply.header('Cache-Control', path.includes('/assets/') ? IMMUTABLE : REVALIDATE);
    },
  });
  // A deep link (/admin/users/42) is the SPA's to route: answer with its shell.
  app.get('/admin/*', async (_request, reply) => reply.header('Cache-Control', REVALIDATE).sendFile('index.html'));
}

// The two files every page links: the icon, and the script of the Copy buttons. Served from our
// origin because the pages' Content-Security-Policy allows scripts from 'self' only (no inline
// script); /favicon.ico answers too, for the browsers and tools that ask for it unprompted.
import type { FastifyInstance, FastifyReply } from 'fastify';

export const FAVICON_PATH = '/favicon.svg';
export const COPY_SCRIPT_PATH = '/static/copy.js';

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#2f6fb3"/><path d="M9 7h7a9 9 0 0 1 0 18H9z" fill="none" stroke="#fff" stroke-width="4"/></svg>`;

// A button with data-copy="<element id>" copies that element's value (or text) to the clipboard.
const COPY_SCRIPT = `document.addEventListener('click', function (event) {
  var button = event.target.closest && event.target.closest('button[data-copy]');
  if (!button) return;
  var source = document.getElementById(button.getAttribute('data-copy'));
  if (!source) return;
  var text = 'value' in source ? source.value : source.textContent;
  var done = function () { button.textContent = 'Copied'; };
  if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, function () { source.select && source.select(); });
  else { source.select && source.select(); document.execCommand('copy'); done(); }
});
`;

export async function pageAssetRoutes(app: FastifyInstance): Promise<void> {
  const icon = async (_request: unknown, reply: FastifyReply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON);
  app.get(FAVICON_PATH, icon);
  app.get('/favicon.ico', icon);
  app.get(COPY_SCRIPT_PATH, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(COPY_SCRIPT));
}

// Client secrets at the provider's back-channel endpoints (token, introspection, revocation) are
// key checks for the credential throttle (#20), like the GeoServer introspection's: a failed
// client authentication (401) counts against the client IP in the shared store, and an IP with no
// allowance left is refused before the provider checks anything: 429 with Retry-After in OAuth's
// JSON shape. The provider is a mounted Koa app, so this runs as a Fastify hook in front of it.
import type { FastifyInstance } from 'fastify';
import { countKeyMiss, keyCheckWait, type CredentialThrottle } from '../users/index.ts';
import { html } from './views/html.ts';
import { layout } from './views/layout.ts';

/** The provider endpoints that authenticate clients (after the /o/ and trailing-slash aliases are rewritten). */
const CLIENT_AUTH_ENDPOINT = /^\/openid\/(token|introspect|revoke)(?=\?|$)/;

/**
 * #24: the device page (RFC 8628 §5.1): a wrong user code (a 400 re-render) counts as a key check
 * too, at either spelling the provider serves (`/openid/device` and `/openid/device/`).
 */
const DEVICE_PAGE = /^\/openid\/device\/?(?=\?|$)/;

function deviceCodeThrottle(app: FastifyInstance, throttle: CredentialThrottle): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'POST' || !DEVICE_PAGE.test(request.url)) return done();
    const wait = keyCheckWait(throttle, request.ip);
    if (wait) {
      void reply.status(429).header('retry-after', String(wait)).type('text/html')
        .send(layout({ title: 'Sign in a device' }, html`<p class="error" role="alert">Too many wrong codes from this address. Try again in ${Math.ceil(wait / 60)} minute(s).</p>`));
      return;
    }
    const ip = request.ip;
    reply.raw.once('finish', () => {
      if (reply.raw.statusCode === 400) countKeyMiss(throttle, ip).catch((err: unknown) => request.log.warn({ err }, 'throttle.count_failed'));
    });
    done();
  });
}

export function registerClientAuthThrottle(app: FastifyInstance, throttle: CredentialThrottle): void {
  deviceCodeThrottle(app, throttle);
  app.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'POST' || !CLIENT_AUTH_ENDPOINT.test(request.url)) return done();
    const wait = keyCheckWait(throttle, request.ip);
    if (wait) {
      void reply.status(429).header('retry-after', String(wait)).header('cache-control', 'no-store')
        .send({ error: 'slow_down', error_description: 'Too many failed client authentications from this address; retry after the time Retry-After gives.' });
      return;
    }
    const ip = request.ip;
    reply.raw.once('finish', () => {
      if (reply.raw.statusCode === 401) countKeyMiss(throttle, ip).catch((err: unknown) => request.log.warn({ err }, 'throttle.count_failed'));
    });
    done();
  });
}

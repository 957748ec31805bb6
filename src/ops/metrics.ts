// Prometheus metrics (prom-client). Request counts and latencies per route and status are
// taken in one onResponse hook; logins and authkey checks are read off their routes' statuses,
// so no capability has to know about metrics.
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { sql } from 'drizzle-orm';
import type { ChangeFeed } from '../db/change-feed.ts';
import type { Db } from '../db/client.ts';

export function createMetrics(db: Db, changes?: ChangeFeed) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry }); // process memory, CPU, event-loop lag
  const requests = new Counter({ name: 'djam_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'djam_http_request_duration_seconds', help: 'HTTP request latency', labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry],
  });
  const tokens = new Counter({ name: 'djam_tokens_issued_total', help: 'Tokens issued per grant type', labelNames: ['grant_type'], registers: [registry] });
  const logins = new Counter({ name: 'djam_logins_total', help: 'Sign-in attempts', labelNames: ['result'], registers: [registry] });
  const events = new Counter({ name: 'djam_events_total', help: 'Events recorded in the event log (#21), per type and outcome', labelNames: ['type', 'outcome'], registers: [registry] });
  const authkeys = new Counter({ name: 'djam_authkey_checks_total', help: 'GeoServer authkey checks', labelNames: ['result'], registers: [registry] });
  // With DJAM_WORKERS > 1 each scrape is answered by one worker: the pid says which one.
  new Gauge({ name: 'djam_process_info', help: 'The server process that answered', labelNames: ['pid'], registers: [registry] }).set({ pid: String(process.pid) }, 1);
  new Gauge({
    name: 'djam_jobs', help: 'Background jobs per status', labelNames: ['status'], registers: [registry],
    async collect() {
      const result = await db.execute(sql`select status, count(*)::int as n from jobs group by status`).catch(() => undefined);
      this.reset();
      for (const row of (result as unknown as { rows?: Array<{ status: string; n: number }> })?.rows ?? []) this.set({ status: row.status }, row.n);
    },
  });
  if (changes) {
    // 0 while this node may miss changes (its caches are bypassed meanwhile): alert on it.
    new Gauge({ name: 'djam_change_feed_up', help: 'Whether the change feed (LISTEN connection) is live: 1, or 0 while caches are bypassed', registers: [registry],
      collect() { this.set(changes.isLive() ? 1 : 0); } });
    new Gauge({ name: 'djam_change_feed_reconnects', help: 'Times the change feed came back after being lost', registers: [registry],
      collect() { this.set(changes.stats.reconnects); } });
    new Gauge({ name: 'djam_change_feed_confirm_timeouts', help: 'Changes whose acknowledgement by every node timed out (a node not answering)', registers: [registry],
      collect() { this.set(changes.stats.confirmTimeouts); } });
  }

  function instrument(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const status = reply.statusCode;
      requests.inc({ method: request.method, route, status });
      latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
      if (route === '/accounts/login/' && request.method === 'POST') logins.inc({ result: status === 302 ? 'ok' : 'failed' });
      if (route === '/openid/authkey/introspect/') authkeys.inc({ result: status === 200 ? 'ok' : 'refused' });
    });
  }

  return {
    registry, instrument, tokenIssued: (grantType: string) => tokens.inc({ grant_type: grantType }),
    eventRecorded: (type: string, outcome: string) => events.inc({ type, outcome }),
  };
}

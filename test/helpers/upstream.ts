// A real upstream service for the proxy tests (node:http on an ephemeral 127.0.0.1 port): every
// path echoes what arrived as JSON, except a few `_`-prefixed last segments that redirect, hang,
// answer a chosen status, serve an HTML page with its own or chosen headers or stream a large
// body. Bodies are counted, never kept.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';

export interface Echo { method: string; url: string; headers: Record<string, string | string[] | undefined>; bytes: number }

export interface Upstream {
  origin: string;
  /** Requests per path (without query), counted when they arrive. */
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 'x');

async function countBody(req: IncomingMessage): Promise<number> {
  let bytes = 0;
  for await (const chunk of req) bytes += (chunk as Buffer).length;
  return bytes;
}

/** Writes `megabytes` MB in 64 KB chunks, honouring backpressure. */
function streamBody(res: ServerResponse, megabytes: number): void {
  let left = megabytes * 16;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(megabytes * 1024 * 1024) });
  const pump = () => {
    while (left > 0) {
      left--;
      if (!res.write(CHUNK)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://upstream');
  const last = url.pathname.split('/').pop();
  if (last === '_hang') return; // never answers: the proxy must give up on its own
  if (last === '_redirect') {
    res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
    return;
  }
  if (last === '_status') {
    res.writeHead(Number(url.searchParams.get('code')), { 'content-type': 'text/plain', 'retry-after': '1' }).end('status page');
    return;
  }
  if (last === '_page') {
    res.writeHead(200, { 'content-type': 'text/html', 'x-frame-options': 'SAMEORIGIN', 'referrer-policy': 'no-referrer' }).end('<script>1</script>');
    return;
  }
  if (last === '_headers') {
    // Every query parameter is a response header; a repeated one (Set-Cookie) gives several lines.
    const headers: Record<string, string[]> = {};
    for (const [name, value] of url.searchParams) (headers[name] ??= []).push(value);
    res.writeHead(200, { 'content-type': 'text/html', ...headers }).end('<p>chosen headers</p>');
    return;
  }
  if (last === '_download') return streamBody(res, Number(url.searchParams.get('mb') ?? '1'));
  const bytes = await countBody(req);
  const echo: Echo = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, bytes };
  res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'upstream_cookie=1; Path=/' }).end(JSON.stringify(echo));
}

export async function startUpstream(): Promise<Upstream> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    hits.set(path, (hits.get(path) ?? 0) + 1);
    handle(req, res).catch((err: unknown) => res.destroy(err as Error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections(); // hung requests would keep close() waiting
      server.close(() => resolve());
    }),
  };
}

/** A port nothing listens on: bound once, then released. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    }).on('error', reject);
  });
}

// One HTTP/1.1 exchange over a raw socket, so that a fuzzed request can hold what fetch refuses
// to send (invalid UTF-8 in the target, control bytes in headers, odd methods, wrong lengths).
import { connect } from 'node:net';

export interface RawRequest { method: string; target: string; headers: Array<[string, string]>; body: Buffer }
export interface RawResponse { status: number; headers: Record<string, string>; body: string }
/** The server closed or reset the connection without a complete answer. */
export interface NoAnswer { noAnswer: string }

export function serialize(port: number, req: RawRequest): Buffer {
  const lines = [`${req.method} ${req.target} HTTP/1.1`, `host: 127.0.0.1:${port}`, 'connection: close'];
  for (const [name, value] of req.headers) lines.push(`${name}: ${value}`);
  if (!req.headers.some(([n]) => /^(content-length|transfer-encoding)$/i.test(n)) && req.body.length) lines.push(`content-length: ${req.body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), req.body]);
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const eol = body.indexOf('\r\n', at);
    const size = parseInt(body.subarray(at, eol).toString('latin1'), 16);
    if (eol < 0 || !(size > 0)) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 4 + size;
  }
  return Buffer.concat(parts);
}

function parse(bytes: Buffer): RawResponse | NoAnswer {
  const end = bytes.indexOf('\r\n\r\n');
  const status = /^HTTP\/1\.1 (\d{3})/.exec(bytes.subarray(0, 12).toString('latin1'));
  if (end < 0 || !status) return { noAnswer: bytes.length ? `unparsable answer: ${bytes.subarray(0, 80).toString('latin1')}` : 'closed without an answer' };
  const headers: Record<string, string> = {};
  for (const line of bytes.subarray(0, end).toString('latin1').split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = bytes.subarray(end + 4);
  const body = headers['transfer-encoding'] === 'chunked' ? dechunk(rest) : rest;
  return { status: Number(status[1]), headers, body: body.toString('utf8') };
}

export function exchange(port: number, bytes: Buffer, timeoutMs = 5_000): Promise<RawResponse | NoAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1');
    const timer = setTimeout(() => { socket.destroy(); resolve({ noAnswer: `no answer within ${timeoutMs} ms` }); }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after a complete answer (the server closing while we still send a huge body) is fine.
    socket.on('error', () => undefined);
    socket.on('close', () => { clearTimeout(timer); resolve(parse(Buffer.concat(chunks))); });
    // No half-close after the request: browsers and HTTP libraries keep their side open until the
    // answer (Node aborts a request whose client half-closed before a streamed answer began).
    socket.write(bytes);
  });
}

// `node --import tsx bench/upstream.ts`, started by bench/run.ts: the upstream of the proxy
// scenarios, a JSON hello on an ephemeral 127.0.0.1 port, in a process of its own so that it
// neither shares an event loop with the load generator nor steals its time (the "direct
// upstream" row measures it alone). It reports its port over IPC and exits with the runner.
import { createServer } from 'node:http';

const BODY = '{"hello":"world"}';

const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(BODY));
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));
process.on('disconnect', () => process.exit(0));

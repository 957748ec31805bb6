// Logger options shared by the server (Fastify's pino) and `djam worker`: the level, the paths
// that are always redacted, and the output format. JSON lines are for machines (containers, log
// shippers, `| jq`); pretty lines are for a person watching `npm start` in a terminal.
import type { DestinationStream, LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.ts';

type LogOptions = LoggerOptions & { stream?: DestinationStream };

// Only method, URL (secret parameters masked) and status are logged per request; these paths
// guard whatever else a handler might log by mistake, at the top level and one level down.
const SECRET_FIELDS = ['authorization', 'cookie', 'password', 'client_secret', 'clientSecret', 'access_token', 'refresh_token', 'authkey'];
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', ...SECRET_FIELDS, ...SECRET_FIELDS.map((f) => `*.${f}`)];

/** 'auto' is pretty only where a person reads it: the local profile with stdout on a terminal. */
export function isPrettyLog(config: Config, isTerminal = Boolean(process.stdout.isTTY)): boolean {
  if (config.DJAM_LOG_FORMAT === 'auto') return config.DJAM_PROJECT_ENVIRONMENT === 'local' && isTerminal;
  return config.DJAM_LOG_FORMAT === 'pretty';
}

export function logOptions(config: Config): LogOptions {
  const options: LogOptions = { level: config.DJAM_LOG_LEVEL, redact: REDACT };
  if (!isPrettyLog(config)) return options;
  // In the main thread and synchronous (no transport worker): the last lines before
  // process.exit() are written too, and a local server logs little.
  const stream = pretty({ sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  return { ...options, stream };
}

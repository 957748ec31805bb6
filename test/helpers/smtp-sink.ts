// A real SMTP server on 127.0.0.1 (smtp-server) that keeps every message it accepts, parsed by
// mailparser: the process edge the mail tests talk to. `hangNext` makes the next DATA never
// answer, as a stuck mail server would.
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  port: number;
  readonly messages: ParsedMail[];
  /** Resolves once `count` messages arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** The next message's DATA is read but never acknowledged; resolves when that DATA begins. */
  hangNext(): Promise<void>;
  /** The next message is kept but acknowledged (250) only after `ms`, as a slow mail server would. */
  slowNext(ms: number): void;
  close(): Promise<void>;
}

/** `ackDelayMs`: every message is acknowledged that long after it arrived. */
export async function startSmtpSink(port = 0, opts: { ackDelayMs?: number } = {}): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const waiters = new Set<() => void>();
  let hang: (() => void) | undefined;
  let slow: number | undefined;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'], authOptional: true, logger: false,
    onData(stream, _session, callback) {
      const hung = hang;
      hang = undefined;
      if (hung) {
        stream.resume();
        hung();
        return; // never calls back: the client waits until it gives up or dies
      }
      const delayMs = slow ?? opts.ackDelayMs ?? 0;
      slow = undefined;
      simpleParser(stream).then((mail) => {
        messages.push(mail);
        for (const wake of waiters) wake();
        if (delayMs) setTimeout(() => callback(), delayMs);
        else callback();
      }, (err: Error) => callback(err));
    },
  });
  // Connection errors (a client killed mid-session resets its socket) are the tests' business, not a crash.
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as { port: number }).port,
    messages,
    waitFor(count, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(messages);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} messages, got ${messages.length} in ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    hangNext: () => new Promise<void>((resolve) => { hang = resolve; }),
    slowNext: (ms) => { slow = ms; },
    close: () => new Promise<void>((resolve) => {
      // Hung connections would keep close() waiting for its grace period: end them now.
      for (const connection of server.connections) connection.close();
      server.close(() => resolve());
    }),
  };
}

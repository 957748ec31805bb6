// Passes an upstream's answer, as undici delivers it, to a Fastify reply: status, headers and body
// go through Fastify's reply (our onSend hooks still fill in security headers, the request log
// and metrics still see it). An answer that arrives whole in the socket read that brought its
// headers (most small ones) is sent as one buffer, which spares a stream per request; any other
// answer is streamed from that moment, its backpressure pausing the upstream socket. Nothing
// waits for more data, and no more than one read (at most HELD_BYTES) is ever held.
import { Readable } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { Dispatcher } from 'undici';

/** A bound on what is held while a read is parsed; past it the answer streams at once. */
const HELD_BYTES = 64 * 1024;

export interface RelayCallbacks {
  /** Status, then headers, onto the reply; throws (before any header) when the status cannot be passed on. */
  start(reply: FastifyReply, statusCode: number, headers: IncomingHttpHeaders): void;
  /** The answer when the upstream fails before anything of its response reached the reply. */
  fail(reply: FastifyReply, error: Error): void;
}

interface Held { statusCode: number; headers: IncomingHttpHeaders; chunks: Buffer[]; bytes: number }

/**
 * Whether an answer may go as a buffer: it has a type (Fastify would label an untyped buffer
 * application/octet-stream, a stream it leaves alone) and a status that allows a body (Fastify
 * strips a streamed 204's length headers and leaves a 304's as sent).
 */
function holdable(statusCode: number, headers: IncomingHttpHeaders): boolean {
  return statusCode !== 204 && statusCode !== 304 && headers['content-type'] !== undefined;
}

export class ReplyRelay implements Dispatcher.DispatchHandler {
  readonly #reply: FastifyReply;
  readonly #callbacks: RelayCallbacks;
  /** The answer so far, while it may still complete within the current read; nothing is on the reply yet. */
  #held: Held | undefined;
  #stream: Readable | undefined;

  constructor(reply: FastifyReply, callbacks: RelayCallbacks) {
    this.#reply = reply;
    this.#callbacks = callbacks;
  }

  /** Present so undici drives this handler through the controller API (pause, resume, abort). */
  onRequestStart(): void {}

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // 1xx (Early Hints): the final answer follows
    if (!holdable(statusCode, headers)) {
      this.#startStream(controller, statusCode, headers);
      return;
    }
    this.#held = { statusCode, headers, chunks: [], bytes: 0 };
    // Microtasks run once undici has parsed the whole read: an answer still open then streams.
    queueMicrotask(() => this.#streamHeld(controller));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const held = this.#held;
    if (held) {
      held.chunks.push(chunk);
      held.bytes += chunk.length;
      if (held.bytes > HELD_BYTES) this.#streamHeld(controller);
    } else if (this.#stream && !this.#stream.push(chunk)) {
      controller.pause();
    }
  }

  onResponseEnd(): void {
    const held = this.#held;
    if (!held) return void this.#stream?.push(null);
    this.#held = undefined;
    this.#callbacks.start(this.#reply, held.statusCode, held.headers);
    const { chunks } = held;
    this.#reply.send(chunks.length === 0 ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#held = undefined;
    if (this.#stream) return void this.#stream.destroy(error);
    // Nothing of the answer reached the reply: the client gets a 502 or 504.
    if (!this.#reply.sent) this.#callbacks.fail(this.#reply, error);
  }

  #streamHeld(controller: Dispatcher.DispatchController): void {
    const held = this.#held;
    if (!held) return; // completed (or failed) within the read
    this.#held = undefined;
    try {
      const stream = this.#startStream(controller, held.statusCode, held.headers);
      let open = true;
      for (const chunk of held.chunks) open = stream.push(chunk);
      if (!open) controller.pause();
    } catch (error) {
      // From a microtask, outside undici's own guard: fail the exchange (a 502), never the process.
      controller.abort(error as Error);
    }
  }

  #startStream(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): Readable {
    this.#callbacks.start(this.#reply, statusCode, headers);
    const stream = new Readable({
      read: () => controller.resume(),
      // Destroyed before its end, the client went away (Fastify destroys the payload): stop reading the upstream too.
      destroy: (error, callback) => {
        if (error || !stream.readableEnded) controller.abort(error ?? new Error('the client closed the connection'));
        callback(error);
      },
    });
    this.#stream = stream;
    this.#reply.send(stream);
    return stream;
  }
}

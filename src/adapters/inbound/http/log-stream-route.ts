import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDomainError } from '../../../domain/domain-errors.js';
import type { HttpRoute } from './http-app.js';
import { RPC, type Refuse } from './json-rpc-refusal.js';

/** One event of a live runtime-log stream, as the hub hands it out (its id is opaque: resume after it). */
export interface StreamEvent {
  readonly id: string;
  readonly item:
    | { readonly type: 'line'; readonly line: { readonly timestamp?: string; readonly process?: string; readonly message: string } }
    | { readonly type: 'gap' | 'restarted'; readonly missed: number | null; readonly reason: string }
    | { readonly type: 'end'; readonly reason: string };
}

/** What the route needs of a subscription (the application's RuntimeLogSubscription). */
export interface StreamSubscription {
  read(max?: number): StreamEvent[];
  skip(): number;
  /** Items still to read (some may be filtered out by the read). */
  readonly pending: number;
  readonly closed: boolean;
  close(): void;
}

export interface StreamRequest {
  readonly appName: string;
  readonly processType?: string;
  readonly after?: string;
  readonly backlog?: number;
  readonly onAvailable: () => void;
}

export interface LogStreamRouteOptions {
  /** SubscribeRuntimeLogs for the request's caller (tenant, scopes and limits apply there). */
  readonly subscribe: (request: IncomingMessage, input: StreamRequest) => Promise<StreamSubscription>;
  /** Redacts a refusal's text with the app's own config values too (Dokku's message may echo them). */
  readonly redact: (appName: string | undefined, text: string) => Promise<string>;
  readonly refuse: Refuse;
  /** Comment lines this often keep proxies and clients from timing the stream out. */
  readonly heartbeatMs: number;
  /** Registers a listener for the server's shutdown: every stream ends with a final `end` event. */
  readonly onShutdown: (listener: (why: string) => void) => () => void;
}

export const LOG_STREAM_PATH = '/apps/:name/logs/stream';

/** Events written per turn before giving the event loop back (a burst is sent in slices, never all at once). */
const BATCH = 64;

/** The HTTP status each refusal of the subscription gets (a missing app and another tenant's are the same 404). */
const STATUS: Record<string, number> = {
  APP_NOT_FOUND: 404,
  INVALID_ARGUMENT: 400,
  ACCESS_DENIED: 403,
  LIMIT_EXCEEDED: 429,
  NOT_DEPLOYED: 409,
  HOST_UNREACHABLE: 503,
  STATE_STORE_UNAVAILABLE: 503,
  DOKKU_COMMAND_FAILED: 502,
};
/** Refusals about an app that was not found or not allowed: its config must not be read to redact them. */
const NOT_THE_APPS = new Set(['APP_NOT_FOUND', 'INVALID_ARGUMENT', 'ACCESS_DENIED']);

/**
 * The note's wire format: `container` carries the line's process (web.1). An event of this route's own (a gap while
 * backpressured, the shutdown's end) has no `id:`, so the client's Last-Event-ID stays the last line it got.
 */
function frame(event: { readonly id?: string; readonly item: StreamEvent['item'] }): string {
  const { item } = event;
  const data =
    item.type === 'line'
      ? { timestamp: item.line.timestamp ?? null, container: item.line.process ?? null, message: item.line.message }
      : item.type === 'end'
        ? { reason: item.reason }
        : { missed: item.missed, reason: item.reason };
  // JSON never holds a raw newline, so one data line carries the event whatever the message contains.
  const id = event.id === undefined ? '' : `id: ${event.id}\n`;
  return `${id}event: ${item.type === 'line' ? 'log' : item.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

function parseLines(raw: unknown): number | string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw)) return `lines must be a whole number (the backlog to send first), got ${JSON.stringify(raw).slice(0, 40)}`;
  return Number(raw);
}

/**
 * GET /apps/{name}/logs/stream: an app's live runtime logs as Server-Sent Events, for hosted agents. Behind the bearer
 * middleware like every route. Each line is `event: log` with an opaque `id:` (send it back as Last-Event-ID to
 * resume); markers are `event: gap | restarted | end`; comments keep the stream alive. Query: `lines` (backlog from
 * the stream's buffer, at most logs.runtime.max_lines) and `process_type`. A client whose socket is backpressured
 * (res.write returned false) has its lines skipped and counted until the socket drains, then gets one `gap` saying how
 * many: at most one batch is ever queued for it.
 */
export function logStreamRoute(options: LogStreamRouteOptions): HttpRoute {
  return {
    method: 'get',
    path: LOG_STREAM_PATH,
    handle: async (req, res) => {
      const lines = parseLines(req.query.lines);
      if (typeof lines === 'string') return options.refuse(res, 400, RPC.invalidRequest, `Bad Request: ${lines}.`);
      const processType = req.query.process_type;
      if (processType !== undefined && typeof processType !== 'string') {
        return options.refuse(res, 400, RPC.invalidRequest, 'Bad Request: process_type must be given once, e.g. process_type=web.');
      }
      const after = req.header('last-event-id');
      const stream = new SseStream(res, options.heartbeatMs);
      let subscription: StreamSubscription;
      try {
        subscription = await options.subscribe(req, {
          appName: String(req.params.name),
          processType,
          after: after === undefined || after === '' ? undefined : after,
          backlog: lines,
          onAvailable: () => stream.schedule(),
        });
      } catch (error) {
        stream.cancel();
        if (!isDomainError(error) || STATUS[error.code] === undefined) throw error; // the app's error answer: 500, logged
        const hint = 'hint' in error && typeof error.hint === 'string' ? ` ${error.hint}` : '';
        const headers: Record<string, string> = STATUS[error.code] === 429 || STATUS[error.code] === 503 ? { 'Retry-After': '5' } : {};
        const sentence = /[.!?)]$/.test(error.message.trim()) ? error.message.trim() : `${error.message.trim()}.`;
        const text = await options.redact(NOT_THE_APPS.has(error.code) ? undefined : String(req.params.name), `${sentence}${hint}`);
        return options.refuse(res, STATUS[error.code]!, RPC.serverError, text, headers);
      }
      if (res.destroyed) return subscription.close(); // the client left while we subscribed
      const stopListening = options.onShutdown((why) => stream.finish(`the server is shutting down (${why})`));
      stream.start(subscription, () => stopListening());
    },
  };
}

/** One client's stream: writes events while the socket takes them, skips and counts while it does not. */
class SseStream {
  private subscription?: StreamSubscription;
  private scheduled = false;
  private backpressured = false;
  private skipped = 0;
  private done = false;
  private heartbeat?: NodeJS.Timeout;
  private onDone: () => void = () => undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly heartbeatMs: number,
  ) {}

  start(subscription: StreamSubscription, onDone: () => void): void {
    this.subscription = subscription;
    this.onDone = onDone;
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no', // nginx: pass each event at once
    });
    this.res.write(': dokku-mcp live runtime logs\n\n');
    this.res.on('drain', () => this.drained());
    this.res.once('close', () => this.close());
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), this.heartbeatMs);
    this.heartbeat.unref();
    this.schedule();
  }

  /** The subscription has something new: sent on the next turn, so that a burst goes out in few writes. */
  schedule(): void {
    if (this.scheduled || this.done || !this.subscription) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** The subscription was refused before the stream started. */
  cancel(): void {
    this.done = true;
  }

  /** Ends the stream with a last `end` event (server shutdown). */
  finish(reason: string): void {
    if (this.done) return;
    this.res.write(frame({ item: { type: 'end', reason } }));
    this.close();
    this.res.end();
  }

  private pump(): void {
    const subscription = this.subscription;
    if (this.done || !subscription) return;
    if (this.backpressured) {
      this.skipped += subscription.skip();
      return;
    }
    const events = subscription.read(BATCH);
    // One frame at a time, so that what waits in the socket's buffer past its high-water mark is one frame at most:
    // once a write says the buffer is full, the rest of this batch is skipped and counted like what comes later.
    this.res.cork();
    for (let i = 0; i < events.length; i++) {
      if (!this.write(frame(events[i]!))) {
        this.backpressured = true;
        this.skipped += events.length - i - 1;
        break;
      }
    }
    this.res.uncork();
    if (subscription.closed) {
      this.close();
      this.res.end();
      return;
    }
    // More is waiting (a read may give fewer than BATCH events yet leave some: lines of other processes are passed over).
    if (subscription.pending > 0 && !this.backpressured) this.schedule();
  }

  private drained(): void {
    if (this.done || !this.subscription) return;
    this.backpressured = false;
    this.skipped += this.subscription.skip();
    if (this.skipped > 0) {
      const missed = this.skipped;
      this.skipped = 0;
      this.write(frame({
        item: { type: 'gap', missed, reason: 'this client read slower than the stream ran; its lines were skipped while its connection was full' },
      }));
    }
    this.schedule();
  }

  private write(text: string): boolean {
    if (this.done || this.res.destroyed) return false;
    return this.res.write(text);
  }

  private close(): void {
    if (this.done) return;
    this.done = true;
    clearInterval(this.heartbeat);
    this.subscription?.close();
    this.onDone();
  }
}

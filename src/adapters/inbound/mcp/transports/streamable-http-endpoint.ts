import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { RPC } from '../../http/json-rpc-refusal.js';
import type { BoundedEventStore } from './bounded-event-store.js';
import { admitSession, guarded, header, requireJsonBody, startSession, tokenOf, withinRateLimit, type HttpRequest, type McpHttpDeps } from './http-session-support.js';
import type { TrackedSession } from './http-session-table.js';

const SESSION_HEADER = 'mcp-session-id';
/** How long a client whose stream was cut waits before reconnecting with Last-Event-ID (the SSE `retry` field). */
const RETRY_MS = 1_000;

/**
 * MCP Streamable HTTP on one path: POST (messages; each request its own SSE stream, several at once), GET (the
 * session's stream for server-initiated notifications), DELETE (ends the session). One stateful
 * StreamableHTTPServerTransport and one McpServer per session. We answer what can be refused before the SDK sees the
 * request (Accept, Content-Type, a missing or unknown session, the session cap), in the same JSON-RPC shape as the
 * SDK's own refusals, each naming what to send instead.
 */
export class StreamableHttpEndpoint {
  private readonly transports = new Map<string, StreamableHTTPServerTransport>();

  constructor(
    private readonly deps: McpHttpDeps,
    private readonly events: BoundedEventStore,
  ) {}

  readonly post = async (req: HttpRequest, res: ServerResponse): Promise<void> => {
    if (!this.accepts(req, res, ['application/json', 'text/event-stream'])) return;
    if (!requireJsonBody(this.deps, req, res)) return;
    if (Array.isArray(req.body) && req.body.length === 0) {
      // JSON-RPC: an empty batch is an invalid request (the SDK would accept it and answer nothing).
      this.deps.refuse(res, 400, RPC.invalidRequest, 'Invalid Request: an empty batch ([]); send one JSON-RPC message, or a batch of at least one.');
      return;
    }
    const id = header(req, SESSION_HEADER);
    if (id === undefined) {
      const messages = Array.isArray(req.body) ? req.body : [req.body];
      if (!messages.some((message) => isInitializeRequest(message))) {
        this.deps.refuse(res, 400, RPC.serverError,
          'Bad Request: the Mcp-Session-Id header is missing. Send the id the initialize response gave, in that header; ' +
          'or start a session by POSTing an initialize request without it.');
        return;
      }
      await this.initialize(req, res);
      return;
    }
    await this.forward(req, res, id, 'POST');
  };

  readonly get = async (req: HttpRequest, res: ServerResponse): Promise<void> => {
    if (!this.accepts(req, res, ['text/event-stream'])) return;
    const id = this.sessionIdOf(req, res, 'GET');
    if (id === undefined || !this.resumable(req, res, id)) return;
    await this.forward(req, res, id, 'GET');
  };

  /**
   * Resumption, our part (see BoundedEventStore): a Last-Event-ID that cannot resume is refused here with why (the SDK
   * would answer a bare 500); a GET without one is given the cursor the store says it needs, so that notifications
   * sent before the stream opened, or lost when a resumed stream was cut at once, are replayed rather than lost.
   */
  private resumable(req: HttpRequest, res: ServerResponse, id: string): boolean {
    if (!this.owned(req, id)) return true; // forward() answers 404 for it
    const lastEventId = header(req, 'last-event-id');
    if (lastEventId !== undefined) {
      const refusal = this.events.resumeRefusal(id, lastEventId);
      if (refusal === undefined) return true;
      this.deps.refuse(res, 400, RPC.serverError, `Bad Request: cannot resume from Last-Event-ID ${JSON.stringify(lastEventId.slice(0, 100))}: ${refusal}`);
      return false;
    }
    const cursor = this.events.cursorForFreshGet(id);
    if (cursor !== undefined) {
      // The SDK reads the header through @hono/node-server, which looks at rawHeaders: set both.
      req.headers['last-event-id'] = cursor;
      req.rawHeaders.push('Last-Event-ID', cursor);
    }
    return true;
  };

  readonly delete = async (req: HttpRequest, res: ServerResponse): Promise<void> => {
    const id = this.sessionIdOf(req, res, 'DELETE');
    if (id !== undefined) await this.forward(req, res, id, 'DELETE');
  };

  private async initialize(req: HttpRequest, res: ServerResponse): Promise<void> {
    // Our id, made before the session so that its caller knows it; the transport hands out this one.
    const id = randomUUID();
    const admitted = await admitSession(this.deps, 'http', id, req, res);
    if (!admitted) return;
    let transport: StreamableHTTPServerTransport | undefined;
    const { session, tracked } = await startSession(this.deps, 'http', id, admitted, (s) => {
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => id,
        eventStore: this.events.forSession(id, () => s.notifyAllSubscriptions()),
        retryInterval: RETRY_MS,
      });
      return transport;
    }, () => {
      this.transports.delete(id);
      this.events.dropSession(id);
    });
    this.transports.set(id, transport!);
    await this.handle(tracked, transport!, req, res);
    // The SDK refused the request before initializing (e.g. a batch with initialize): no session came of it.
    if (transport!.sessionId === undefined) await session.close();
  }

  private async forward(req: HttpRequest, res: ServerResponse, id: string, method: string): Promise<void> {
    const tracked = this.owned(req, id);
    const transport = this.transports.get(id);
    if (!tracked || !transport) {
      this.deps.refuse(res, 404, RPC.sessionNotFound,
        `Session not found: ${method} for a session this server does not have (it ended, was idle longer than ` +
        `transport.session_idle_minutes = ${this.deps.sessions.limits.idleMs / 60_000}, or the server restarted). ` +
        'Start a new session: POST an initialize request without the Mcp-Session-Id header.');
      return;
    }
    if (method === 'POST' && !(await withinRateLimit(this.deps, tracked, req.body, res))) return;
    await this.handle(tracked, transport, req, res);
  }

  /** The session `id` if the request's token opened it; another token's is answered exactly as one that does not exist. */
  private owned(req: HttpRequest, id: string): TrackedSession | undefined {
    return this.deps.sessions.get(id, 'http', tokenOf(this.deps, req, id, 'http'));
  }

  /** The request (and a stream it opens) keeps the session from idling until its response ends. */
  private async handle(tracked: TrackedSession, transport: StreamableHTTPServerTransport, req: HttpRequest, res: ServerResponse): Promise<void> {
    const done = tracked.open();
    res.once('close', done);
    await guarded(this.deps, res, req.method ?? 'request', () => transport.handleRequest(req, res, req.body));
  }

  private sessionIdOf(req: HttpRequest, res: ServerResponse, method: string): string | undefined {
    const id = header(req, SESSION_HEADER);
    if (id === undefined) {
      this.deps.refuse(res, 400, RPC.serverError,
        `Bad Request: ${method} /mcp needs the Mcp-Session-Id header, with the id the initialize response gave.`);
    }
    return id;
  }

  private accepts(req: HttpRequest, res: ServerResponse, types: readonly string[]): boolean {
    const accept = (header(req, 'accept') ?? '').toLowerCase();
    if (types.every((type) => accept.includes(type))) return true;
    this.deps.refuse(res, 406, RPC.serverError,
      `Not Acceptable: send the header Accept: ${types.join(', ')} (${req.method} /mcp may answer with ${types.length > 1 ? 'either' : 'a Server-Sent Events stream'}).`);
    return false;
  }
}

import type { ServerResponse } from 'node:http';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { RPC } from '../../http/json-rpc-refusal.js';
import { admitSession, guarded, requireJsonBody, startSession, tokenOf, withinRateLimit, type HttpRequest, type McpHttpDeps } from './http-session-support.js';

/** Where the legacy transport tells its client to POST (the SDK appends `?sessionId=…`). */
export const LEGACY_MESSAGES_PATH = '/messages';

/**
 * The deprecated HTTP+SSE transport (protocol 2024-11-05) for older clients: `GET /sse` opens the session's stream
 * and announces `POST /messages?sessionId=…`, where the client sends its messages. The session lives as long as its
 * stream. The SDK's SSEServerTransport answers its own refusals in plain text, so everything it could refuse (no
 * session, content type, a body that is no JSON-RPC message) is answered here first, in JSON-RPC.
 */
export class LegacySseEndpoint {
  private readonly transports = new Map<string, SSEServerTransport>();

  constructor(private readonly deps: McpHttpDeps) {}

  readonly stream = async (req: HttpRequest, res: ServerResponse): Promise<void> => {
    const transport = new SSEServerTransport(LEGACY_MESSAGES_PATH, res); // writes nothing until started
    const id = transport.sessionId; // this SDK transport makes its id itself, before anything else
    const admitted = await admitSession(this.deps, 'sse', id, req, res);
    if (!admitted) return;
    this.transports.set(id, transport);
    const { session, tracked } = await startSession(this.deps, 'sse', id, admitted, () => transport, () => this.transports.delete(id));
    // The stream is the session: open while it is, and its end (the client went away) ends the session.
    const done = tracked.open();
    res.once('close', () => {
      done();
      void session.close();
    });
  };

  readonly message = async (req: HttpRequest, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const id = url.searchParams.get('sessionId');
    if (id === null) {
      this.deps.refuse(res, 400, RPC.serverError,
        `Bad Request: the sessionId query parameter is missing; POST to the URL the GET /sse stream announced in its "endpoint" event (${LEGACY_MESSAGES_PATH}?sessionId=…).`);
      return;
    }
    // Another token's session is answered exactly as one that does not exist.
    const tracked = this.deps.sessions.get(id, 'sse', tokenOf(this.deps, req, id, 'sse'));
    const transport = this.transports.get(id);
    if (!tracked || !transport) {
      this.deps.refuse(res, 404, RPC.sessionNotFound,
        'Session not found: its GET /sse stream has closed, or the server restarted. Open a new stream with GET /sse and use the endpoint it announces.');
      return;
    }
    if (!requireJsonBody(this.deps, req, res)) return;
    if (!JSONRPCMessageSchema.safeParse(req.body).success) {
      this.deps.refuse(res, 400, RPC.invalidRequest,
        'Invalid Request: not a JSON-RPC 2.0 message (it needs "jsonrpc": "2.0" and a "method", or a "result" or "error" with its "id"); this transport takes one message per POST, no batches.');
      return;
    }
    if (!(await withinRateLimit(this.deps, tracked, req.body, res))) return;
    const done = tracked.open();
    res.once('close', done);
    await guarded(this.deps, res, 'legacy SSE message', () => transport.handlePostMessage(req, res, req.body));
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Caller } from '../../../../domain/caller.js';
import type { Logger } from '../../../../ports/logger.port.js';
import { RPC, type Refuse } from '../../http/json-rpc-refusal.js';
import { MessageGuard } from '../message-guard.js';
import type { McpServerFactory, McpSession } from '../server-factory.js';
import type { HttpSessionKind, HttpSessionTable, TrackedSession } from './http-session-table.js';

/** Who an HTTP session acts for, from the request that opened it (the one function: http/request-caller.ts). */
export type CallerForRequest = (request: IncomingMessage, sessionId: string, transport: HttpSessionKind) => Caller;

/** A request as the routes hand it over: express has parsed a JSON body into `body`. */
export type HttpRequest = IncomingMessage & { body?: unknown };

export interface McpHttpDeps {
  readonly factory: McpServerFactory;
  readonly sessions: HttpSessionTable;
  readonly callerFor: CallerForRequest;
  readonly refuse: Refuse;
  readonly logger: Logger;
}

/** The one value of a header (a repeated header counts as its first value). */
export function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Content-Type application/json (any parameters); refuses with 415 otherwise. */
export function requireJsonBody(deps: McpHttpDeps, request: HttpRequest, res: ServerResponse): boolean {
  const type = (header(request, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    deps.refuse(res, 415, RPC.serverError, 'Unsupported Media Type: send the JSON-RPC message with Content-Type: application/json.');
    return false;
  }
  if (request.body === undefined) {
    deps.refuse(res, 400, RPC.parseError, 'Parse error: the body is empty; send one JSON-RPC message as JSON.');
    return false;
  }
  return true;
}

/** 503 with Retry-After when transport.max_sessions are open; true when a new session may start. */
export function roomForSession(deps: McpHttpDeps, res: ServerResponse): boolean {
  if (!deps.sessions.isFull) return true;
  const seconds = deps.sessions.retryAfterSeconds();
  deps.refuse(res, 503, RPC.serverError,
    `Service Unavailable: ${deps.sessions.size} sessions are open, the most transport.max_sessions allows; retry in ${seconds} s, ` +
    'or end sessions you no longer use (DELETE /mcp with their Mcp-Session-Id).', { 'Retry-After': String(seconds) });
  return false;
}

/**
 * Builds the session's McpServer for the caller of `request`, its transport (given the session, e.g. for the event
 * store's resume-loss hook) behind the MessageGuard, and registers it in the table until the transport closes.
 */
export async function startSession(
  deps: McpHttpDeps,
  kind: HttpSessionKind,
  id: string,
  request: IncomingMessage,
  transportFor: (session: McpSession) => Transport,
  onClosed: () => void = () => undefined,
): Promise<{ session: McpSession; tracked: TrackedSession }> {
  const session = deps.factory.create(deps.callerFor(request, id, kind));
  const guard = new MessageGuard(transportFor(session));
  guard.onerror = (error) => deps.logger.debug('MCP HTTP transport error', { session: id, error: String(error) });
  guard.onclose = () => {
    deps.sessions.remove(id);
    onClosed();
  };
  const tracked = deps.sessions.add(id, kind, () => session.close());
  await session.server.connect(guard);
  deps.logger.info('MCP session started', { session: id, transport: kind });
  return { session, tracked };
}

/** Runs an SDK request handler; a throw (a bug or a race with close) becomes a JSON-RPC 500, never a crash. */
export async function guarded(deps: McpHttpDeps, res: ServerResponse, what: string, handle: () => Promise<void>): Promise<void> {
  try {
    await handle();
  } catch (error) {
    deps.logger.warn(`MCP HTTP ${what} failed`, { error: String(error) });
    deps.refuse(res, 500, RPC.internalError, 'Internal error while handling this request; the server logged it. Try again, or start a new session.');
  }
}

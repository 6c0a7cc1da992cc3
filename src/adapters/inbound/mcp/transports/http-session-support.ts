import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { SessionAdmission } from '../../../../application/access/session-admission.js';
import type { Caller } from '../../../../domain/caller.js';
import { StateStoreUnavailable } from '../../../../domain/domain-errors.js';
import type { Logger } from '../../../../ports/logger.port.js';
import { RPC, type Refuse } from '../../http/json-rpc-refusal.js';
import { MessageGuard } from '../message-guard.js';
import type { McpServerFactory, McpSession } from '../server-factory.js';
import type { HttpRequestBudget } from './http-request-budget.js';
import type { HttpSessionKind, HttpSessionTable, TrackedSession } from './http-session-table.js';

/**
 * Who a request acts for, from the identity the bearer middleware established (the one function:
 * http/request-caller.ts): for the request that opens a session, its session's caller; for a later one, whose token
 * it carries (a session answers only its own token).
 */
export type CallerForRequest = (request: IncomingMessage, sessionId: string, transport: HttpSessionKind) => Caller;

/** A request as the routes hand it over: express has parsed a JSON body into `body`. */
export type HttpRequest = IncomingMessage & { body?: unknown };

export interface McpHttpDeps {
  readonly factory: McpServerFactory;
  readonly sessions: HttpSessionTable;
  readonly callerFor: CallerForRequest;
  /** auth.max_sessions_per_tenant. */
  readonly admission: SessionAdmission;
  /** auth.rate_limit, answered 429. */
  readonly budget: HttpRequestBudget;
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

/** A session allowed to open: who it acts for, and its place under its tenant's cap (given back when it ends). */
export interface AdmittedSession {
  readonly caller: Caller;
  readonly release: () => void;
}

/**
 * Whether a session may open for `request`: 503 when transport.max_sessions are open, 429 when its tenant holds
 * auth.max_sessions_per_tenant (Retry-After: until one of the tenant's idle sessions expires).
 */
export async function admitSession(
  deps: McpHttpDeps,
  kind: HttpSessionKind,
  id: string,
  request: IncomingMessage,
  res: ServerResponse,
): Promise<AdmittedSession | undefined> {
  if (!roomForSession(deps, res)) return undefined;
  const caller = deps.callerFor(request, id, kind);
  let ticket: Awaited<ReturnType<SessionAdmission['admit']>>;
  try {
    ticket = await deps.admission.admit(caller);
  } catch (error) {
    if (!(error instanceof StateStoreUnavailable)) throw error;
    deps.refuse(res, 503, RPC.serverError, `Service Unavailable: ${error.message}`, { 'Retry-After': '5' });
    return undefined;
  }
  if (ticket.ok) {
    // The place was claimed across an await: the server-wide cap is checked again, now that no await is left before
    // the session is registered.
    if (roomForSession(deps, res)) return { caller, release: ticket.release };
    ticket.release();
    return undefined;
  }
  const seconds = deps.sessions.retryAfterSeconds(caller.tenant ?? undefined);
  deps.refuse(res, 429, RPC.serverError, `Too Many Requests: ${ticket.message}`, { 'Retry-After': String(seconds) });
  return undefined;
}

/** The caller's token (null without tokens) on a request that names a session: the session must be this token's. */
export function tokenOf(deps: McpHttpDeps, request: IncomingMessage, id: string, kind: HttpSessionKind): string | null {
  return deps.callerFor(request, id, kind).tokenId;
}

/**
 * Answers each counted request of a POST whose rate limit could not be checked (the state store is down) as a stdio
 * session would: a tool error for tools/call, a JSON-RPC error for resources/read — one JSON response, 200.
 */
function answerUnavailable(res: ServerResponse, requests: readonly JSONRPCRequest[], message: string, batch: boolean): void {
  const answers = requests.map((request) =>
    request.method === 'tools/call'
      ? { jsonrpc: '2.0', id: request.id, result: { content: [{ type: 'text', text: message }], isError: true } }
      : { jsonrpc: '2.0', id: request.id, error: { code: RPC.internalError, message } },
  );
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(batch ? answers : answers[0]));
}

/** The rate limit on a message POST of `tracked`: false once answered 429 with Retry-After (nothing of it run). */
export async function withinRateLimit(deps: McpHttpDeps, tracked: TrackedSession, body: unknown, res: ServerResponse): Promise<boolean> {
  const refusal = await deps.budget.admit(tracked.caller, body);
  if (!refusal) return true;
  if (refusal.kind === 'unavailable') {
    answerUnavailable(res, refusal.requests, refusal.message, Array.isArray(body)); // the store error names no secret (its URL is shown without password)
    return false;
  }
  deps.refuse(res, 429, RPC.serverError, `Too Many Requests: ${refusal.message}`, { 'Retry-After': String(refusal.retryAfterSeconds) });
  return false;
}

/**
 * Builds the session's McpServer for its admitted caller (the transport counts its requests: countRequests false), its
 * transport (given the session, e.g. for the event store's resume-loss hook) behind the MessageGuard, and registers
 * it in the table until the transport closes; its place under the tenant's cap goes back then.
 */
export async function startSession(
  deps: McpHttpDeps,
  kind: HttpSessionKind,
  id: string,
  admitted: AdmittedSession,
  transportFor: (session: McpSession) => Transport,
  onClosed: () => void = () => undefined,
): Promise<{ session: McpSession; tracked: TrackedSession }> {
  const session = deps.factory.create(admitted.caller, { countRequests: false });
  const guard = new MessageGuard(transportFor(session));
  guard.onerror = (error) => deps.logger.debug('MCP HTTP transport error', { session: id, error: String(error) });
  guard.onclose = () => {
    deps.sessions.remove(id);
    admitted.release();
    onClosed();
  };
  const tracked = deps.sessions.add(id, kind, admitted.caller, () => session.close().finally(admitted.release));
  try {
    await session.server.connect(guard);
  } catch (error) {
    deps.sessions.remove(id);
    admitted.release();
    throw error;
  }
  deps.logger.info('MCP session started', { session: id, transport: kind, token: admitted.caller.tokenId, tenant: admitted.caller.tenant });
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

import type { IncomingMessage } from 'node:http';
import { callerOf, type Caller, type CallerIdentity, type CallerTransport } from '../../../domain/caller.js';

/**
 * Who each request proved to be, set by the bearer middleware (bearer-auth.ts) for every route it let through and
 * read by the routes: the MCP endpoints (each session's McpServer is built for its caller, and a session's later
 * requests must come from the token that opened it), /metrics. Keyed by the request object, so it goes with it.
 */
const identities = new WeakMap<IncomingMessage, CallerIdentity>();

export function rememberIdentity(request: IncomingMessage, identity: CallerIdentity): void {
  identities.set(request, identity);
}

/**
 * The identity the middleware established for `request`. Fails closed: a request that reached a route without passing
 * the middleware is a wiring bug, answered 500 by the app's error handler, never served as somebody.
 */
export function identityOf(request: IncomingMessage): CallerIdentity {
  const identity = identities.get(request);
  if (!identity) throw new Error('an HTTP request reached a route without being authenticated (the bearer middleware is not mounted before it)');
  return identity;
}

/** The one place an HTTP request becomes the Caller its MCP session (or a scrape) acts for. */
export function callerForRequest(request: IncomingMessage, sessionId: string, transport: CallerTransport): Caller {
  return callerOf(identityOf(request), transport, sessionId);
}

/**
 * Who is calling: the identity an inbound adapter establishes for a session (stdio's configured tenant, an HTTP
 * bearer token's tenant and scopes) and hands to every use case, so that stdio, HTTP and the SSE log stream obey one
 * rule. Tokens themselves never get here: only the id an operator gave the token.
 */
export type Scope = 'read' | 'write' | 'admin';

/** How the session reached us. */
export type CallerTransport = 'stdio' | 'http' | 'sse' | 'log-stream';

export interface Caller {
  readonly transport: CallerTransport;
  /** The MCP session id (HTTP), or a per-process id (stdio); the unit of per-session limits. */
  readonly sessionId: string;
  /** The configured id of the token the session was opened with; null when no tokens are configured (or stdio). */
  readonly tokenId: string | null;
  /** The tenant whose apps the caller sees; null = every app (single-tenant, or an operator's token). */
  readonly tenant: string | null;
  /** What the caller may do; `write` implies `read`, `admin` implies both. */
  readonly scopes: readonly Scope[];
}

export const ALL_SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

/**
 * Who a request proved to be, before it is tied to a session: what a bearer token grants (or, with no tokens
 * configured, everything). An HTTP request carries one; its session's Caller adds the transport and session id.
 */
export type CallerIdentity = Pick<Caller, 'tokenId' | 'tenant' | 'scopes'>;

/** The identity of a request when no tokens are configured: every app, every scope. */
export const OPEN_IDENTITY: CallerIdentity = { tokenId: null, tenant: null, scopes: ALL_SCOPES };

/** The Caller a session opened with `identity` acts for. */
export function callerOf(identity: CallerIdentity, transport: CallerTransport, sessionId: string): Caller {
  return { transport, sessionId, tokenId: identity.tokenId, tenant: identity.tenant, scopes: identity.scopes };
}

/** A caller that sees every app and may do everything: stdio without `auth.stdio_tenant`, and tests. */
export function unrestrictedCaller(transport: CallerTransport, sessionId: string): Caller {
  return callerOf(OPEN_IDENTITY, transport, sessionId);
}

import type { ServerResponse } from 'node:http';

/**
 * JSON-RPC error codes for refusing an HTTP request before any MCP message is handled. The SDK's HTTP transports
 * answer their own refusals the same way (-32000 for the request itself, -32001 for an unknown session), so a client
 * reads one shape whoever refused.
 */
export const RPC = {
  serverError: -32000,
  sessionNotFound: -32001,
  internalError: -32603,
  invalidRequest: -32600,
  parseError: -32700,
} as const;

/** Answers an HTTP request with `status` and a JSON-RPC error body (id null: no request of the body was read). */
export type Refuse = (res: ServerResponse, status: number, code: number, message: string, headers?: Record<string, string>) => void;

/**
 * Our refusals; `redact` is the Sanitizer's, since a message may quote what the client sent. Never HTML, never a
 * stack: the text says what was wrong and what to send instead.
 */
export function jsonRpcRefusal(redact: (text: string) => string): Refuse {
  return (res, status, code, message, headers = {}) => {
    if (res.headersSent) {
      res.end(); // a stream already started: nothing sensible can be added to it
      return;
    }
    const body = JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message: redact(message) } });
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
    res.end(body);
  };
}

/** A client-sent value fit to quote in a refusal: at most 100 characters, quoted. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

import type { IncomingMessage } from 'node:http';
import { unrestrictedCaller, type Caller } from '../../../domain/caller.js';

/**
 * The one place an HTTP request becomes the Caller its MCP session acts for. No access tokens exist yet, so every
 * HTTP session is unrestricted (the bind policy keeps the server on loopback meanwhile); the token work reads the
 * request's verified token here.
 */
export function callerForRequest(_request: IncomingMessage, sessionId: string, transport: 'http' | 'sse'): Caller {
  return unrestrictedCaller(transport, sessionId);
}

import type { RequestHandler } from 'express';
import type { Authentication } from '../../../application/access/authenticate-caller.use-case.js';
import { RPC, type Refuse } from './json-rpc-refusal.js';
import { rememberIdentity } from './request-caller.js';

export interface BearerAuthOptions {
  /** AuthenticateCaller: the Authorization header to an identity, or why not (constant-time comparison there). */
  readonly authenticate: (authorization: string | undefined) => Authentication;
  /** Whether tokens are configured; without them every request has the open identity (the bind is loopback only). */
  readonly required: boolean;
  readonly refuse: Refuse;
}

/**
 * Query parameters a client might put a token in (RFC 6750 section 2.3 names access_token). A URL ends up in proxy
 * logs, browser history and Referer headers, so a token there is refused even when it is right, and never read.
 */
const TOKEN_PARAMETERS = ['access_token', 'token', 'bearer', 'bearer_token', 'auth', 'auth_token', 'authorization', 'api_key', 'apikey'];

const REALM = 'realm="dokku-mcp"';

/**
 * Bearer authentication for every route mounted after it, whatever its path (the MCP endpoints, /metrics, a log
 * stream): /healthz and /readyz are mounted before it and stay open. A request without a valid token gets 401 with
 * `WWW-Authenticate: Bearer` (RFC 6750: error="invalid_token" when a token was sent and is wrong,
 * error="invalid_request" for a token in the URL) and a JSON-RPC error body saying what to send; a valid one goes on
 * with its identity remembered for the route. Refusals are not audited: they have no identity to record. (The texts
 * avoid "word: value" forms after words like "token" or "Authorization": the refusal's redaction would mask them.)
 */
export function bearerAuth(options: BearerAuthOptions): RequestHandler {
  const { refuse } = options;
  const unauthorized = (res: Parameters<Refuse>[0], challenge: string, message: string): void =>
    refuse(res, 401, RPC.serverError, `Unauthorized. ${message}`, { 'WWW-Authenticate': `Bearer ${challenge}` });
  return (req, res, next) => {
    if (options.required) {
      const url = new URL(req.originalUrl, 'http://localhost');
      const inUrl = TOKEN_PARAMETERS.find((name) => url.searchParams.has(name));
      if (inUrl !== undefined) {
        unauthorized(res, `${REALM}, error="invalid_request", error_description="send the token in the Authorization header"`,
          `A token in the URL (the "${inUrl}" query parameter) is not accepted: URLs end up in logs. Remove it from the URL and send the header Authorization with the value "Bearer <token>".`);
        return;
      }
    }
    const result = options.authenticate(req.headers.authorization);
    if (!result.ok) {
      unauthorized(res, result.reason === 'invalid' ? `${REALM}, error="invalid_token", error_description="the token is not valid"` : REALM, result.message);
      return;
    }
    rememberIdentity(req, result.identity);
    next();
  };
}

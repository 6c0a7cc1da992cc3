import { inject, injectable } from 'inversify';
import { ALL_SCOPES, type Caller, type CallerTransport } from '../../domain/caller.js';
import { expandScopes } from '../../domain/tenancy.js';
import { TokenMatcher } from '../../ports/token-matcher.port.js';

/** Why a request was not authenticated: no bearer token (or another scheme), or one that matches no configured token. */
export type AuthRefusal = { readonly ok: false; readonly reason: 'missing' | 'invalid'; readonly message: string };
export type Authentication = { readonly ok: true; readonly caller: Caller } | AuthRefusal;

const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

/**
 * Maps the `Authorization` header of a request (HTTP, the SSE log stream) to the Caller a session acts for, or to a
 * refusal. With no token configured every request is an unrestricted caller (the HTTP listener is then loopback only).
 * The token is never kept, logged or put in a message: the Caller carries the configured id only.
 */
@injectable()
export class AuthenticateCaller {
  constructor(@inject(TokenMatcher) private readonly tokens: TokenMatcher) {}

  execute(request: { authorization: string | undefined; transport: CallerTransport; sessionId: string }): Authentication {
    const { transport, sessionId } = request;
    if (!this.tokens.configured) return { ok: true, caller: { transport, sessionId, tokenId: null, tenant: null, scopes: ALL_SCOPES } };
    const presented = BEARER.exec(request.authorization ?? '')?.[1];
    if (presented === undefined) {
      return { ok: false, reason: 'missing', message: 'This server needs a bearer token: send "Authorization: Bearer <token>" (a token in the URL is not accepted).' };
    }
    const grant = this.tokens.match(presented);
    if (!grant) return { ok: false, reason: 'invalid', message: 'The bearer token is not valid for this server; ask its operator for a token.' };
    return { ok: true, caller: { transport, sessionId, tokenId: grant.id, tenant: grant.tenant, scopes: expandScopes(grant.scopes) } };
  }
}

import { inject, injectable } from 'inversify';
import { OPEN_IDENTITY, type CallerIdentity } from '../../domain/caller.js';
import { expandScopes } from '../../domain/tenancy.js';
import { TokenMatcher } from '../../ports/token-matcher.port.js';

/** Why a request was not authenticated: no bearer token (or another scheme), or one that matches no configured token. */
export type AuthRefusal = { readonly ok: false; readonly reason: 'missing' | 'invalid'; readonly message: string };
export type Authentication = { readonly ok: true; readonly identity: CallerIdentity } | AuthRefusal;

const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

/**
 * Maps the `Authorization` header of a request (any HTTP route: MCP, metrics, a log stream) to the identity its
 * session acts for, or to a refusal. With no token configured every request has the open identity (the HTTP listener
 * is then loopback only). The token is never kept, logged or put in a message: the identity carries the configured
 * id only. The comparison is the TokenMatcher's, in constant time.
 */
@injectable()
export class AuthenticateCaller {
  constructor(@inject(TokenMatcher) private readonly tokens: TokenMatcher) {}

  /** Whether any token is configured (without one, nothing is authenticated). */
  get required(): boolean {
    return this.tokens.configured;
  }

  execute(request: { authorization: string | undefined }): Authentication {
    if (!this.tokens.configured) return { ok: true, identity: OPEN_IDENTITY };
    const presented = BEARER.exec(request.authorization ?? '')?.[1];
    if (presented === undefined) {
      return { ok: false, reason: 'missing', message: 'This server needs a bearer token; send the header Authorization with the value "Bearer <token>" (a token in the URL is not accepted).' };
    }
    const grant = this.tokens.match(presented);
    if (!grant) return { ok: false, reason: 'invalid', message: 'The bearer token is not valid for this server; check the token the client sends, or ask the operator of this server for one.' };
    return { ok: true, identity: { tokenId: grant.id, tenant: grant.tenant, scopes: expandScopes(grant.scopes) } };
  }
}

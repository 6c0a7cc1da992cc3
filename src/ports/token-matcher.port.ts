import type { Scope } from '../domain/caller.js';

/** What a configured token grants (auth.tokens): never the token itself. */
export interface TokenGrant {
  /** The operator's name for the token, shown in logs and the audit. */
  readonly id: string;
  readonly tenant: string | null;
  /** As configured; implied scopes are added by the caller's builder. */
  readonly scopes: readonly Scope[];
}

/** The configured bearer tokens. */
export const TokenMatcher = Symbol('TokenMatcher');
export interface TokenMatcher {
  /** Whether any token is configured: without one, HTTP is open (loopback only) and nothing is authenticated. */
  readonly configured: boolean;
  /** The grant of the token presented, or undefined. Compares in constant time against every configured token; never logs. */
  match(presented: string): TokenGrant | undefined;
}

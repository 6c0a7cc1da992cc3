/** The configured bucket: `perMinute` tokens flow in each minute, at most `burst` held. */
export interface RateLimit {
  readonly perMinute: number;
  readonly burst: number;
}

export type RateDecision =
  | { readonly allowed: true }
  /** `retryAfterSeconds`: whole seconds until a token is back (at least 1): the HTTP Retry-After value. */
  | { readonly allowed: false; readonly retryAfterSeconds: number; readonly limit: RateLimit };

/**
 * Token buckets by key (a token id, or a session id). In memory for one process; a shared store (Redis) for several
 * instances serving the same tokens, one bucket for all of them.
 */
export const RateLimiter = Symbol('RateLimiter');
export interface RateLimiter {
  /**
   * Takes one token from the bucket `key` if it has one. Throws StateStoreUnavailable when the shared store does not
   * answer (fail closed: a limit that cannot be checked does not let the request through); nothing else.
   */
  take(key: string): Promise<RateDecision>;
}

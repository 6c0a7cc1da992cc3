import { inject, injectable } from 'inversify';
import { RateLimited } from '../../domain/access-errors.js';
import type { Caller } from '../../domain/caller.js';
import { Metrics } from '../../ports/metrics.port.js';
import { RateLimiter } from '../../ports/rate-limiter.port.js';

/**
 * The rate limit (auth.rate_limit): each tools/call and resources/read takes one request from the caller's bucket — its
 * token's, shared by every session opened with it, or its own session's when no token was used. Inbound adapters call
 * it for those requests only: never for an elicitation answer, a cancellation or a ping.
 */
@injectable()
export class RequestBudget {
  constructor(
    @inject(RateLimiter) private readonly limiter: RateLimiter,
    @inject(Metrics) private readonly metrics: Metrics,
  ) {}

  /** Resolves when the request may run; throws RateLimited (LIMIT_EXCEEDED, with retryAfterSeconds) when spent. */
  async admit(caller: Caller): Promise<void> {
    const key = caller.tokenId === null ? `session:${caller.sessionId}` : `token:${caller.tokenId}`;
    const decision = await this.limiter.take(key);
    if (decision.allowed) return;
    this.metrics.rateLimited();
    throw new RateLimited(decision.retryAfterSeconds, decision.limit, caller.tokenId === null ? 'session' : 'token');
  }
}

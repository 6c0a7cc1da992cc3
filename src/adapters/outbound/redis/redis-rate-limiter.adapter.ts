import type { RateDecision, RateLimit, RateLimiter } from '../../../ports/rate-limiter.port.js';
import type { RedisConnection } from './redis-connection.js';

/**
 * Token buckets in Redis, one per key for every instance (key `<prefix>rl:<key>`, a hash of two fields that expires
 * once the bucket would be full again). The refill and the take are one Lua script on the server's clock, so two
 * instances taking from one bucket at once never both get its last token. Redis down: StateStoreUnavailable (fail closed).
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly perMs: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly redis: RedisConnection,
  ) {
    this.perMs = limit.perMinute / 60_000;
  }

  async take(key: string): Promise<RateDecision> {
    const [taken, waitMs] = await this.redis.run((client) => client.takeToken(this.redis.key('rl', key), this.limit.burst, this.perMs));
    if (Number(taken) === 1) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Number(waitMs) / 1000)), limit: this.limit };
  }
}

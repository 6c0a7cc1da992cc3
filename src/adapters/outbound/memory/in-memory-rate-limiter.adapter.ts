import type { Clock } from '../../../ports/clock.port.js';
import type { RateDecision, RateLimit, RateLimiter } from '../../../ports/rate-limiter.port.js';

interface Bucket {
  tokens: number;
  at: number;
}

/** Past this many buckets, full ones (idle long enough to refill) are dropped: memory stays bounded by the active keys. */
const PRUNE_ABOVE = 10_000;

/**
 * Token buckets in this process's memory: `burst` tokens to start with, refilled continuously at `perMinute` a minute.
 * A full bucket is the same as no bucket, which is what lets idle ones be dropped.
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: Clock,
  ) {
    this.perMs = limit.perMinute / 60_000;
  }

  async take(key: string): Promise<RateDecision> {
    const now = this.clock.now().getTime();
    const bucket = this.refilled(this.buckets.get(key), now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.keep(key, bucket);
      return { allowed: true };
    }
    this.keep(key, bucket);
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
    return { allowed: false, retryAfterSeconds, limit: this.limit };
  }

  /** Buckets held (for tests). */
  get size(): number {
    return this.buckets.size;
  }

  private refilled(bucket: Bucket | undefined, now: number): Bucket {
    if (!bucket) return { tokens: this.limit.burst, at: now };
    const tokens = Math.min(this.limit.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
    return { tokens, at: now };
  }

  private keep(key: string, bucket: Bucket): void {
    this.buckets.delete(key); // re-inserted last: the Map's order is least recently used first
    this.buckets.set(key, bucket);
    if (this.buckets.size <= PRUNE_ABOVE) return;
    const now = bucket.at;
    for (const [k, b] of this.buckets) {
      if (this.buckets.size <= PRUNE_ABOVE / 2) break;
      if (this.refilled(b, now).tokens >= this.limit.burst) this.buckets.delete(k);
    }
  }
}

import { InMemoryRateLimiter } from '../../../../src/adapters/outbound/memory/in-memory-rate-limiter.adapter.js';
import { FakeClock } from '../../../support/fake-clock.js';

const LIMIT = { perMinute: 60, burst: 3 }; // one token a second

describe('InMemoryRateLimiter (token bucket)', () => {
  let clock: FakeClock;
  let limiter: InMemoryRateLimiter;
  beforeEach(() => {
    clock = new FakeClock();
    limiter = new InMemoryRateLimiter(LIMIT, clock);
  });
  const take = (key = 'token:a') => limiter.take(key);

  test('a burst is allowed, the next is refused with the seconds until a token is back', async () => {
    for (let i = 0; i < 3; i++) expect(await take()).toEqual({ allowed: true });
    expect(await take()).toEqual({ allowed: false, retryAfterSeconds: 1, limit: LIMIT });
  });

  test('tokens flow back at per_minute, never above burst', async () => {
    for (let i = 0; i < 3; i++) await take();
    clock.advance(999);
    expect((await take()).allowed).toBe(false);
    clock.advance(1);
    expect((await take()).allowed).toBe(true);
    clock.advance(60 * 60_000); // an hour idle refills to the burst, not to 60
    for (let i = 0; i < 3; i++) expect((await take()).allowed).toBe(true);
    expect((await take()).allowed).toBe(false);
  });

  test('retry-after rounds up to whole seconds, at least 1', async () => {
    const slow = new InMemoryRateLimiter({ perMinute: 6, burst: 1 }, clock); // one token per 10 s
    await slow.take('k');
    expect(await slow.take('k')).toMatchObject({ allowed: false, retryAfterSeconds: 10 });
    clock.advance(2_500);
    expect(await slow.take('k')).toMatchObject({ allowed: false, retryAfterSeconds: 8 });
  });

  test('each key has its own bucket', async () => {
    for (let i = 0; i < 3; i++) await take('token:a');
    expect((await take('token:a')).allowed).toBe(false);
    expect((await take('token:b')).allowed).toBe(true);
  });

  test('memory stays bounded: idle (full) buckets are dropped once there are many', async () => {
    for (let i = 0; i < 10_001; i++) await take(`session:${i}`);
    clock.advance(10_000); // all refilled
    await take('session:new');
    expect(limiter.size).toBeLessThanOrEqual(5_001);
  });
});

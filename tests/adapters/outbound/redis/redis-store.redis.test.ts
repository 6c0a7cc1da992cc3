import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { RedisClusterLock } from '../../../../src/adapters/outbound/redis/redis-cluster-lock.adapter.js';
import { RedisConnection } from '../../../../src/adapters/outbound/redis/redis-connection.js';
import { RedisRateLimiter } from '../../../../src/adapters/outbound/redis/redis-rate-limiter.adapter.js';
import { RedisSessionPresence } from '../../../../src/adapters/outbound/redis/redis-session-presence.adapter.js';
import { StateStoreUnavailable } from '../../../../src/domain/domain-errors.js';
import type { HeldLock } from '../../../../src/ports/cluster-lock.port.js';
import { RecordingLogger } from '../../../support/recording-logger.js';
import { startRedis, type RedisFixture } from '../../../support/redis-fixture.js';

/**
 * The Redis adapters against a real redis-server, beyond the shared contract: what they leave in Redis (keys under the
 * prefix, each with an expiry), and faults — Redis absent at start, stopped, hung, restarted empty — each answered
 * with STATE_STORE_UNAVAILABLE at once (never queued), then recovered from without help.
 */
let redis: RedisFixture;
const open: RedisConnection[] = [];
const stoppers: Array<{ stop(): void }> = [];
beforeAll(async () => { redis = await startRedis(); });
afterEach(async () => {
  for (const s of stoppers.splice(0)) s.stop();
  await Promise.all(open.splice(0).map((c) => c.close()));
  redis.resume(); // a case that paused or stopped it leaves it running for the next
  await redis.start();
});
afterAll(async () => { await redis?.dispose(); });

const LEASE_MS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function connection(prefix = `t-${randomUUID().slice(0, 8)}:`, url = redis.url, logger = new RecordingLogger()): Promise<RedisConnection> {
  const c = new RedisConnection({ url, keyPrefix: prefix, commandTimeoutMs: 500 }, logger);
  open.push(c);
  await c.connect();
  return c;
}

async function eventually<T>(attempt: () => Promise<T>, what: string, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms: ${String(error)}`);
      await sleep(50);
    }
  }
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('what the Redis adapters keep in Redis', () => {
  it('keys under store.key_prefix only, each with an expiry: rate-limit buckets, session presence, locks', async () => {
    const prefix = `keys-${randomUUID().slice(0, 8)}:`;
    const c = await connection(prefix);
    await new RedisRateLimiter({ perMinute: 60, burst: 10 }, c).take('token:shop-bot');
    const presence = new RedisSessionPresence(c, LEASE_MS, new RecordingLogger());
    stoppers.push(presence);
    await presence.claim('shop', 'session-1', 5);
    const lock = new RedisClusterLock(c, LEASE_MS);
    stoppers.push(lock);
    await lock.acquire('deploy:shop', 'dep-1');

    const keys = ((await redis.command('KEYS', `${prefix}*`)) as string[]).sort();
    expect(keys).toEqual([`${prefix}lock:deploy:shop`, `${prefix}rl:token:shop-bot`, `${prefix}sessions:shop`]);
    // A bucket expires once it would be full again (1 token back at 60/min: 1 s) plus a second.
    const bucketTtl = (await redis.command('PTTL', `${prefix}rl:token:shop-bot`)) as number;
    expect(bucketTtl).toBeGreaterThan(0);
    expect(bucketTtl).toBeLessThanOrEqual(2_000);
    for (const key of [`${prefix}sessions:shop`, `${prefix}lock:deploy:shop`]) {
      const ttl = (await redis.command('PTTL', key)) as number;
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(LEASE_MS);
    }
  });
});

describe('Redis faults', () => {
  it('absent at start: connect() rejects at once naming store.redis_url, the password hidden', async () => {
    const port = await closedPort();
    const c = new RedisConnection({ url: `redis://:s3cret-pw@127.0.0.1:${port}`, keyPrefix: 'x:' }, new RecordingLogger());
    open.push(c);
    const error = await c.connect().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StateStoreUnavailable);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^state store unreachable: Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} \\(store\\.redis_url\\): .*ECONNREFUSED`));
    expect(message).not.toContain('s3cret-pw');
    // Meanwhile every call fails the same way, without waiting.
    await expect(new RedisRateLimiter({ perMinute: 60, burst: 5 }, c).take('k')).rejects.toMatchObject({ code: 'STATE_STORE_UNAVAILABLE' });
    expect(await c.health()).toEqual({ ok: false, reason: expect.stringContaining('state store unreachable') });
  });

  it('stopped while in use: calls fail at once with STATE_STORE_UNAVAILABLE, then succeed again when it is back', async () => {
    const logger = new RecordingLogger();
    const c = await connection(undefined, redis.url, logger);
    const limiter = new RedisRateLimiter({ perMinute: 600, burst: 100 }, c);
    expect(await limiter.take('k')).toEqual({ allowed: true });
    expect(await c.health()).toEqual({ ok: true });

    await redis.stop();
    const error = await eventually(async () => {
      const outcome = await limiter.take('k').then(() => 'allowed', (e: unknown) => e);
      if (outcome === 'allowed') throw new Error('still allowed');
      return outcome;
    }, 'a refusal once Redis is down');
    expect(error).toBeInstanceOf(StateStoreUnavailable);
    expect((error as Error).message).toContain(`Redis at ${redis.url} (store.redis_url)`);
    // Fail fast: refused, not queued until Redis returns (this promise settles while Redis is still down).
    await expect(limiter.take('k')).rejects.toMatchObject({ code: 'STATE_STORE_UNAVAILABLE' });
    expect((await c.health()).ok).toBe(false);
    expect(logger.entries.filter((e) => e.level === 'warn' && /state store unreachable/.test(e.msg))).toHaveLength(1); // once per outage

    await redis.start(); // empty: the scripts are loaded again by themselves (NOSCRIPT -> EVAL)
    expect(await eventually(() => limiter.take('k'), 'recovery')).toEqual({ allowed: true });
    expect(await c.health()).toEqual({ ok: true });
    expect(logger.entries.some((e) => e.level === 'info' && /reachable again/.test(e.msg))).toBe(true);
  });

  it('hung (answers nothing): a call fails after the command timeout instead of hanging, and works once it thaws', async () => {
    const c = await connection();
    const limiter = new RedisRateLimiter({ perMinute: 600, burst: 100 }, c);
    expect((await limiter.take('k')).allowed).toBe(true);
    redis.pause();
    try {
      await expect(limiter.take('k')).rejects.toMatchObject({ code: 'STATE_STORE_UNAVAILABLE' });
    } finally {
      redis.resume();
    }
    expect(await eventually(() => limiter.take('k'), 'recovery after the thaw')).toEqual({ allowed: true });
  });

  it('restarted empty: each instance counts its live sessions in again at its next renewal', async () => {
    const c = await connection();
    const presence = new RedisSessionPresence(c, LEASE_MS, new RecordingLogger());
    stoppers.push(presence);
    await presence.claim('shop', 's1', 5);
    await presence.claim('shop', 's2', 5);
    await redis.stop();
    await redis.start();
    expect(await eventually(async () => {
      const n = await presence.count('shop');
      if (n !== 2) throw new Error(`count ${n}`);
      return n;
    }, 'the sessions counted again')).toBe(2);
  });

  it("a lock whose key was taken from it tells its holder once, and the holder's release leaves the new one alone", async () => {
    const prefix = `lost-${randomUUID().slice(0, 8)}:`;
    const c = await connection(prefix);
    const lock = new RedisClusterLock(c, LEASE_MS);
    stoppers.push(lock);
    const held = (await lock.acquire('deploy:shop', 'dep-1')) as HeldLock;
    const reasons: string[] = [];
    const told = new Promise<string>((resolve) => held.onLost(resolve));
    held.onLost((why) => reasons.push(why));
    await redis.command('SET', `${prefix}lock:deploy:shop`, 'someone-else dep-9'); // as if it expired and another took it
    expect(await told).toMatch(/taken over or removed/);
    await sleep(LEASE_MS);
    expect(reasons).toHaveLength(1);
    held.onLost((why) => reasons.push(why)); // a listener added after the loss hears of it at once
    expect(reasons).toHaveLength(2);
    await held.release();
    expect(await lock.holder('deploy:shop')).toBe('dep-9');
  });

  it('a lock that cannot be renewed for a whole lease (Redis down) is reported lost', async () => {
    const c = await connection();
    const lock = new RedisClusterLock(c, LEASE_MS);
    stoppers.push(lock);
    const held = (await lock.acquire('deploy:shop', 'dep-1')) as HeldLock;
    const told = new Promise<string>((resolve) => held.onLost(resolve));
    await redis.stop();
    expect(await told).toMatch(/lease ran out while the state store was unreachable/);
  });
});
